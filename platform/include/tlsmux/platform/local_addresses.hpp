// SPDX-License-Identifier: GPL-2.0-or-later
// The host's own interface addresses, for the local-only policy.
#ifndef TLSMUX_PLATFORM_LOCAL_ADDRESSES_HPP
#define TLSMUX_PLATFORM_LOCAL_ADDRESSES_HPP

#include <asio/ip/address.hpp>
#include <string>
#include <system_error>
#include <vector>

namespace tlsmux {
namespace platform {

/// Replaces out with the unicast addresses of every interface that is up (loopback too).
/// IPv6 scope ids are dropped. The error names nothing: callers log "getifaddrs() failed"
/// via what().
std::error_code local_addresses(std::vector<asio::ip::address>& out, std::string& what);

}  // namespace platform
}  // namespace tlsmux

#endif
