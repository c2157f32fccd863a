// SPDX-License-Identifier: GPL-2.0-or-later
// The service listing of tlsmux, the TCPMUX HELP of RFC 1078 carried inside SOCKS5: a CONNECT
// to the reserved name help.tlsmux.invalid, port 0 (".invalid" never resolves, RFC 6761, and
// port 0 is never a service), answered with reply 0x00 and text lines (docs/protocol.md).
#ifndef TLSMUX_SOCKS5_HELP_HPP
#define TLSMUX_SOCKS5_HELP_HPP

#include "socks5/protocol.hpp"

#include <cctype>
#include <string>

namespace tlsmux {
namespace socks5 {

/// The reserved DOMAINNAME of the listing.
const char* const help_name = "help.tlsmux.invalid";
/// The version word of the listing's first line ("tlsmux-help 1").
const char* const help_magic = "tlsmux-help";
/// Largest listing a client reads.
const std::size_t help_max_size = 64 * 1024;

/// The listing's address: help_name, port 0.
inline address help_address() { return address::from_name(help_name, 0); }

/// Whether a request names the listing (the name in any letter case, port 0).
inline bool is_help(const address& a) {
  if (a.type != atyp::domain || a.port != 0 || a.name.size() != std::string(help_name).size()) return false;
  for (std::size_t i = 0; i < a.name.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a.name[i])) != help_name[i]) return false;
  return true;
}

}  // namespace socks5
}  // namespace tlsmux

#endif
