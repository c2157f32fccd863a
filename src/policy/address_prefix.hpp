// SPDX-License-Identifier: GPL-2.0-or-later
// The network a client address belongs to, for every limit that counts clients: one host
// usually holds a whole IPv6 /64, so counting addresses would let it take as many shares as
// it has addresses. Pure: the session caps, the startup budget and the login throttle all
// group clients with this one function.
#ifndef TLSMUX_POLICY_ADDRESS_PREFIX_HPP
#define TLSMUX_POLICY_ADDRESS_PREFIX_HPP

#include <asio/ip/address.hpp>

#include <string>

namespace tlsmux {
namespace policy {

/// How many leading bits of a client address make one client (`client-prefix-v4`,
/// `client-prefix-v6`).
struct prefix_lengths {
  unsigned v4 = 32;  ///< 1 to 32
  unsigned v6 = 64;  ///< 1 to 128
};

/// The network of `client`: canonicalised first (an IPv4-mapped IPv6 address counts as
/// IPv4), then every bit after the family's prefix length cleared. Lengths beyond the
/// address size are taken as the full address.
asio::ip::address network_of(const asio::ip::address& client, const prefix_lengths& p);

/// The prefix length network_of() applies to this address's family (after canonicalising).
unsigned prefix_length_of(const asio::ip::address& client, const prefix_lengths& p);

/// The bytes of network_of() (4 or 16), as a map key.
std::string network_key(const asio::ip::address& client, const prefix_lengths& p);

/// "192.0.2.7" for a full-length IPv4 prefix, "2001:db8:1:2::/64" otherwise.
std::string network_text(const asio::ip::address& client, const prefix_lengths& p);

}  // namespace policy
}  // namespace tlsmux

#endif
