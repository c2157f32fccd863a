// SPDX-License-Identifier: GPL-2.0-or-later
// The host's interface addresses, re-enumerated at most every two seconds so an address
// that was added or removed counts (or stops counting) as local almost at once.
#ifndef TLSMUX_SERVER_LOCAL_CACHE_HPP
#define TLSMUX_SERVER_LOCAL_CACHE_HPP

#include "policy/decider.hpp"

#include <chrono>
#include <mutex>
#include <vector>

namespace tlsmux {
namespace server {

/// policy::address_source backed by platform::local_addresses with a short cache.
class cached_addresses : public policy::address_source {
 public:
  std::vector<asio::ip::address> addresses() override;
  /// Forces the next call to re-enumerate (reload).
  void invalidate();

 private:
  std::mutex mutex_;  // sessions on several threads (`threads`) share one cache
  std::vector<asio::ip::address> cache_;
  std::chrono::steady_clock::time_point when_;
  bool valid_ = false;
  bool failure_logged_ = false;
};

}  // namespace server
}  // namespace tlsmux

#endif
