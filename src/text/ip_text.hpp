// SPDX-License-Identifier: GPL-2.0-or-later
// IP addresses as text and back, the same on every OS. The work is done on raw bytes; the
// templates at the end take any address type with Asio's interface (is_v4(), to_v4(),
// to_bytes(), ...), so this module includes no network header.
#ifndef TLSMUX_TEXT_IP_TEXT_HPP
#define TLSMUX_TEXT_IP_TEXT_HPP

#include <cstddef>
#include <cstdint>
#include <string>

namespace tlsmux {
namespace text {

/// An IP address in network byte order: 4 bytes for IPv4, 16 for IPv6.
struct ip_bytes {
  std::size_t size = 0;
  std::uint8_t b[16] = {};
};

/// n = 4: dotted quad. n = 16: RFC 5952 form (lower-case hex, the longest run of zero groups
/// as "::"), with a dotted tail only for ::a.b.c.d and ::ffff:a.b.c.d, as glibc prints them
/// (Windows' inet_ntop also dots ::ffff:0:a.b.c.d). Any other n: "?".
std::string ip_text(const std::uint8_t* b, std::size_t n);

/// Parses an IP literal with inet_pton's grammar on every OS: dotted-quad IPv4 without leading
/// zeros, or IPv6 hex groups (optionally with a dotted tail). Brackets, zone ids, short or
/// octal/hex IPv4 forms that some OS parsers accept are refused. False leaves out alone.
bool parse_ip(const std::string& text, ip_bytes& out);

/// ip_text() of an Asio-like address.
template <class Address>
std::string ip_text(const Address& a) {
  if (a.is_v4()) {
    const auto b = a.to_v4().to_bytes();
    return ip_text(b.data(), b.size());
  }
  const auto b = a.to_v6().to_bytes();
  return ip_text(b.data(), b.size());
}

/// "1.2.3.4:80" or "[::1]:80".
template <class Address>
std::string endpoint_text(const Address& a, std::uint16_t port) {
  return (a.is_v6() ? "[" + ip_text(a) + "]" : ip_text(a)) + ":" + std::to_string(port);
}

/// endpoint_text() of an Asio-like endpoint.
template <class Endpoint>
std::string endpoint_text(const Endpoint& ep) {
  return endpoint_text(ep.address(), ep.port());
}

/// parse_ip() into an Asio-like address (scope id 0).
template <class Address>
bool parse_ip(const std::string& text, Address& out) {
  typedef decltype(out.to_v4()) v4_type;
  typedef decltype(out.to_v6()) v6_type;
  ip_bytes ip;
  if (!parse_ip(text, ip)) return false;
  if (ip.size == 4) {
    typename v4_type::bytes_type raw;
    for (std::size_t i = 0; i < raw.size(); ++i) raw[i] = ip.b[i];
    out = Address(v4_type(raw));
  } else {
    typename v6_type::bytes_type raw;
    for (std::size_t i = 0; i < raw.size(); ++i) raw[i] = ip.b[i];
    out = Address(v6_type(raw));
  }
  return true;
}

}  // namespace text
}  // namespace tlsmux

#endif
