// SPDX-License-Identifier: GPL-2.0-or-later
// The decider's leaf predicates: every one works on canonical binary addresses.
#include "policy/predicates.hpp"

#include "policy/address_class.hpp"
#include "text/ascii.hpp"

#include <algorithm>

namespace tlsmux {
namespace policy {
namespace predicates {

namespace {

// Same family and bytes; an IPv6 scope id does not make a different host address.
bool same_ip(const asio::ip::address& a, const asio::ip::address& b) {
  if (a.is_v4() != b.is_v4()) return false;
  if (a.is_v4()) return a.to_v4() == b.to_v4();
  return a.to_v6().to_bytes() == b.to_v6().to_bytes();
}

bool contains(const std::vector<std::string>& list, const std::string& s) {
  return std::find(list.begin(), list.end(), s) != list.end();
}

bool auth_satisfied(const service& s, const session_facts& f) {
  switch (s.auth) {
    case service_auth::any: return true;
    case service_auth::password: return f.password;
    case service_auth::certificate: return certificate_counts(&s, f);
  }
  return false;
}

// allow-users, allow-groups, allow-cert: one of them admits the session's identity.
bool identity_allowed(const service& s, const session_facts& f) {
  if (!s.restricts_identity()) return true;
  if (f.password) {
    if (contains(s.allow_users, f.user)) return true;
    for (std::size_t i = 0; i < f.groups.size(); ++i)
      if (contains(s.allow_groups, f.groups[i])) return true;
    return false;
  }
  return f.certificate && any_name_matches(s.allow_cert, f.cert_names);
}

}  // namespace

address_list own_addresses(address_source& s) {
  address_list own = s.addresses();
  for (std::size_t i = 0; i < own.size(); ++i) own[i] = canonical(own[i]);
  return own;
}

bool is_local(const asio::ip::address& canon, const address_list& own) {
  address_class c = classify(canon);
  if (c == address_class::loopback) return true;
  if (c != address_class::ordinary) return false;
  for (std::size_t i = 0; i < own.size(); ++i)
    if (same_ip(own[i], canon)) return true;
  return false;
}

bool is_own_port(const rules& r, std::uint16_t port) {
  return std::find(r.own_ports.begin(), r.own_ports.end(), port) != r.own_ports.end();
}

const service* find_by_name(const rules& r, const std::string& name) {
  for (std::size_t i = 0; i < r.catalog.size(); ++i)
    if (text::ascii_iequal(r.catalog[i].name, name)) return &r.catalog[i];
  return nullptr;
}

const service* find_exact(const rules& r, const asio::ip::address& canon, std::uint16_t port) {
  for (std::size_t i = 0; i < r.catalog.size(); ++i) {
    const service& s = r.catalog[i];
    if (s.port == port && same_ip(canonical(s.address), canon)) return &s;
  }
  return nullptr;
}

bool certificate_counts(const service* s, const session_facts& f) {
  if (!f.certificate) return false;
  if (s && !s->client_ca.empty()) return contains(f.cert_cas, s->client_ca);
  return f.cert_global;
}

shortfall service_lacks(const service& s, socks5::command cmd, const session_facts& f) {
  if (cmd == socks5::command::bind && !s.bind) return shortfall::bind_off;
  if (cmd == socks5::command::udp_associate && !s.udp) return shortfall::udp_off;
  if (!auth_satisfied(s, f))
    return s.auth == service_auth::password ? shortfall::password : shortfall::certificate;
  if (!s.allow_from.empty() && !in_any(f.client, s.allow_from)) return shortfall::client_network;
  if (f.certificate && !certificate_counts(&s, f)) return shortfall::certificate_ca;
  if (!identity_allowed(s, f)) return shortfall::identity;
  return shortfall::none;
}

const service* refusing_entry(const rules& r, const service* exact, std::uint16_t port,
                              socks5::command cmd, const session_facts& f, shortfall& why) {
  if (exact) {
    why = service_lacks(*exact, cmd, f);
    return why == shortfall::none ? nullptr : exact;
  }
  for (std::size_t i = 0; i < r.catalog.size(); ++i) {
    if (r.catalog[i].port != port) continue;
    why = service_lacks(r.catalog[i], cmd, f);
    if (why != shortfall::none) return &r.catalog[i];
  }
  return nullptr;
}

}  // namespace predicates
}  // namespace policy
}  // namespace tlsmux
