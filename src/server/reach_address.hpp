// SPDX-License-Identifier: GPL-2.0-or-later
// The address a client can reach a listener on, for the "client command:" line printed at
// start: a listener on one address is reached on that address (127.0.0.1 stays 127.0.0.1),
// a wildcard listener on the host's name, or on its first address that is neither loopback
// nor link-local when the name is unusable. Pure.
#ifndef TLSMUX_SERVER_REACH_ADDRESS_HPP
#define TLSMUX_SERVER_REACH_ADDRESS_HPP

#include <asio/ip/tcp.hpp>
#include <string>
#include <vector>

namespace tlsmux {
namespace server {

/// "HOST:PORT" to put in a client command for a listener on `listener`. `host_name` is the
/// machine's name ("" or "localhost" count as unusable); `own` its interface addresses in
/// the order the system lists them. IPv6 addresses are bracketed.
std::string reach_address(const asio::ip::tcp::endpoint& listener, const std::string& host_name,
                          const std::vector<asio::ip::address>& own);

}  // namespace server
}  // namespace tlsmux

#endif
