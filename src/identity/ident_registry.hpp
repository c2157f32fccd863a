// SPDX-License-Identifier: GPL-2.0-or-later
// The connections tlsmux has made to local services, with the identity of the session that
// made each: what the ident responder answers from. Shared by every event loop (locked).
#ifndef TLSMUX_IDENTITY_IDENT_REGISTRY_HPP
#define TLSMUX_IDENTITY_IDENT_REGISTRY_HPP

#include <asio/ip/tcp.hpp>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace tlsmux {
namespace identity {

class ident_registry {
 public:
  typedef std::uint64_t token;  ///< 0 is never a valid token

  /// Records a connection from ours (tlsmux's end) to service; returns its token.
  token add(const asio::ip::tcp::endpoint& ours, const asio::ip::tcp::endpoint& service,
            const std::string& identity);
  /// Forgets a connection (0 is ignored).
  void remove(token t);
  /// RFC 1413 section 3: the connection is fully specified by the ident connection's own
  /// addresses (ident_local: where the query arrived = our end; querier: the service's
  /// address) and the two ports of the query. True and identity set when it is ours.
  bool find(const asio::ip::address& ident_local, std::uint16_t port_on_server,
            const asio::ip::address& querier, std::uint16_t port_on_client,
            std::string& identity) const;
  std::size_t size() const;

 private:
  struct entry {
    asio::ip::address ours, service;
    std::uint16_t our_port, service_port;
    std::string identity;
  };
  mutable std::mutex lock_;
  token next_ = 1;
  std::multimap<std::uint32_t, token> by_ports_;
  std::map<token, entry> entries_;
};

}  // namespace identity
}  // namespace tlsmux

#endif
