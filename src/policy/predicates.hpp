// SPDX-License-Identifier: GPL-2.0-or-later
// Leaf predicates and lookups of the destination decision, private to the policy module.
// They answer yes or no, or name a catalog entry; they never call back into the decider and
// never word a reason (the decider does, in decider.cpp). Addresses are canonical.
#ifndef TLSMUX_POLICY_PREDICATES_HPP
#define TLSMUX_POLICY_PREDICATES_HPP

#include "policy/decider.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace tlsmux {
namespace policy {
namespace predicates {

/// A list of addresses.
typedef std::vector<asio::ip::address> address_list;

/// The host's addresses from s, canonicalised.
address_list own_addresses(address_source& s);
/// True when canon is loopback, or ordinary and in own.
bool is_local(const asio::ip::address& canon, const address_list& own);
/// True when port is one of tlsmux's own ports.
bool is_own_port(const rules& r, std::uint16_t port);

/// The catalog entry named name (ASCII case-insensitive), or null.
const service* find_by_name(const rules& r, const std::string& name);
/// The catalog entry whose canonical address and port equal canon and port, or null.
const service* find_exact(const rules& r, const asio::ip::address& canon, std::uint16_t port);

/// What a catalog entry lacks for a request, if anything.
enum class shortfall {
  none, bind_off, udp_off, password, certificate, client_network, identity, certificate_ca
};
/// What s lacks for cmd from a session with facts f: a switched-off command first, then
/// auth, allow-from, allow-users/allow-groups/allow-cert, and the service's client-ca.
shortfall service_lacks(const service& s, socks5::command cmd, const session_facts& f);
/// True when the session's certificate counts for s: it chains to s's client-ca, or to the
/// global client-ca when s has none (s may be null: no catalog entry).
bool certificate_counts(const service* s, const session_facts& f);

/// The catalog entry that refuses a target with this port, and why: exact if there is one,
/// else the first entry on the same port that lacks something (a service may listen on all
/// of the host's addresses, so another local address must not bypass its auth). Null when
/// none refuses.
const service* refusing_entry(const rules& r, const service* exact, std::uint16_t port,
                              socks5::command cmd, const session_facts& f, shortfall& why);

}  // namespace predicates
}  // namespace policy
}  // namespace tlsmux

#endif
