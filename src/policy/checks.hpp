// SPDX-License-Identifier: GPL-2.0-or-later
// Building blocks of the decider, private to the policy module: the local check, the port
// check, catalog lookups and per-service permissions.
#ifndef TLSMUX_POLICY_CHECKS_HPP
#define TLSMUX_POLICY_CHECKS_HPP

#include "policy/decider.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace tlsmux {
namespace policy {
namespace checks {

/// A list of addresses.
typedef std::vector<asio::ip::address> address_list;

/// A denial with code (0x02 unless given) and a log reason.
verdict deny(const std::string& reason,
             socks5::reply_code code = socks5::reply_code::not_allowed);
/// "0x1f".
std::string hex_byte(std::uint8_t b);
/// Copies s for a log line: bytes outside 0x20..0x7e, and the backslash, become \xNN.
std::string escape(const std::string& s);
/// "1.2.3.4:80" or "[::1]:80".
std::string endpoint_text(const asio::ip::address& a, std::uint16_t port);

/// The host's addresses from s, canonicalised.
address_list own_addresses(address_source& s);
/// True when canon is loopback, or ordinary and in own. Sets reason when false.
bool is_local(const asio::ip::address& canon, const address_list& own, std::string& reason);
/// Refuses port 0 and tlsmux's own ports. Sets reason when false.
bool port_ok(const rules& r, std::uint16_t port, std::string& reason);
/// is_local() and port_ok().
bool destination_ok(const rules& r, const address_list& own, const asio::ip::address& canon,
                    std::uint16_t port, std::string& reason);

/// The catalog entry named name (ASCII case-insensitive), or null.
const service* find_by_name(const rules& r, const std::string& name);
/// The catalog entry whose canonical address and port equal canon and port, or null.
const service* find_exact(const rules& r, const asio::ip::address& canon, std::uint16_t port);

/// May this session use s with cmd? Sets denial (0x02 for auth, 0x07 for a switched-off
/// command) when not.
bool service_permits(const service& s, std::uint8_t cmd, const session_facts& f,
                     verdict& denial);
/// The catalog's say on a target with this port: the exact entry's permissions if there is
/// one, else those of every entry on the same port (a service may listen on all of the
/// host's addresses, so another local address must not bypass its auth).
bool catalog_permits(const rules& r, const service* exact, std::uint16_t port,
                     std::uint8_t cmd, const session_facts& f, verdict& denial);
/// Copies the entry's source address into v.
void set_source(const service& s, verdict& v);
/// The verdict for a request that selected catalog entry s (by name or exact address).
verdict for_service(const rules& r, const address_list& own, const service& s,
                    std::uint8_t cmd, const session_facts& f);

}  // namespace checks
}  // namespace policy
}  // namespace tlsmux

#endif
