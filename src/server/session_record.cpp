// SPDX-License-Identifier: GPL-2.0-or-later
// session_record: the session's log line and status line.
#include "server/session_record.hpp"

#include "text/log_fields.hpp"

#include <cstdio>

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

// The one place where the session's text, much of it chosen by the client (identity, request,
// reasons that quote them), meets the log: every value is a log field (text/log_fields.hpp).
std::string log_line(const session_record& r, const session_traffic& t, double seconds) {
  char dur[32];
  std::snprintf(dur, sizeof dur, "%.3fs", seconds);
  text::field_line line("session");
  line.add("client", r.client).add("tls", r.tls).add("id", r.identity).add("cmd", r.command);
  line.add("req", r.request).add("dst", r.connected);
  if (r.reply.sent()) {
    char rep[16];
    std::snprintf(rep, sizeof rep, "0x%02x", static_cast<unsigned>(r.reply.code()));
    line.add("rep", rep);
  }
  line.add("up", std::to_string(t.up)).add("down", std::to_string(t.down));
  if (t.datagrams) {
    line.add("datagrams", std::to_string(t.up_datagrams) + "/" + std::to_string(t.down_datagrams));
    line.add("denied", std::to_string(t.denied)).add("dropped", std::to_string(t.dropped));
  }
  return line.add("dur", dur).add_quoted("close", r.reason).str();
}

std::string status_line(const session_record& r, bool relaying, const session_traffic& t) {
  text::field_line out;
  out.add("client", r.client).add("phase", phase_name(r.phase)).add("id", r.identity);
  out.add("cmd", r.command).add("req", r.request).add("dst", r.connected);
  if (relaying) out.add("up", std::to_string(t.up)).add("down", std::to_string(t.down));
  return out.str();
}

}  // namespace server
}  // namespace tlsmux
