// SPDX-License-Identifier: GPL-2.0-or-later
// SOCKS5 wire helpers: names for codes, and the ATYP + address + port encoding.
#include "socks5/wire.hpp"

#include <array>
#include <cstdio>

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

// The longest run of two or more zero groups (the first on a tie), as [base, base + len).
void longest_zero_run(const unsigned (&w)[8], int& base, int& len) {
  base = -1;
  len = 0;
  for (int i = 0; i < 8;) {
    int j = i;
    while (j < 8 && w[j] == 0) ++j;
    if (j - i > len && j - i >= 2) {
      base = i;
      len = j - i;
    }
    i = j > i ? j : i + 1;
  }
}

std::string ipv6_text(const asio::ip::address_v6& a) {
  asio::ip::address_v6::bytes_type b = a.to_bytes();
  unsigned w[8];
  for (int i = 0; i < 8; ++i) w[i] = (static_cast<unsigned>(b[2 * i]) << 8) | b[2 * i + 1];
  int base, len;
  longest_zero_run(w, base, len);
  bool dotted = base == 0 && (len == 6 || (len == 5 && w[5] == 0xffff));
  int groups = dotted ? 6 : 8;
  std::string out;
  char buf[24];
  for (int i = 0; i < groups; ++i) {
    if (i == base) {
      out += "::";
      i += len - 1;
      continue;
    }
    if (!out.empty() && out[out.size() - 1] != ':') out += ':';
    std::snprintf(buf, sizeof buf, "%x", w[i]);
    out += buf;
  }
  if (dotted) {
    if (out[out.size() - 1] != ':') out += ':';
    std::snprintf(buf, sizeof buf, "%u.%u.%u.%u", b[12], b[13], b[14], b[15]);
    out += buf;
  }
  return out;
}

// a.b.c.d: four decimal parts of 1-3 digits, no leading zero, each at most 255.
bool dotted_quad_syntax(const std::string& t) {
  int parts = 0, digits = 0, value = 0;
  for (std::string::size_type i = 0; i <= t.size(); ++i) {
    if (i == t.size() || t[i] == '.') {
      if (digits == 0 || value > 255) return false;
      ++parts;
      digits = value = 0;
      continue;
    }
    if (t[i] < '0' || t[i] > '9' || digits == 3 || (digits == 1 && value == 0)) return false;
    value = value * 10 + (t[i] - '0');
    ++digits;
  }
  return parts == 4;
}

bool ipv6_syntax(const std::string& t) {
  std::string::size_type last_colon = t.rfind(':');
  for (std::string::size_type i = 0; i < last_colon; ++i) {
    char c = t[i];
    bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    if (!hex && c != ':') return false;
  }
  std::string tail = t.substr(last_colon + 1);
  if (tail.find('.') != std::string::npos) return dotted_quad_syntax(tail);
  for (std::string::size_type i = 0; i < tail.size(); ++i) {
    char c = tail[i];
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) return false;
  }
  return true;
}

}  // namespace

bool parse_ip(const std::string& text, asio::ip::address& out) {
  bool v6 = text.find(':') != std::string::npos;
  if (v6 ? !ipv6_syntax(text) : !dotted_quad_syntax(text)) return false;
  std::error_code ec;
  asio::ip::address a = asio::ip::make_address(text, ec);
  if (ec) return false;
  out = a;
  return true;
}

std::string ip_text(const asio::ip::address& ip) {
  return ip.is_v6() ? ipv6_text(ip.to_v6()) : ip.to_string();
}

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

std::string escape(const std::string& s) {
  static const char hex[] = "0123456789abcdef";
  std::string r;
  r.reserve(s.size());
  for (std::string::size_type i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    // The backslash is escaped too, so an escaped text can never be mistaken for another.
    if (c < 0x20 || c > 0x7e || c == '\\') {
      r += "\\x";
      r += hex[c >> 4];
      r += hex[c & 0x0f];
    } else {
      r += static_cast<char>(c);
    }
  }
  return r;
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
  std::string host;
  switch (type) {
    case atyp::ipv4: host = ip_text(ip); break;
    case atyp::ipv6: host = "[" + ip_text(ip) + "]"; break;
    case atyp::domain: host = escape(name); break;
  }
  return host + ":" + std::to_string(port);
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
