// SPDX-License-Identifier: GPL-2.0-or-later
// Client side of SOCKS5: encoders for client messages and stateless parsers for answers.
#include "socks5/client_codec.hpp"

namespace tlsmux {
namespace socks5 {

namespace {

const std::size_t max_field = 255;

}  // namespace

bytes encode_greeting(const std::vector<method>& methods) {
  const std::size_t count = methods.size() < max_field ? methods.size() : max_field;
  bytes b;
  b.reserve(2 + count);
  b.push_back(version);
  b.push_back(static_cast<std::uint8_t>(count));
  for (std::size_t i = 0; i < count; ++i) b.push_back(static_cast<std::uint8_t>(methods[i]));
  return b;
}

bool encode_userpass(bytes& out, const std::string& user, const std::string& password) {
  if (user.empty() || user.size() > max_field) return false;
  if (password.empty() || password.size() > max_field) return false;
  out.push_back(userpass_version);
  out.push_back(static_cast<std::uint8_t>(user.size()));
  out.insert(out.end(), user.begin(), user.end());
  out.push_back(static_cast<std::uint8_t>(password.size()));
  out.insert(out.end(), password.begin(), password.end());
  return true;
}

bool encode_request(bytes& out, command cmd, const address& dst) {
  bytes b;
  b.push_back(version);
  b.push_back(static_cast<std::uint8_t>(cmd));
  b.push_back(0x00);
  if (!append_address(b, dst)) return false;
  out.insert(out.end(), b.begin(), b.end());
  return true;
}

// The parsers below read answers from a server, which may be hostile: every length is
// checked against n before any byte behind it is read.

parse_status parse_method_choice(const std::uint8_t* p, std::size_t n, std::size_t& used,
                                 std::uint8_t& method_out) {
  if (n < 1) return parse_status::need_more;
  if (p[0] != version) return parse_status::bad;
  if (n < 2) return parse_status::need_more;
  method_out = p[1];
  used = 2;
  return parse_status::ok;
}

parse_status parse_userpass_status(const std::uint8_t* p, std::size_t n, std::size_t& used,
                                   bool& ok) {
  if (n < 1) return parse_status::need_more;
  if (p[0] != userpass_version) return parse_status::bad;
  if (n < 2) return parse_status::need_more;
  ok = p[1] == 0x00;
  used = 2;
  return parse_status::ok;
}

parse_status parse_userpass_status(const std::uint8_t* p, std::size_t n, std::size_t& used,
                                   std::uint8_t& status) {
  bool ok = false;
  const parse_status st = parse_userpass_status(p, n, used, ok);
  if (st == parse_status::ok) status = p[1];
  return st;
}

std::uint32_t lockout_seconds(std::uint8_t status) {
  if (status <= 0x80 || status == 0xFF) return 0;
  if (status <= 0xBC) return status - 0x80u;
  return (status - 0xBBu) * 60u;
}

parse_status parse_reply(const std::uint8_t* p, std::size_t n, std::size_t& used, reply& out) {
  if (n < 1) return parse_status::need_more;
  if (p[0] != version) return parse_status::bad;
  if (n < 3) return parse_status::need_more;
  if (p[2] != 0) return parse_status::bad;
  std::size_t addr_used = 0;
  address bnd;
  const parse_status st = parse_address(p + 3, n - 3, addr_used, bnd, nullptr);
  if (st != parse_status::ok) return st;
  out.code = p[1];
  out.bnd = bnd;
  used = 3 + addr_used;
  return parse_status::ok;
}

}  // namespace socks5
}  // namespace tlsmux
