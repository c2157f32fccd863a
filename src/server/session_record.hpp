// SPDX-License-Identifier: GPL-2.0-or-later
// What a session knows about itself for the log: its phase, the facts of its log line, and
// the REP it sent. Formatting only; the session fills it in.
#ifndef TLSMUX_SERVER_SESSION_RECORD_HPP
#define TLSMUX_SERVER_SESSION_RECORD_HPP

#include "socks5/protocol.hpp"

#include <cstdint>
#include <string>

namespace tlsmux {
namespace server {

/// Where a session is. Each phase before the relay has its own deadline.
enum class session_phase { handshake, negotiation, policy, connect, udp, bind, relay };

/// "handshake", "negotiation", ... as the status dump prints it.
const char* phase_name(session_phase p);

/// The REP a session has sent, once it has sent one (C++11 has no std::optional).
class sent_reply {
 public:
  sent_reply() : sent_(false), code_(socks5::reply_code::succeeded) {}
  void record(socks5::reply_code code) {
    sent_ = true;
    code_ = code;
  }
  bool sent() const { return sent_; }
  socks5::reply_code code() const { return code_; }

 private:
  bool sent_;
  socks5::reply_code code_;
};

/// Bytes relayed; for UDP ASSOCIATE also datagrams.
struct session_traffic {
  std::uint64_t up = 0, down = 0;  ///< payload bytes client -> service, service -> client
  bool datagrams = false;          ///< UDP ASSOCIATE: the counters below are printed
  std::uint64_t up_datagrams = 0, down_datagrams = 0, denied = 0, dropped = 0;
};

/// The facts of one session's log line; "-" until known. Text is kept as the client sent it
/// (names, user names, CNs): log_line() and status_line() escape it, once.
struct session_record {
  std::string client;  ///< "1.2.3.4:5678"
  std::string tls = "-", identity = "-", command = "-", request = "-", connected = "-";
  sent_reply reply;
  std::string reason;  ///< why it closed
  session_phase phase = session_phase::handshake;
};

/// The line logged when a session ends: "session client=... close=\"...\"".
std::string log_line(const session_record& r, const session_traffic& t, double seconds);

/// The status dump's line for an open session: "client=... phase=... dst=...[ up= down=]".
/// relaying: the byte counts are printed (TCP relays only, as before).
std::string status_line(const session_record& r, bool relaying, const session_traffic& t);

}  // namespace server
}  // namespace tlsmux

#endif
