// SPDX-License-Identifier: GPL-2.0-or-later
// UDP datagrams: the RFC 1928 UDP request header, and TLSMUX's in-stream framing of it
// (a 2-byte big-endian length N, then N bytes of header + payload; see docs/protocol.md).
#ifndef TLSMUX_SOCKS5_UDP_FRAME_HPP
#define TLSMUX_SOCKS5_UDP_FRAME_HPP

#include "socks5/protocol.hpp"

#include <string>

namespace tlsmux {
namespace socks5 {

/// Largest N a frame may announce: a UDP payload of 65507 bytes plus the largest header.
const std::size_t max_udp_frame = 65535;

/// A parsed datagram. payload points into the parsed input.
struct datagram {
  std::uint8_t frag = 0;
  address addr;
  const std::uint8_t* payload = nullptr;
  std::size_t size = 0;
};

/// Parses RSV RSV FRAG ATYP ADDR PORT DATA from exactly n bytes (one whole UDP packet).
/// Returns false when the header is malformed, RSV != 0 or the ATYP is unknown.
bool parse_udp_header(const std::uint8_t* p, std::size_t n, datagram& out);
/// Appends the RFC 1928 UDP header (FRAG 0) for addr followed by the payload.
bool append_udp_packet(bytes& out, const address& addr, const std::uint8_t* payload,
                       std::size_t size);

/// Parses one length-prefixed frame. need_more until the whole frame is present.
/// bad when N > max_frame or N == 0, or the header inside is malformed (used is then set
/// to the frame size when N itself was acceptable, so a caller may skip the frame).
parse_status parse_udp_frame(const std::uint8_t* p, std::size_t n, std::size_t& used,
                             datagram& out, std::size_t max_frame = max_udp_frame);
/// Appends a length-prefixed frame. Returns false when it would exceed max_udp_frame.
bool append_udp_frame(bytes& out, const address& addr, const std::uint8_t* payload,
                      std::size_t size);

}  // namespace socks5
}  // namespace tlsmux

#endif
