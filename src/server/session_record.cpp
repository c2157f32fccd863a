// SPDX-License-Identifier: GPL-2.0-or-later
// session_record: the session's log line and status line.
#include "server/session_record.hpp"

#include <cstdio>
#include <sstream>

namespace tlsmux {
namespace server {

const char* phase_name(session_phase p) {
  switch (p) {
    case session_phase::handshake: return "handshake";
    case session_phase::negotiation: return "negotiation";
    case session_phase::policy: return "policy";
    case session_phase::connect: return "connect";
    case session_phase::udp: return "udp";
    case session_phase::bind: return "bind";
    case session_phase::relay: return "relay";
  }
  return "?";
}

std::string log_line(const session_record& r, const session_traffic& t, double seconds) {
  char dur[32];
  std::snprintf(dur, sizeof dur, "%.3fs", seconds);
  std::ostringstream line;
  line << "session client=" << r.client << " tls=" << r.tls << " id=" << r.identity
       << " cmd=" << r.command << " req=" << r.request << " dst=" << r.connected;
  if (r.reply.sent()) {
    char rep[16];
    std::snprintf(rep, sizeof rep, "0x%02x", static_cast<unsigned>(r.reply.code()));
    line << " rep=" << rep;
  }
  line << " up=" << t.up << " down=" << t.down;
  if (t.datagrams)
    line << " datagrams=" << t.up_datagrams << "/" << t.down_datagrams << " denied=" << t.denied
         << " dropped=" << t.dropped;
  line << " dur=" << dur << " close=\"" << r.reason << "\"";
  return line.str();
}

std::string status_line(const session_record& r, bool relaying, const session_traffic& t) {
  std::ostringstream out;
  out << "client=" << r.client << " phase=" << phase_name(r.phase) << " id=" << r.identity
      << " cmd=" << r.command << " req=" << r.request << " dst=" << r.connected;
  if (relaying) out << " up=" << t.up << " down=" << t.down;
  return out.str();
}

}  // namespace server
}  // namespace tlsmux
