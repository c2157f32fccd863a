// SPDX-License-Identifier: GPL-2.0-or-later
// The RFC 1413 ident responder (`ident = yes`): a local service that asks who is behind a
// connection tlsmux made to it gets the session's identity; every other query gets
// ERROR : NO-USER. Bound before privileges are dropped; bounded per connection (one query,
// a read deadline, a line limit) and in connections at once.
#ifndef TLSMUX_SERVER_IDENT_RESPONDER_HPP
#define TLSMUX_SERVER_IDENT_RESPONDER_HPP

#include "identity/ident_registry.hpp"

#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace tlsmux {
namespace server {

/// Bounds of the responder (docs/security.md lists them).
const std::size_t ident_max_connections = 64;
const std::uint32_t ident_read_timeout_ms = 10000;

class ident_responder {
 public:
  ident_responder(asio::io_context& io, const identity::ident_registry& registry);
  ~ident_responder();

  /// Binds spec ("*:113", "127.0.0.1:113", ...). On failure returns false with one message
  /// per address that says why (a port taken by another identd, no privileges).
  bool open(const std::string& spec, std::vector<std::string>& errors);
  /// Starts accepting.
  void start();
  /// Closes the listening sockets; connections in progress end at their deadline.
  void stop();
  std::vector<asio::ip::tcp::endpoint> endpoints() const;
  /// Connections being served now.
  std::size_t active() const { return *active_; }

 private:
  class connection;
  void accept(std::size_t i);

  asio::io_context& io_;
  const identity::ident_registry& registry_;
  std::vector<std::unique_ptr<asio::ip::tcp::acceptor> > acceptors_;
  std::shared_ptr<std::size_t> active_;
  std::shared_ptr<bool> alive_;  ///< expires with the responder, for its retry timers
};

}  // namespace server
}  // namespace tlsmux

#endif
