// SPDX-License-Identifier: GPL-2.0-or-later
// The server's RFC 1929 check: the password file behind the failed-login throttle.
#ifndef TLSMUX_SERVER_PASSWORD_CHECK_HPP
#define TLSMUX_SERVER_PASSWORD_CHECK_HPP

#include "auth/login_throttle.hpp"
#include "server/snapshot.hpp"
#include "socks5/negotiator.hpp"

#include <asio/ip/address.hpp>
#include <string>

namespace tlsmux {
namespace server {

/// The throttle's key for a client: its IPv4 address (also when IPv4-mapped), or its IPv6 /64.
std::string throttle_key(const asio::ip::address& client);

/// True when the credentials match the password file. An address locked out by the
/// throttle is refused without looking at the password (no PBKDF2 work, nothing to learn)
/// and `locked` says why; the failure that locks an address is logged once, as a warning.
bool check_password(const snapshot& snap, auth::login_throttle& throttle, const asio::ip::address& client,
                    const socks5::credentials& c, std::string& locked);

}  // namespace server
}  // namespace tlsmux

#endif
