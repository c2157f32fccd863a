// SPDX-License-Identifier: GPL-2.0-or-later
// accept_backoff: the pause of an accept loop out of descriptors.
#include "transport/accept_backoff.hpp"

#include "log/rate_limit.hpp"

#include <asio/error.hpp>

namespace tlsmux {
namespace transport {

bool accept_exhausted(const std::error_code& ec) {
  return ec == asio::error::no_descriptors || ec == asio::error::no_buffer_space || ec == asio::error::no_memory ||
         ec == std::errc::too_many_files_open_in_system;
}

bool accept_backoff::pause(const std::error_code& ec, const char* what, std::function<void()> resume) {
  if (!accept_exhausted(ec)) return false;
  // Once per episode, and at most once a second however often episodes start and end.
  if (!paused_) log::limited_warning("accept exhausted", std::string(what) + ": accept() failed: " + ec.message() + "; pausing");
  paused_ = true;
  timer_.expires_after(accept_pause);
  timer_.async_wait([resume](const std::error_code& tec) {
    if (!tec) resume();
  });
  return true;
}

}  // namespace transport
}  // namespace tlsmux
