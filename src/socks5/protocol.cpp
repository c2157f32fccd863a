// SPDX-License-Identifier: GPL-2.0-or-later
// SOCKS5 wire helpers: names for codes, and the ATYP + address + port encoding.
#include "socks5/protocol.hpp"

#include "text/ip_text.hpp"

namespace tlsmux {
namespace socks5 {

namespace {

const std::size_t port_size = 2;
const std::size_t max_name = 255;

// Reads a 16-bit big-endian value; the caller has checked that two bytes are present.
std::uint16_t read_u16(const std::uint8_t* p) {
  return static_cast<std::uint16_t>((static_cast<unsigned>(p[0]) << 8) | p[1]);
}

void append_u16(bytes& out, std::uint16_t v) {
  out.push_back(static_cast<std::uint8_t>(v >> 8));
  out.push_back(static_cast<std::uint8_t>(v & 0xff));
}

}  // namespace

const char* describe(reply_code code) {
  switch (code) {
    case reply_code::succeeded: return "succeeded";
    case reply_code::general_failure: return "general SOCKS server failure";
    case reply_code::not_allowed: return "connection not allowed by ruleset";
    case reply_code::network_unreachable: return "network unreachable";
    case reply_code::host_unreachable: return "host unreachable";
    case reply_code::connection_refused: return "connection refused";
    case reply_code::ttl_expired: return "TTL expired";
    case reply_code::command_not_supported: return "command not supported";
    case reply_code::address_type_not_supported: return "address type not supported";
  }
  return "unknown reply";
}

const char* command_name(std::uint8_t cmd) {
  switch (cmd) {
    case static_cast<std::uint8_t>(command::connect): return "connect";
    case static_cast<std::uint8_t>(command::bind): return "bind";
    case static_cast<std::uint8_t>(command::udp_associate): return "udp-associate";
    default: return "unknown";
  }
}

address address::from_ip(const asio::ip::address& ip, std::uint16_t port) {
  address a;
  a.type = ip.is_v6() ? atyp::ipv6 : atyp::ipv4;
  a.ip = ip;
  a.port = port;
  return a;
}

address address::from_name(const std::string& name, std::uint16_t port) {
  address a;
  a.type = atyp::domain;
  a.name = name;
  a.port = port;
  return a;
}

std::string address::to_string() const {
  if (type == atyp::domain) return name + ":" + std::to_string(port);
  return text::endpoint_text(ip, port);
}

std::size_t encoded_size(const address& a) {
  switch (a.type) {
    case atyp::ipv4: return 1 + 4 + port_size;
    case atyp::ipv6: return 1 + 16 + port_size;
    case atyp::domain: return 1 + 1 + a.name.size() + port_size;
  }
  return 0;
}

bool append_address(bytes& out, const address& a) {
  switch (a.type) {
    case atyp::ipv4: {
      if (!a.ip.is_v4()) return false;
      asio::ip::address_v4::bytes_type b = a.ip.to_v4().to_bytes();
      out.push_back(static_cast<std::uint8_t>(atyp::ipv4));
      out.insert(out.end(), b.begin(), b.end());
      break;
    }
    case atyp::ipv6: {
      if (!a.ip.is_v6()) return false;
      asio::ip::address_v6::bytes_type b = a.ip.to_v6().to_bytes();
      out.push_back(static_cast<std::uint8_t>(atyp::ipv6));
      out.insert(out.end(), b.begin(), b.end());
      break;
    }
    case atyp::domain:
      // An empty name would be rejected by every parser, so it is not encodable either.
      if (a.name.empty() || a.name.size() > max_name) return false;
      out.push_back(static_cast<std::uint8_t>(atyp::domain));
      out.push_back(static_cast<std::uint8_t>(a.name.size()));
      out.insert(out.end(), a.name.begin(), a.name.end());
      break;
    default:
      return false;
  }
  append_u16(out, a.port);
  return true;
}

parse_status parse_address(const std::uint8_t* p, std::size_t n, std::size_t& used, address& out,
                           bool* unknown_atyp) {
  if (unknown_atyp) *unknown_atyp = false;
  if (n < 1) return parse_status::need_more;
  address a;
  std::size_t need = 0;
  switch (p[0]) {
    case static_cast<std::uint8_t>(atyp::ipv4): need = 1 + 4 + port_size; break;
    case static_cast<std::uint8_t>(atyp::ipv6): need = 1 + 16 + port_size; break;
    case static_cast<std::uint8_t>(atyp::domain):
      if (n < 2) return parse_status::need_more;
      if (p[1] == 0) return parse_status::bad;
      need = 1 + 1 + p[1] + port_size;
      break;
    default:
      if (unknown_atyp) *unknown_atyp = true;
      return parse_status::bad;
  }
  if (n < need) return parse_status::need_more;

  a.type = static_cast<atyp>(p[0]);
  if (a.type == atyp::ipv4) {
    asio::ip::address_v4::bytes_type b;
    for (std::size_t i = 0; i < b.size(); ++i) b[i] = p[1 + i];
    a.ip = asio::ip::address_v4(b);
  } else if (a.type == atyp::ipv6) {
    asio::ip::address_v6::bytes_type b;
    for (std::size_t i = 0; i < b.size(); ++i) b[i] = p[1 + i];
    a.ip = asio::ip::address_v6(b);
  } else {
    a.name.assign(reinterpret_cast<const char*>(p + 2), p[1]);
  }
  a.port = read_u16(p + need - port_size);
  out = a;
  used = need;
  return parse_status::ok;
}

}  // namespace socks5
}  // namespace tlsmux
