// SPDX-License-Identifier: GPL-2.0-or-later
// SOCKS4/4a request parser and reply encoder.
#include "client/socks4_codec.hpp"

namespace tlsmux {
namespace client {

namespace {

// Finds the NUL ending a field that starts at p[from]; need_more while none is there yet,
// bad once the field would exceed socks4_max_field.
socks5::parse_status field_end(const std::uint8_t* p, std::size_t n, std::size_t from, std::size_t& end) {
  for (std::size_t i = from; i < n; ++i) {
    if (p[i] == 0) {
      end = i;
      return socks5::parse_status::ok;
    }
    if (i - from >= socks4_max_field) return socks5::parse_status::bad;
  }
  return n - from > socks4_max_field ? socks5::parse_status::bad : socks5::parse_status::need_more;
}

}  // namespace

socks5::parse_status parse_socks4_request(const std::uint8_t* p, std::size_t n, std::size_t& used,
                                          socks4_request& out) {
  if (n >= 1 && p[0] != 0x04) return socks5::parse_status::bad;
  if (n < 8) return socks5::parse_status::need_more;
  const std::uint16_t port = static_cast<std::uint16_t>((p[2] << 8) | p[3]);
  if (port == 0) return socks5::parse_status::bad;
  std::size_t user_end = 0;
  socks5::parse_status st = field_end(p, n, 8, user_end);
  if (st != socks5::parse_status::ok) return st;
  socks4_request r;
  r.cmd = p[1];
  r.userid.assign(reinterpret_cast<const char*>(p + 8), user_end - 8);
  // SOCKS4a: DSTIP 0.0.0.x with x != 0 means "the host name follows USERID".
  r.socks4a = p[4] == 0 && p[5] == 0 && p[6] == 0 && p[7] != 0;
  if (!r.socks4a) {
    asio::ip::address_v4::bytes_type raw = {{p[4], p[5], p[6], p[7]}};
    r.dst = socks5::address::from_ip(asio::ip::address_v4(raw), port);
    used = user_end + 1;
    out = r;
    return socks5::parse_status::ok;
  }
  std::size_t host_end = 0;
  st = field_end(p, n, user_end + 1, host_end);
  if (st != socks5::parse_status::ok) return st;
  if (host_end == user_end + 1) return socks5::parse_status::bad;
  r.dst = socks5::address::from_name(
      std::string(reinterpret_cast<const char*>(p + user_end + 1), host_end - user_end - 1), port);
  used = host_end + 1;
  out = r;
  return socks5::parse_status::ok;
}

socks5::bytes encode_socks4_reply(socks4_reply code, const socks5::address& bnd) {
  socks5::bytes out(8, 0);
  out[1] = static_cast<std::uint8_t>(code);
  if (bnd.type == socks5::atyp::ipv4 && bnd.ip.is_v4()) {
    out[2] = static_cast<std::uint8_t>(bnd.port >> 8);
    out[3] = static_cast<std::uint8_t>(bnd.port & 0xff);
    const asio::ip::address_v4::bytes_type b = bnd.ip.to_v4().to_bytes();
    for (std::size_t i = 0; i < 4; ++i) out[4 + i] = b[i];
  }
  return out;
}

socks4_reply socks4_code_for(int socks5_reply) {
  // SOCKS4 has one failure code for everything the server can refuse; the reason goes to the
  // log (0x5C/0x5D are about identd, which tlsmux does not use).
  return socks5_reply == 0 ? socks4_reply::granted : socks4_reply::rejected;
}

}  // namespace client
}  // namespace tlsmux
