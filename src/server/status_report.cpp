// SPDX-License-Identifier: GPL-2.0-or-later
// status_report: the control socket's request line and the status report's two forms.
#include "server/status_report.hpp"

#include "text/escape.hpp"

#include <cstdio>
#include <sstream>

namespace tlsmux {
namespace server {

control_line::result control_line::feed(const char* data, std::size_t n) {
  for (std::size_t i = 0; i < n && state_ == more; ++i) {
    const char c = data[i];
    if (c == '\n') {
      if (!line_.empty() && line_[line_.size() - 1] == '\r') line_.erase(line_.size() - 1);
      state_ = done;
    } else if (c == '\0' || line_.size() + 1 >= max_control_line) {
      state_ = bad;
    } else {
      line_ += c;
    }
  }
  return state_;
}

bool parse_control_request(const std::string& line, control_command& out) {
  if (line == "status") out = control_command::status_text;
  else if (line == "status json") out = control_command::status_json;
  else return false;
  return true;
}

namespace {

std::string duration_text(std::uint64_t s) {
  char buf[32];
  if (s < 60) std::snprintf(buf, sizeof buf, "%us", static_cast<unsigned>(s));
  else if (s < 3600) std::snprintf(buf, sizeof buf, "%um%02us", static_cast<unsigned>(s / 60), static_cast<unsigned>(s % 60));
  else std::snprintf(buf, sizeof buf, "%luh%02um", static_cast<unsigned long>(s / 3600), static_cast<unsigned>(s % 3600 / 60));
  return buf;
}

std::string limit_text(std::uint32_t ms) { return ms == 0 ? "none" : duration_text(ms / 1000); }

}  // namespace

std::string status_text(const server_status& s) {
  std::ostringstream o;
  o << "tlsmux " << s.version << ", pid " << s.pid << ", up " << duration_text(s.uptime_seconds) << ", "
    << s.reactor << " reactor, " << s.threads << (s.threads == 1 ? " thread" : " threads")
    << (s.draining ? ", DRAINING" : "") << "\n";
  o << "listening on:";
  for (std::size_t i = 0; i < s.listeners.size(); ++i) o << " " << s.listeners[i];
  o << (s.listeners.empty() ? " (none)\n" : "\n");
  o << "limits: max-sessions " << s.max_sessions << ", per client " << s.per_client << ", not negotiated "
    << s.startups << " (" << s.startups_per_client << " per client), UDP/BIND sockets " << s.extra_sockets
    << ", idle-timeout " << limit_text(s.idle_timeout_ms) << ", handshake-timeout "
    << limit_text(s.handshake_timeout_ms) << "\n";
  o << "counters: " << s.accepted << " accepted, " << s.refused << " refused over a limit, " << s.ended
    << " ended, " << s.dropped_startups << " dropped before negotiation, " << s.filtered
    << " refused by allow-from/deny-from\n";
  o << "sessions: " << s.sessions.size() << " open, " << s.not_negotiated << " not yet negotiated\n";
  if (!s.sessions.empty()) o << "  CLIENT  USER  DESTINATION  PHASE  AGE  UP  DOWN\n";
  for (std::size_t i = 0; i < s.sessions.size(); ++i) {
    const session_status& x = s.sessions[i];
    o << "  " << text::escape(x.client) << "  " << text::escape(x.user) << "  " << text::escape(x.destination)
      << "  " << x.phase << "  " << duration_text(x.seconds) << "  " << x.up << "  " << x.down << "\n";
  }
  return o.str();
}

std::string status_json(const server_status& s) {
  std::ostringstream o;
  o << "{\"version\":" << text::json_string(s.version) << ",\"pid\":" << s.pid << ",\"uptime_seconds\":"
    << s.uptime_seconds << ",\"reactor\":" << text::json_string(s.reactor) << ",\"threads\":" << s.threads
    << ",\"draining\":" << (s.draining ? "true" : "false") << ",\"listening\":[";
  for (std::size_t i = 0; i < s.listeners.size(); ++i) o << (i ? "," : "") << text::json_string(s.listeners[i]);
  o << "],\"limits\":{\"max_sessions\":" << s.max_sessions << ",\"max_sessions_per_client\":" << s.per_client
    << ",\"max_startups\":" << s.startups << ",\"max_startups_per_client\":" << s.startups_per_client
    << ",\"extra_sockets\":" << s.extra_sockets << ",\"idle_timeout_ms\":" << s.idle_timeout_ms
    << ",\"handshake_timeout_ms\":" << s.handshake_timeout_ms << "},\"counters\":{\"accepted\":" << s.accepted
    << ",\"refused\":" << s.refused << ",\"ended\":" << s.ended << ",\"dropped_startups\":" << s.dropped_startups
    << ",\"filtered\":" << s.filtered << ",\"open\":" << s.sessions.size() << ",\"not_negotiated\":" << s.not_negotiated << "},\"sessions\":[";
  for (std::size_t i = 0; i < s.sessions.size(); ++i) {
    const session_status& x = s.sessions[i];
    o << (i ? "," : "") << "{\"client\":" << text::json_string(x.client) << ",\"user\":" << text::json_string(x.user)
      << ",\"destination\":" << text::json_string(x.destination) << ",\"command\":" << text::json_string(x.command)
      << ",\"phase\":" << text::json_string(x.phase) << ",\"age_seconds\":" << x.seconds << ",\"up\":" << x.up
      << ",\"down\":" << x.down << "}";
  }
  o << "]}\n";
  return o.str();
}

}  // namespace server
}  // namespace tlsmux
