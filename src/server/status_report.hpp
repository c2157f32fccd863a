// SPDX-License-Identifier: GPL-2.0-or-later
// `tlsmux status`: the control socket's request line and the report the server sends back
// (docs/protocol.md, "Control socket"). Pure: parsing and formatting only.
#ifndef TLSMUX_SERVER_STATUS_REPORT_HPP
#define TLSMUX_SERVER_STATUS_REPORT_HPP

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace tlsmux {
namespace server {

/// What a control client asks: "status" (text) or "status json", one line.
enum class control_command { status_text, status_json };

/// The longest request line accepted (LF included).
const std::size_t max_control_line = 64;

/// Collects a request line fed in pieces: done at the first LF, bad past max_control_line
/// bytes or on a NUL. Bytes after the LF are ignored.
class control_line {
 public:
  enum result { more, done, bad };
  result feed(const char* data, std::size_t n);
  const std::string& line() const { return line_; }  ///< without the LF (and a CR before it)

 private:
  std::string line_;
  result state_ = more;
};

/// Parses a complete line: "status" or "status json" (case-sensitive, single spaces).
bool parse_control_request(const std::string& line, control_command& out);

/// One open session as the report shows it.
struct session_status {
  std::string client, user = "-", phase, command = "-", destination = "-";
  std::uint64_t seconds = 0;       ///< since the connection was accepted
  std::uint64_t up = 0, down = 0;  ///< payload bytes client -> service, service -> client
};

/// The whole report: identity, limits in use, counters since the start, sessions.
struct server_status {
  std::string version, reactor;
  std::uint64_t pid = 0, uptime_seconds = 0;
  std::vector<std::string> listeners;
  bool draining = false;
  // limits
  std::size_t max_sessions = 0, per_client = 0, startups = 0, startups_per_client = 0, extra_sockets = 0;
  std::uint32_t idle_timeout_ms = 0, handshake_timeout_ms = 0;
  std::size_t threads = 1;
  // counters
  std::uint64_t accepted = 0, refused = 0, ended = 0, dropped_startups = 0;
  std::uint64_t filtered = 0;  ///< closed at accept by allow-from/deny-from
  std::size_t not_negotiated = 0;
  std::vector<session_status> sessions;
};

/// The report for people: a header, limits, counters, then one line per session.
std::string status_text(const server_status& s);
/// The same as one JSON object (strings escaped; sizes as numbers).
std::string status_json(const server_status& s);

}  // namespace server
}  // namespace tlsmux

#endif
