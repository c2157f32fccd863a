// SPDX-License-Identifier: GPL-2.0-or-later
// UDP ASSOCIATE inside TLS: datagrams travel in the session's TLS stream as length-prefixed
// RFC 1928 UDP frames (docs/protocol.md). Each datagram's destination passes the local-only
// policy; UDP sockets are bound to local addresses only and accept replies only from the
// endpoints this association has sent to lately. Every queue and set is bounded: under pressure datagrams
// are dropped and counted, memory never grows.
#ifndef TLSMUX_SERVER_UDP_ASSOCIATION_HPP
#define TLSMUX_SERVER_UDP_ASSOCIATION_HPP

#include "identity/source_select.hpp"
#include "policy/decider.hpp"
#include "server/client_key.hpp"
#include "transport/tls_stream.hpp"
#include "transport/udp_frame_stream.hpp"
#include "server/name_lookups.hpp"
#include "server/udp_peers.hpp"
#include "socks5/udp_frame.hpp"

#include <asio/ip/udp.hpp>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace tlsmux {
namespace server {

/// Sockets beyond a session's two (UDP sockets, BIND listeners) come from one server-wide
/// budget, so the select reactor's FD_SETSIZE bound holds for them too. Each is taken for
/// a client, so that the budget can be shared out per client.
class socket_budget {
 public:
  virtual ~socket_budget() {}
  /// Takes one extra socket from the budget for `who`; false when it is exhausted.
  virtual bool acquire_extra_socket(const client_key& who) = 0;
  /// Returns one that `who` took.
  virtual void release_extra_socket(const client_key& who) = 0;
};

/// Counters of one association, for the session's log line.
struct udp_counters {
  std::uint64_t up_datagrams = 0, down_datagrams = 0;  ///< relayed
  std::uint64_t up_bytes = 0, down_bytes = 0;          ///< payload bytes relayed
  std::uint64_t denied = 0;    ///< dropped by policy (destination or unknown source)
  std::uint64_t dropped = 0;   ///< dropped by queue limits, FRAG != 0, or failed sends
};

/// One UDP association, started after the success reply.
class udp_association : public std::enable_shared_from_this<udp_association> {
 public:
  typedef std::function<void(const std::string& reason)> done_handler;

  /// pinned: when non-empty, datagrams may only go to these endpoints (a catalog service).
  /// same_address: like CONNECT under expose = same-address, a permitted destination is
  /// reached on the address the client's TLS connection arrived on.
  udp_association(std::shared_ptr<transport::tls_stream> tls, socket_budget& budget, name_lookups& names,
                  const client_key& who, policy::decider& decider,
                  const policy::session_facts& facts, bool same_address,
                  const std::vector<asio::ip::tcp::endpoint>& pinned, done_handler done);

  /// Datagrams of this identity class leave from its source address (source-anonymous, ...)
  /// where one is set; call before start().
  void set_sources(const identity::source_table& t, identity::id_class c) {
    sources_ = t;
    class_ = c;
  }
  /// Starts relaying; pipelined holds frame bytes that arrived with the request.
  void start(const std::vector<std::uint8_t>& pipelined);
  /// Ends the association now.
  void stop(const std::string& reason);

  const udp_counters& counters() const { return counters_; }
  std::chrono::steady_clock::time_point last_activity() const { return last_activity_; }

 private:
  struct endpoint_socket;

  void handle_datagram(const socks5::datagram& d);
  void resolve_and_send(const std::string& name, std::uint16_t port, std::vector<std::uint8_t> payload);
  void send_checked(const asio::ip::address& a, std::uint16_t port, std::vector<std::uint8_t> payload);
  void send(const asio::ip::udp::endpoint& to, std::vector<std::uint8_t> payload);
  std::shared_ptr<endpoint_socket> socket_for(const asio::ip::address& destination);
  void receive(std::shared_ptr<endpoint_socket> s);
  void queue_down(const asio::ip::udp::endpoint& from, const std::uint8_t* p, std::size_t n);
  void finish(const std::string& reason);

  transport::udp_frame_stream frames_;
  socket_budget& budget_;
  name_lookups& names_;
  client_key who_;  ///< whose shares the sockets and the datagram lookups count against
  policy::decider& decider_;
  policy::session_facts facts_;
  bool same_address_;
  identity::source_table sources_;  ///< none set unless set_sources() was called
  identity::id_class class_ = identity::id_class::anonymous;
  std::vector<asio::ip::tcp::endpoint> pinned_;
  done_handler done_;
  std::map<asio::ip::address, std::shared_ptr<endpoint_socket> > sockets_;
  udp_peers peers_;  ///< endpoints sent to lately: the only accepted sources
  std::size_t sends_in_flight_ = 0;
  std::map<std::uint64_t, std::shared_ptr<lookup> > lookups_;  ///< datagram names being looked up
  std::uint64_t lookup_serial_ = 0;
  udp_counters counters_;
  std::chrono::steady_clock::time_point last_activity_;
};

}  // namespace server
}  // namespace tlsmux

#endif
