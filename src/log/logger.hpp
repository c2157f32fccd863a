// SPDX-License-Identifier: GPL-2.0-or-later
// The process logger: one line per event, to stderr, a file (reopened on SIGUSR1) or the
// system log. Errors are logged once, where detected; sessions log one line at close.
#ifndef TLSMUX_LOG_LOGGER_HPP
#define TLSMUX_LOG_LOGGER_HPP

#include <memory>
#include <string>

namespace tlsmux {
namespace log {

/// Severity, most severe first.
enum class level { error = 0, warning, notice, info, debug };

/// Parses "error", "warning", "notice", "info", "debug".
bool parse_level(const std::string& text, level& out);
/// Lower-case name of a level.
const char* level_name(level l);

/// Where lines go.
class sink {
 public:
  virtual ~sink() {}
  /// Writes one finished line (no trailing newline in text).
  virtual void write(level l, const std::string& text) = 0;
  /// Reopens a file after rotation; other sinks ignore it.
  virtual void reopen() {}
};

/// A sink writing "2026-11-28T01:22:15Z tlsmux[PID] level: text" lines to stderr.
std::unique_ptr<sink> make_stderr_sink();
/// A sink appending the same lines to a file; nullptr and error set when it cannot open.
std::unique_ptr<sink> make_file_sink(const std::string& path, std::string& error);
/// A sink writing to the system log (syslog on POSIX, the Event Log on Windows).
std::unique_ptr<sink> make_system_sink(const std::string& ident);

/// Replaces the process sink (stderr until set). Not thread-safe against concurrent log().
void set_sink(std::unique_ptr<sink> s);
/// Lines above this level are dropped.
void set_level(level l);
/// Reopens the current sink (log rotation).
void reopen();
/// Whether a line at level l would be written.
bool enabled(level l);
/// Writes one line. Bytes outside printable ASCII are written as \xNN (log injection); text
/// from a peer goes in as a log field (text/log_fields.hpp), which also quotes it.
void write(level l, const std::string& text);

inline void error(const std::string& t) { write(level::error, t); }
inline void warning(const std::string& t) { write(level::warning, t); }
inline void notice(const std::string& t) { write(level::notice, t); }
inline void info(const std::string& t) { write(level::info, t); }
inline void debug(const std::string& t) { write(level::debug, t); }

}  // namespace log
}  // namespace tlsmux

#endif
