// SPDX-License-Identifier: GPL-2.0-or-later
// Canonicalisation and classification of destination addresses on their binary form.
#include "policy/address_class.hpp"

#include <array>

namespace tlsmux {
namespace policy {

namespace {

address_class classify_v4(const asio::ip::address_v4& a) {
  asio::ip::address_v4::bytes_type b = a.to_bytes();
  if (b[0] == 0) return address_class::unspecified;
  // 127.255.255.255 is the loopback network's broadcast address (SECURITY.md T4): never a
  // service, so it is refused like the limited broadcast rather than accepted as loopback.
  if (b[0] == 127) {
    bool all_ones = b[1] == 0xff && b[2] == 0xff && b[3] == 0xff;
    return all_ones ? address_class::broadcast : address_class::loopback;
  }
  if (b[0] == 169 && b[1] == 254) return address_class::link_local;
  if (b[0] >= 224 && b[0] <= 239) return address_class::multicast;
  if (b[0] == 255 && b[1] == 255 && b[2] == 255 && b[3] == 255) return address_class::broadcast;
  return address_class::ordinary;
}

bool all_zero(const asio::ip::address_v6::bytes_type& b, std::size_t from, std::size_t to) {
  for (std::size_t i = from; i < to; ++i)
    if (b[i] != 0) return false;
  return true;
}

address_class classify_v6(const asio::ip::address_v6& a) {
  asio::ip::address_v6::bytes_type b = a.to_bytes();
  if (all_zero(b, 0, 16)) return address_class::unspecified;
  if (all_zero(b, 0, 15) && b[15] == 1) return address_class::loopback;
  // ::a.b.c.d, the deprecated IPv4-compatible form: never unwrapped.
  if (all_zero(b, 0, 12)) return address_class::embedded_ipv4;
  if (all_zero(b, 0, 10) && b[10] == 0xff && b[11] == 0xff)
    return classify_v4(asio::ip::make_address_v4(asio::ip::v4_mapped, a));
  // SIIT ::ffff:0:a.b.c.d.
  if (all_zero(b, 0, 8) && b[8] == 0xff && b[9] == 0xff && b[10] == 0 && b[11] == 0)
    return address_class::embedded_ipv4;
  // NAT64: the well-known 64:ff9b::/96 and the local-use 64:ff9b:1::/48 (RFC 8215).
  if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b)
    return address_class::embedded_ipv4;
  if (b[0] == 0x20 && b[1] == 0x02) return address_class::embedded_ipv4;  // 6to4
  if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0 && b[3] == 0)
    return address_class::embedded_ipv4;  // Teredo
  if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) return address_class::link_local;
  if (b[0] == 0xff) return address_class::multicast;
  return address_class::ordinary;
}

bool hostname_byte(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c == '-' || c == '.' || c == '_' || c == ':';
}

}  // namespace

asio::ip::address canonical(const asio::ip::address& a) {
  if (a.is_v6() && a.to_v6().is_v4_mapped())
    return asio::ip::address(asio::ip::make_address_v4(asio::ip::v4_mapped, a.to_v6()));
  return a;
}

address_class classify(const asio::ip::address& canonical_address) {
  if (canonical_address.is_v4()) return classify_v4(canonical_address.to_v4());
  return classify_v6(canonical_address.to_v6());
}

const char* class_name(address_class c) {
  switch (c) {
    case address_class::loopback: return "loopback";
    case address_class::unspecified: return "unspecified";
    case address_class::link_local: return "link-local";
    case address_class::multicast: return "multicast";
    case address_class::broadcast: return "broadcast";
    case address_class::embedded_ipv4: return "embedded-ipv4";
    case address_class::ordinary: return "ordinary";
  }
  return "unknown";
}

bool is_plain_hostname(const std::string& name) {
  if (name.empty() || name.size() > 255) return false;
  for (std::string::size_type i = 0; i < name.size(); ++i)
    if (!hostname_byte(static_cast<unsigned char>(name[i]))) return false;
  return true;
}

}  // namespace policy
}  // namespace tlsmux
