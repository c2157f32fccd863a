// SPDX-License-Identifier: GPL-2.0-or-later
// rate_limiter and the process-wide limited() lines.
#include "log/rate_limit.hpp"

namespace tlsmux {
namespace log {

bool rate_limiter::admit(const std::string& cause, time_point now, std::uint64_t& suppressed) {
  std::map<std::string, state>::iterator it = causes_.find(cause);
  if (it == causes_.end()) {
    state s = {now, 0};
    causes_[cause] = s;
    suppressed = 0;
    return true;
  }
  if (now - it->second.last < interval_) {
    ++it->second.suppressed;
    return false;
  }
  suppressed = it->second.suppressed;
  it->second.last = now;
  it->second.suppressed = 0;
  return true;
}

namespace {

std::mutex& limiter_mutex() {
  static std::mutex m;
  return m;
}

rate_limiter& limiter() {
  static rate_limiter r;
  return r;
}

}  // namespace

void reset_limits() {
  std::lock_guard<std::mutex> lock(limiter_mutex());
  limiter() = rate_limiter();
}

void limited(level l, const std::string& cause, const std::string& text) {
  if (!enabled(l)) return;
  std::uint64_t suppressed = 0;
  {
    std::lock_guard<std::mutex> lock(limiter_mutex());
    if (!limiter().admit(cause, std::chrono::steady_clock::now(), suppressed)) return;
  }
  if (suppressed == 0) write(l, text);
  else write(l, text + " (" + std::to_string(suppressed) + " similar lines suppressed)");
}

}  // namespace log
}  // namespace tlsmux
