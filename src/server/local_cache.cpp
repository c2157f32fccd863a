// SPDX-License-Identifier: GPL-2.0-or-later
// cached_addresses: interface addresses with a two-second cache.
#include "server/local_cache.hpp"

#include "log/logger.hpp"
#include "tlsmux/platform/local_addresses.hpp"

namespace tlsmux {
namespace server {

void cached_addresses::invalidate() {
  std::lock_guard<std::mutex> lock(mutex_);
  valid_ = false;
}

std::vector<asio::ip::address> cached_addresses::addresses() {
  std::lock_guard<std::mutex> lock(mutex_);
  std::chrono::steady_clock::time_point now = std::chrono::steady_clock::now();
  if (valid_ && now - when_ < std::chrono::seconds(2)) return cache_;
  std::vector<asio::ip::address> fresh;
  std::string what;
  std::error_code ec = platform::local_addresses(fresh, what);
  if (ec) {
    // Loopback stays local even when enumeration fails; other addresses are refused.
    if (!failure_logged_) log::error(what + ": " + ec.message());
    failure_logged_ = true;
    fresh.clear();
  } else {
    failure_logged_ = false;
  }
  cache_.swap(fresh);
  when_ = now;
  valid_ = true;
  return cache_;
}

}  // namespace server
}  // namespace tlsmux
