// SPDX-License-Identifier: GPL-2.0-or-later
// SOCKS4 and SOCKS4a, as the local listener of `tlsmux socks` accepts them from old programs
// (the SOCKS4 protocol text of 1992 and its 4A extension): a pure incremental parser of the
// request and the 8-byte reply.
#ifndef TLSMUX_CLIENT_SOCKS4_CODEC_HPP
#define TLSMUX_CLIENT_SOCKS4_CODEC_HPP

#include "socks5/protocol.hpp"

#include <cstddef>
#include <cstdint>
#include <string>

namespace tlsmux {
namespace client {

/// SOCKS4 reply codes (CD of the reply).
enum class socks4_reply : std::uint8_t {
  granted = 0x5a,        ///< request granted
  rejected = 0x5b,       ///< request rejected or failed
  no_identd = 0x5c,      ///< rejected: the client runs no identd
  identd_mismatch = 0x5d ///< rejected: identd and USERID disagree
};

/// A SOCKS4 or SOCKS4a request.
struct socks4_request {
  std::uint8_t cmd = 0;    ///< 1 CONNECT, 2 BIND
  socks5::address dst;     ///< ipv4, or a domain name for SOCKS4a (DSTIP 0.0.0.x, x != 0)
  std::string userid;      ///< USERID as sent (at most 255 bytes)
  bool socks4a = false;
};

/// Longest USERID or SOCKS4a host name accepted, without its terminating NUL.
const std::size_t socks4_max_field = 255;

/// Parses VN CD DSTPORT DSTIP USERID NUL [HOST NUL] at p[0..n). Call again with more bytes on
/// need_more; on ok, used is the request's length (bytes after it are the application's data).
/// bad: VN != 4, a field longer than socks4_max_field, an empty SOCKS4a host, port 0.
socks5::parse_status parse_socks4_request(const std::uint8_t* p, std::size_t n, std::size_t& used,
                                          socks4_request& out);

/// VN=0 CD DSTPORT DSTIP: the 8-byte reply. An IPv4 bnd is echoed; anything else is zeros.
socks5::bytes encode_socks4_reply(socks4_reply code, const socks5::address& bnd);

/// The SOCKS4 code for a SOCKS5 reply code from the server (0 = granted).
socks4_reply socks4_code_for(int socks5_reply);

}  // namespace client
}  // namespace tlsmux

#endif
