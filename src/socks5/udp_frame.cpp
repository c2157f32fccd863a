// SPDX-License-Identifier: GPL-2.0-or-later
// RFC 1928 UDP request headers and TLSMUX's length-prefixed framing of them.
#include "socks5/udp_frame.hpp"

namespace tlsmux {
namespace socks5 {

namespace {

// RSV RSV FRAG, before ATYP.
const std::size_t udp_prefix = 3;
// The 2-byte big-endian length in front of each frame.
const std::size_t frame_prefix = 2;

}  // namespace

bool parse_udp_header(const std::uint8_t* p, std::size_t n, datagram& out) {
  if (n < udp_prefix + 1) return false;
  if (p[0] != 0 || p[1] != 0) return false;
  std::size_t addr_used = 0;
  address addr;
  // need_more means the packet ends inside the address: malformed as well.
  if (parse_address(p + udp_prefix, n - udp_prefix, addr_used, addr, nullptr) !=
      parse_status::ok) {
    return false;
  }
  const std::size_t header = udp_prefix + addr_used;
  out.frag = p[2];
  out.addr = addr;
  out.payload = p + header;
  out.size = n - header;
  return true;
}

bool append_udp_packet(bytes& out, const address& addr, const std::uint8_t* payload,
                       std::size_t size) {
  bytes b;
  b.reserve(udp_prefix + encoded_size(addr) + size);
  b.push_back(0x00);
  b.push_back(0x00);
  b.push_back(0x00);
  if (!append_address(b, addr)) return false;
  if (size > 0) b.insert(b.end(), payload, payload + size);
  out.insert(out.end(), b.begin(), b.end());
  return true;
}

parse_status parse_udp_frame(const std::uint8_t* p, std::size_t n, std::size_t& used,
                             datagram& out, std::size_t max_frame) {
  if (n < frame_prefix) return parse_status::need_more;
  const std::size_t len = (static_cast<std::size_t>(p[0]) << 8) | p[1];
  if (len == 0 || len > max_frame) {
    used = 0;
    return parse_status::bad;
  }
  if (n < frame_prefix + len) return parse_status::need_more;
  used = frame_prefix + len;
  if (!parse_udp_header(p + frame_prefix, len, out)) return parse_status::bad;
  return parse_status::ok;
}

bool append_udp_frame(bytes& out, const address& addr, const std::uint8_t* payload,
                      std::size_t size) {
  if (size > max_udp_frame) return false;
  bytes b;
  b.push_back(0x00);
  b.push_back(0x00);
  if (!append_udp_packet(b, addr, payload, size)) return false;
  const std::size_t len = b.size() - frame_prefix;
  if (len > max_udp_frame) return false;
  b[0] = static_cast<std::uint8_t>(len >> 8);
  b[1] = static_cast<std::uint8_t>(len & 0xff);
  out.insert(out.end(), b.begin(), b.end());
  return true;
}

}  // namespace socks5
}  // namespace tlsmux
