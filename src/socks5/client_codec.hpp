// SPDX-License-Identifier: GPL-2.0-or-later
// Client side of SOCKS5: encoders for what a client sends, pure incremental parsers for
// what a server answers. Replies from a server are hostile input too (CVE-2026-56123).
#ifndef TLSMUX_SOCKS5_CLIENT_CODEC_HPP
#define TLSMUX_SOCKS5_CLIENT_CODEC_HPP

#include "socks5/protocol.hpp"

#include <string>
#include <vector>

namespace tlsmux {
namespace socks5 {

/// VER NMETHODS METHODS. At most 255 methods.
bytes encode_greeting(const std::vector<method>& methods);
/// VER ULEN UNAME PLEN PASSWD. Returns false when user or password is empty or > 255 bytes.
bool encode_userpass(bytes& out, const std::string& user, const std::string& password);
/// VER CMD RSV ATYP DST.ADDR DST.PORT. Returns false when the address cannot be encoded.
bool encode_request(bytes& out, command cmd, const address& dst);

/// Parses VER METHOD. bad when VER != 5.
parse_status parse_method_choice(const std::uint8_t* p, std::size_t n, std::size_t& used,
                                 std::uint8_t& method_out);
/// Parses VER STATUS of RFC 1929. bad when VER != 1.
parse_status parse_userpass_status(const std::uint8_t* p, std::size_t n, std::size_t& used,
                                   bool& ok);
/// The same, keeping the status byte (0x00 success).
parse_status parse_userpass_status(const std::uint8_t* p, std::size_t n, std::size_t& used,
                                   std::uint8_t& status);
/// For a tlsmux server's lockout status (0x81-0xFE, docs/protocol.md), how many seconds the
/// lockout lasts at most; 0 for any other status.
std::uint32_t lockout_seconds(std::uint8_t status);

/// A server reply.
struct reply {
  std::uint8_t code = 0;  ///< raw REP byte
  address bnd;
};
/// Parses VER REP RSV ATYP BND.ADDR BND.PORT. bad when VER != 5, RSV != 0 or ATYP unknown.
parse_status parse_reply(const std::uint8_t* p, std::size_t n, std::size_t& used, reply& out);

}  // namespace socks5
}  // namespace tlsmux

#endif
