// SPDX-License-Identifier: GPL-2.0-or-later
// Facts about the host: its name and its calendar.
#ifndef TLSMUX_PLATFORM_HOST_HPP
#define TLSMUX_PLATFORM_HOST_HPP

#include <ctime>
#include <string>

namespace tlsmux {
namespace platform {

/// The host's name ("localhost" when unknown).
std::string host_name();
/// Converts t to broken-down UTC time in out (thread-safe); false when t is out of range.
bool utc_time(std::time_t t, std::tm& out);

}  // namespace platform
}  // namespace tlsmux

#endif
