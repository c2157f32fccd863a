// SPDX-License-Identifier: GPL-2.0-or-later
// Who may connect and who may use a service: client networks (allow-from, deny-from),
// password users and groups (allow-users, allow-groups), certificate names (allow-cert) and
// a service's own client CA (client-ca). Pure: the session hands in the facts.
#ifndef TLSMUX_POLICY_ACCESS_HPP
#define TLSMUX_POLICY_ACCESS_HPP

#include <asio/ip/address.hpp>
#include <string>
#include <vector>

namespace tlsmux {
namespace policy {

/// An IPv4 or IPv6 network: an address with its prefix length (a host is /32 or /128).
struct network {
  asio::ip::address base;  ///< canonical, bits after the prefix cleared
  unsigned bits = 0;
};

/// Parses "192.0.2.0/24", "192.0.2.7", "2001:db8::/32", "::1". Bits after the prefix must be
/// zero ("192.0.2.1/24" is refused: it is probably a typing error).
bool parse_network(const std::string& text, network& out, std::string& why);
/// Parses a list separated by commas and/or blanks; an empty list is an error.
bool parse_network_list(const std::string& text, std::vector<network>& out, std::string& why);
/// "192.0.2.0/24", or the address alone for a host.
std::string network_text(const network& n);
/// True when the canonical form of a lies in n (an IPv4-mapped IPv6 address is IPv4).
bool in_network(const asio::ip::address& a, const network& n);
/// True when a lies in one of list.
bool in_any(const asio::ip::address& a, const std::vector<network>& list);

/// The global client filter (allow-from, deny-from), applied at accept, before TLS.
struct client_filter {
  std::vector<network> allow;  ///< empty: every client not denied
  std::vector<network> deny;
  bool active() const { return !allow.empty() || !deny.empty(); }
};

/// deny-from first: a client in it is refused even when allow-from holds it too; then, when
/// allow-from is set, a client outside it is refused. Sets why ("in deny-from 10.0.0.0/8",
/// "not in allow-from") when it returns false.
bool client_admitted(const client_filter& f, const asio::ip::address& client, std::string& why);

/// Splits a list of names separated by commas and/or blanks (users, groups, patterns).
std::vector<std::string> split_names(const std::string& text);

/// allow-cert matching: exact (ASCII case-insensitive), or "*.example.org", where '*' is the
/// whole first label and stands for exactly one non-empty label without dots.
bool name_matches(const std::string& pattern, const std::string& name);
/// True when one of names matches one of patterns.
bool any_name_matches(const std::vector<std::string>& patterns, const std::vector<std::string>& names);

}  // namespace policy
}  // namespace tlsmux

#endif
