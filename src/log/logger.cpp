// SPDX-License-Identifier: GPL-2.0-or-later
// The process logger: line formatting, escaping, and the stderr, file and system sinks.
#include "log/logger.hpp"

#include "text/escape.hpp"
#include "tlsmux/platform/descriptors.hpp"

#include <tlsmux/platform/files.hpp>
#include <tlsmux/platform/host.hpp>
#include <tlsmux/platform/process.hpp>
#include <tlsmux/platform/system_log.hpp>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

namespace tlsmux {
namespace log {

namespace {

const char* const level_names[] = {"error", "warning", "notice", "info", "debug"};

/// "2026-11-28T01:22:15Z tlsmux[PID] level: text\n", ready for one fwrite().
std::string format_line(level l, const std::string& text) {
  std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm;
  char stamp[32] = "0000-00-00T00:00:00Z";
  if (platform::utc_time(now, tm)) std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
  std::string line;
  line.reserve(text.size() + 64);
  line += stamp;
  line += " tlsmux[";
  line += std::to_string(platform::process_id());  // asked each time: daemonize() forks
  line += "] ";
  line += level_name(l);
  line += ": ";
  line += text;
  line += '\n';
  return line;
}

/// Writes whole lines to a stdio stream it does not own.
class stderr_sink : public sink {
 public:
  void write(level l, const std::string& text) override {
    std::string line = format_line(l, text);
    // One fwrite per line keeps lines whole even when another process shares stderr.
    std::fwrite(line.data(), 1, line.size(), stderr);
    std::fflush(stderr);
  }
};

/// Appends lines to a file; reopen() follows a rename by logrotate or newsyslog.
class file_sink : public sink {
 public:
  file_sink(const std::string& path, std::FILE* file) : path_(path), file_(file) {}
  ~file_sink() override {
    if (file_ != nullptr) std::fclose(file_);
  }

  void write(level l, const std::string& text) override {
    if (file_ == nullptr) return;
    std::string line = format_line(l, text);
    std::fwrite(line.data(), 1, line.size(), file_);
    std::fflush(file_);  // each line reaches the file at once (_IOLBF is full buffering on Windows)
  }

  void reopen() override {
    // Open the new file before closing the old one: if the open fails (disk full, the
    // directory gone), lines keep going to the rotated file instead of nowhere.
    std::FILE* next = open_file(path_);
    if (next == nullptr) return;
    if (file_ != nullptr) std::fclose(file_);
    file_ = next;
  }

  /// Opened for appending; write() flushes every line.
  static std::FILE* open_file(const std::string& path) {
    return platform::open_log_file(path);
  }

 private:
  file_sink(const file_sink&);
  file_sink& operator=(const file_sink&);
  std::string path_;
  std::FILE* file_;
};

/// Forwards to syslog or the Event Log, which add their own time stamp and pid.
class system_sink : public sink {
 public:
  explicit system_sink(const std::string& ident) { platform::system_log_open(ident); }
  ~system_sink() override { platform::system_log_close(); }
  void write(level l, const std::string& text) override {
    platform::system_log_write(static_cast<int>(l), text);
  }
};

/// All process-wide logger state, in one place.
/// With `threads` > 1 sessions log from several threads: the sink is used and replaced
/// under the mutex, and the threshold is read without it.
struct logger_state {
  std::mutex mutex;
  std::unique_ptr<sink> current;
  std::atomic<int> threshold{static_cast<int>(level::info)};
};

logger_state& state() {
  static logger_state s;
  return s;
}

sink& current_sink() {
  logger_state& s = state();
  if (!s.current) s.current.reset(new stderr_sink);
  return *s.current;
}

}  // namespace

bool parse_level(const std::string& text, level& out) {
  for (std::size_t i = 0; i < sizeof level_names / sizeof level_names[0]; ++i) {
    if (text == level_names[i]) {
      out = static_cast<level>(i);
      return true;
    }
  }
  return false;
}

const char* level_name(level l) {
  std::size_t i = static_cast<std::size_t>(l);
  return i < sizeof level_names / sizeof level_names[0] ? level_names[i] : "unknown";
}

std::unique_ptr<sink> make_stderr_sink() { return std::unique_ptr<sink>(new stderr_sink); }

std::unique_ptr<sink> make_file_sink(const std::string& path, std::string& error) {
  std::FILE* f = file_sink::open_file(path);
  if (f == nullptr) {
    int err = errno;
    error = "cannot open log file " + path + ": " + std::strerror(err);
    return std::unique_ptr<sink>();
  }
  return std::unique_ptr<sink>(new file_sink(path, f));
}

std::unique_ptr<sink> make_system_sink(const std::string& ident) {
  return std::unique_ptr<sink>(new system_sink(ident));
}

void set_sink(std::unique_ptr<sink> s) {
  std::lock_guard<std::mutex> lock(state().mutex);
  state().current = std::move(s);
}

void set_level(level l) { state().threshold = static_cast<int>(l); }

void reopen() {
  std::lock_guard<std::mutex> lock(state().mutex);
  current_sink().reopen();
}

bool enabled(level l) { return static_cast<int>(l) <= state().threshold.load(); }

void write(level l, const std::string& text) {
  if (!enabled(l)) return;
  // Control and non-ASCII bytes only: peer text was escaped as log fields (text/log_fields.hpp)
  // before it got here, and a backslash escaped again would double.
  std::string line = text::escape(text, "");
  std::lock_guard<std::mutex> lock(state().mutex);
  current_sink().write(l, line);
}

}  // namespace log
}  // namespace tlsmux
