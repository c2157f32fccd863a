// SPDX-License-Identifier: GPL-2.0-or-later
// Server side of SOCKS5: pure, incremental parsers for what a client sends, and encoders
// for what the server answers. Each parser is stateless: call it again with more bytes.
#ifndef TLSMUX_SOCKS5_SERVER_CODEC_HPP
#define TLSMUX_SOCKS5_SERVER_CODEC_HPP

#include "socks5/protocol.hpp"

#include <string>
#include <vector>

namespace tlsmux {
namespace socks5 {

/// Parses VER NMETHODS METHODS. bad when VER != 5 or NMETHODS == 0.
parse_status parse_greeting(const std::uint8_t* p, std::size_t n, std::size_t& used,
                            std::vector<std::uint8_t>& methods);

/// RFC 1929 credentials.
struct credentials {
  std::string user;
  std::string password;
};

/// Parses VER ULEN UNAME PLEN PASSWD. bad when VER != 1 or ULEN == 0.
parse_status parse_userpass(const std::uint8_t* p, std::size_t n, std::size_t& used,
                            credentials& out);

/// A client request (RFC 1928 section 4).
struct request {
  std::uint8_t cmd = 0;  ///< raw CMD byte; see command
  address dst;
};

/// Why a request was bad, and how to answer it.
struct request_error {
  reply_code code = reply_code::general_failure;  ///< reply to send when send_reply
  bool send_reply = true;                           ///< false: close without a reply (bad VER)
  const char* reason = "";                          ///< short text for the log
};

/// Parses VER CMD RSV ATYP DST.ADDR DST.PORT. An unknown CMD still parses ok (the caller
/// answers 0x07). bad for VER != 5 (no reply), RSV != 0 (0x01), unknown ATYP (0x08),
/// zero-length name (0x01).
parse_status parse_request(const std::uint8_t* p, std::size_t n, std::size_t& used,
                           request& out, request_error& err);

/// VER METHOD.
bytes encode_method_choice(method m);
/// VER STATUS of RFC 1929: 0x00 on success, 0x01 on failure.
bytes encode_userpass_status(bool ok);
/// VER STATUS with any status byte (0x00 success, anything else a failure).
bytes encode_userpass_status_byte(std::uint8_t status);
/// The failure status that tells a client it is locked out for `seconds` more (rounded up;
/// docs/protocol.md): 0x81-0xBC are 1-60 s, 0xBD-0xFE 2-67 minutes (0xFE: 67 or more).
std::uint8_t lockout_status(std::uint32_t seconds);
/// VER REP RSV ATYP BND.ADDR BND.PORT. A domain bnd that cannot be encoded becomes 0.0.0.0:0.
bytes encode_reply(reply_code code, const address& bnd);

}  // namespace socks5
}  // namespace tlsmux

#endif
