// SPDX-License-Identifier: GPL-2.0-or-later
// Server side of SOCKS5: stateless parsers for client messages and encoders for answers.
#include "socks5/server_codec.hpp"

#include <algorithm>

namespace tlsmux {
namespace socks5 {

// Every parser checks the fields in wire order and decides "bad" as soon as the offending
// byte is present. The verdict for a prefix is therefore either need_more or the verdict
// for the whole input, which keeps callers independent of how the bytes were split.

parse_status parse_greeting(const std::uint8_t* p, std::size_t n, std::size_t& used,
                            std::vector<std::uint8_t>& methods) {
  if (n < 1) return parse_status::need_more;
  if (p[0] != version) return parse_status::bad;
  if (n < 2) return parse_status::need_more;
  if (p[1] == 0) return parse_status::bad;
  const std::size_t need = 2 + static_cast<std::size_t>(p[1]);
  if (n < need) return parse_status::need_more;
  methods.assign(p + 2, p + need);
  used = need;
  return parse_status::ok;
}

parse_status parse_userpass(const std::uint8_t* p, std::size_t n, std::size_t& used,
                            credentials& out) {
  if (n < 1) return parse_status::need_more;
  if (p[0] != userpass_version) return parse_status::bad;
  if (n < 2) return parse_status::need_more;
  const std::size_t ulen = p[1];
  if (ulen == 0) return parse_status::bad;
  if (n < 2 + ulen + 1) return parse_status::need_more;
  const std::size_t plen = p[2 + ulen];
  const std::size_t need = 2 + ulen + 1 + plen;
  if (n < need) return parse_status::need_more;
  out.user.assign(reinterpret_cast<const char*>(p + 2), ulen);
  out.password.assign(reinterpret_cast<const char*>(p + 3 + ulen), plen);
  used = need;
  return parse_status::ok;
}

namespace {

parse_status bad_request(request_error& err, reply_code code, bool send_reply,
                         const char* reason) {
  err.code = code;
  err.send_reply = send_reply;
  err.reason = reason;
  return parse_status::bad;
}

}  // namespace

parse_status parse_request(const std::uint8_t* p, std::size_t n, std::size_t& used,
                           request& out, request_error& err) {
  if (n < 1) return parse_status::need_more;
  if (p[0] != version) {
    // Not SOCKS5 (SOCKS4, HTTP, ...): close without reflecting anything.
    return bad_request(err, reply_code::general_failure, false, "request version is not 5");
  }
  if (n < 3) return parse_status::need_more;
  if (p[2] != 0) {
    return bad_request(err, reply_code::general_failure, true, "request reserved byte is not 0");
  }
  bool unknown_atyp = false;
  std::size_t addr_used = 0;
  address dst;
  switch (parse_address(p + 3, n - 3, addr_used, dst, &unknown_atyp)) {
    case parse_status::need_more:
      return parse_status::need_more;
    case parse_status::bad:
      if (unknown_atyp) {
        return bad_request(err, reply_code::address_type_not_supported, true,
                           "unknown address type");
      }
      return bad_request(err, reply_code::general_failure, true, "empty domain name");
    case parse_status::ok:
      break;
  }
  out.cmd = p[1];
  out.dst = dst;
  used = 3 + addr_used;
  return parse_status::ok;
}

bytes encode_method_choice(method m) {
  bytes b;
  b.push_back(version);
  b.push_back(static_cast<std::uint8_t>(m));
  return b;
}

bytes encode_userpass_status(bool ok) {
  bytes b;
  b.push_back(userpass_version);
  b.push_back(ok ? 0x00 : 0x01);
  return b;
}

bytes encode_userpass_status_byte(std::uint8_t status) {
  bytes b;
  b.push_back(userpass_version);
  b.push_back(status);
  return b;
}

std::uint8_t lockout_status(std::uint32_t seconds) {
  if (seconds == 0) seconds = 1;
  if (seconds <= 60) return static_cast<std::uint8_t>(0x80 + seconds);
  const std::uint32_t minutes = std::min<std::uint32_t>((seconds + 59) / 60, 67);
  return static_cast<std::uint8_t>(0xBB + minutes);
}

bytes encode_reply(reply_code code, const address& bnd) {
  bytes b;
  b.push_back(version);
  b.push_back(static_cast<std::uint8_t>(code));
  b.push_back(0x00);
  if (!append_address(b, bnd)) {
    append_address(b, address::from_ip(asio::ip::address_v4::any(), 0));
  }
  return b;
}

}  // namespace socks5
}  // namespace tlsmux
