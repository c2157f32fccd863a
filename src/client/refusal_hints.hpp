// SPDX-License-Identifier: GPL-2.0-or-later
// What a user can do about a server's refusal: hints the client adds to the server's SOCKS
// reply when the request itself suggests the cause. Pure.
#ifndef TLSMUX_CLIENT_REFUSAL_HINTS_HPP
#define TLSMUX_CLIENT_REFUSAL_HINTS_HPP

#include "socks5/protocol.hpp"

#include <string>

namespace tlsmux {
namespace client {

/// The facts a hint depends on.
struct refusal_facts {
  int reply = -1;            ///< the server's REP byte
  socks5::address target;    ///< what was asked for
  std::string server_host;   ///< how the server was reached (HOST of the command line)
  bool anonymous = true;     ///< neither --user nor --cert was given
};

/// True for "localhost" and loopback literals (127.0.0.0/8, ::1).
bool names_loopback(const socks5::address& a);

/// "" or a sentence starting with "; " to append to the refusal:
/// - 0x02 to an anonymous client: the service may need a login (--user or --cert);
/// - 0x05 for localhost/loopback when the server was reached on another address: under the
///   default expose = same-address the server connected to that address instead; the fix is
///   a [service] entry or expose = local on the server.
std::string refusal_hint(const refusal_facts& f);

}  // namespace client
}  // namespace tlsmux

#endif
