// SPDX-License-Identifier: GPL-2.0-or-later
// Rate-limited log lines, for every line a peer can cause: at most one line a second per
// cause, and the next line that goes out says how many were suppressed since the last one.
// A peer that makes the server fail a thousand times a second then costs one line a second
// per cause, not a full disk (issue 13, finding 5).
#ifndef TLSMUX_LOG_RATE_LIMIT_HPP
#define TLSMUX_LOG_RATE_LIMIT_HPP

#include "log/logger.hpp"

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace tlsmux {
namespace log {

/// The decision for one cause, with the clock injected (pure; unit-tested).
class rate_limiter {
 public:
  typedef std::chrono::steady_clock::time_point time_point;

  explicit rate_limiter(std::chrono::milliseconds interval = std::chrono::milliseconds(1000))
      : interval_(interval) {}
  /// True when a line for `cause` may go out at `now`; then `suppressed` is the number of
  /// lines held back since the previous one. False counts the line as suppressed.
  /// Causes must come from a finite set (a literal naming the event, an error code; never
  /// peer data), so that the table stays small.
  bool admit(const std::string& cause, time_point now, std::uint64_t& suppressed);

 private:
  struct state {
    time_point last;
    std::uint64_t suppressed;
  };
  std::chrono::milliseconds interval_;
  std::map<std::string, state> causes_;
};

/// Writes text at level l unless a line for `cause` went out less than a second ago; adds
/// " (N similar lines suppressed)" when some were held back. Thread-safe.
void limited(level l, const std::string& cause, const std::string& text);

/// Forgets every cause (tests: each starts with none logged).
void reset_limits();

inline void limited_warning(const std::string& cause, const std::string& text) { limited(level::warning, cause, text); }

}  // namespace log
}  // namespace tlsmux

#endif
