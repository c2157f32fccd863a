// SPDX-License-Identifier: GPL-2.0-or-later
// Canonicalisation and classification of destination addresses: the binary address that
// will be passed to connect() is what decides, never a string (docs/security.md).
#ifndef TLSMUX_POLICY_ADDRESS_CLASS_HPP
#define TLSMUX_POLICY_ADDRESS_CLASS_HPP

#include <asio/ip/address.hpp>
#include <string>

namespace tlsmux {
namespace policy {

/// What an address is, after canonicalisation.
enum class address_class {
  loopback,       ///< 127.0.0.0/8, ::1
  unspecified,    ///< 0.0.0.0/8, ::
  link_local,     ///< 169.254.0.0/16, fe80::/10
  multicast,      ///< 224.0.0.0/4, ff00::/8
  broadcast,      ///< 255.255.255.255
  embedded_ipv4,  ///< IPv4-compatible, NAT64 64:ff9b::/96, 6to4 2002::/16, Teredo 2001::/32, SIIT
  ordinary        ///< anything else: local only if assigned to one of the host's interfaces
};

/// ::ffff:a.b.c.d becomes a.b.c.d; every other address is returned unchanged.
asio::ip::address canonical(const asio::ip::address& a);
/// Classifies a canonical address (call canonical() first).
address_class classify(const asio::ip::address& canonical_address);
/// Lower-case name of a class, for log lines.
const char* class_name(address_class c);
/// True when a DOMAINNAME may be resolved: 1..255 bytes of letters, digits, '-', '.', '_'
/// and ':' (IPv6 literals); no NUL, no control characters, no spaces.
bool is_plain_hostname(const std::string& name);

}  // namespace policy
}  // namespace tlsmux

#endif
