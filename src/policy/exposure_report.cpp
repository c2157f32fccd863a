// SPDX-License-Identifier: GPL-2.0-or-later
// The exposure report: the decider's rules read backwards, from each listening socket to the
// clients that reach it.
#include "policy/exposure_report.hpp"

#include "policy/address_class.hpp"
#include "policy/predicates.hpp"
#include "text/ip_text.hpp"

#include <algorithm>

namespace tlsmux {
namespace policy {

namespace {

typedef std::vector<asio::ip::address> address_list;

void add_once(std::vector<std::string>& list, const std::string& s) {
  if (std::find(list.begin(), list.end(), s) == list.end()) list.push_back(s);
}

void add_address(address_list& list, const asio::ip::address& a) {
  if (std::find(list.begin(), list.end(), a) == list.end()) list.push_back(a);
}

// The local addresses a socket bound to `a` answers on: a itself, or for a wildcard the
// loopback and interface addresses of its family. An IPv6 wildcard serves IPv4 too (Linux's
// default, bindv6only = 0): the report errs on the side of exposure.
address_list served(const asio::ip::address& a, const address_list& own) {
  address_list out;
  const asio::ip::address c = canonical(a);
  if (!c.is_unspecified()) {
    if (predicates::is_local(c, own)) out.push_back(c);
    return out;
  }
  const bool v6 = c.is_v6();
  add_address(out, asio::ip::address_v4::loopback());
  if (v6) add_address(out, asio::ip::address_v6::loopback());
  for (std::size_t i = 0; i < own.size(); ++i)
    if ((own[i].is_v4() || v6) && predicates::is_local(own[i], own)) add_address(out, own[i]);
  if (!v6) out.erase(std::remove_if(out.begin(), out.end(), [](const asio::ip::address& x) { return x.is_v6(); }),
                     out.end());
  return out;
}

// Where a client can arrive: tlsmux's listening addresses (same-address).
address_list arrivals(const report_inputs& in, const address_list& own) {
  address_list out;
  for (std::size_t i = 0; i < in.listeners.size(); ++i) {
    address_list a = served(in.listeners[i].address(), own);
    for (std::size_t j = 0; j < a.size(); ++j) add_address(out, a[j]);
  }
  return out;
}

std::string ca_name(const service* s, bool global) {
  if (s && !s->client_ca.empty()) return "any from " + s->client_ca;
  return global ? "any from client-ca" : std::string();
}

// Who passes every entry of `gate` (all of them apply to a request: the exact entry, or
// every entry on the port); an empty gate: whoever can log in.
void who_passes(const std::vector<const service*>& gate, const report_inputs& in, exposure& e) {
  bool anon = in.anonymous;
  for (std::size_t i = 0; i < gate.size(); ++i)
    anon = anon && gate[i]->auth == service_auth::any && !gate[i]->restricts_identity();
  e.anonymous = e.anonymous || anon;
  for (std::size_t u = 0; in.passwords && u < in.users.size(); ++u) {
    bool ok = true;
    for (std::size_t i = 0; ok && i < gate.size(); ++i) {
      const service& s = *gate[i];
      session_facts f;
      f.password = true;
      f.user = in.users[u].name;
      f.groups = in.users[u].groups;
      ok = s.auth != service_auth::certificate && predicates::service_lacks(s, socks5::command::connect, f) !=
                                                      predicates::shortfall::identity;
    }
    if (ok) add_once(e.users, in.users[u].name);
  }
  // Certificates: the first entry's patterns and CA (entries on one port rarely differ).
  const service* s = gate.empty() ? nullptr : gate[0];
  for (std::size_t i = 0; i < gate.size(); ++i)
    if (gate[i]->auth == service_auth::password) return;
  const std::string any = ca_name(s, in.certificates);
  if (any.empty()) return;
  if (s && s->restricts_identity()) {
    for (std::size_t i = 0; i < s->allow_cert.size(); ++i) add_once(e.certificates, s->allow_cert[i]);
  } else {
    add_once(e.certificates, any);
  }
}

void note_networks(const rules& r, const std::vector<const service*>& gate, exposure& e) {
  for (std::size_t i = 0; i < r.clients.allow.size(); ++i) add_once(e.networks, network_text(r.clients.allow[i]));
  for (std::size_t g = 0; g < gate.size(); ++g)
    for (std::size_t i = 0; i < gate[g]->allow_from.size(); ++i)
      add_once(e.networks, network_text(gate[g]->allow_from[i]));
}

// The entries that govern a request for canon:port: the exact one, else every one on the port.
std::vector<const service*> gate_for(const rules& r, const asio::ip::address& canon, std::uint16_t port) {
  std::vector<const service*> gate;
  if (const service* exact = predicates::find_exact(r, canon, port)) {
    gate.push_back(exact);
    return gate;
  }
  for (std::size_t i = 0; i < r.catalog.size(); ++i)
    if (r.catalog[i].port == port) gate.push_back(&r.catalog[i]);
  return gate;
}

void explain_catalog(const rules& r, const report_inputs& in, const address_list& targets, exposure& e) {
  for (std::size_t i = 0; i < r.catalog.size(); ++i) {
    const service& s = r.catalog[i];
    const asio::ip::address a = canonical(s.address);
    if (s.port != e.socket.port || std::find(targets.begin(), targets.end(), a) == targets.end()) continue;
    if (e.socket.udp && !s.udp) continue;
    std::vector<const service*> gate(1, &s);
    exposure one = e;
    who_passes(gate, in, one);
    if (!one.reachable()) continue;
    e = one;
    add_once(e.names, s.name);
    note_networks(r, gate, e);
  }
  if (e.names.empty()) e.why_not = "not in the catalog";
}

void explain_open(const rules& r, const report_inputs& in, const address_list& targets, exposure& e) {
  for (std::size_t t = 0; t < targets.size(); ++t) {
    std::vector<const service*> gate = gate_for(r, targets[t], e.socket.port);
    if (e.socket.udp) {
      bool off = false;
      for (std::size_t i = 0; i < gate.size(); ++i) off = off || !gate[i]->udp;
      if (off) continue;
    }
    exposure one = e;
    who_passes(gate, in, one);
    if (!one.reachable()) continue;
    e = one;
    if (const service* exact = predicates::find_exact(r, targets[t], e.socket.port)) add_once(e.names, exact->name);
    add_once(e.names, text::endpoint_text(targets[t], e.socket.port));
    note_networks(r, gate, e);
  }
  if (!e.reachable()) e.why_not = "its [service] entries admit no one who can log in";
}

}  // namespace

std::vector<exposure> exposure_report(const rules& r, const report_inputs& in,
                                      const std::vector<open_port>& sockets) {
  address_list own;
  for (std::size_t i = 0; i < in.own.size(); ++i) add_address(own, canonical(in.own[i]));
  const address_list arrive = arrivals(in, own);
  std::vector<exposure> out;
  for (std::size_t i = 0; i < sockets.size(); ++i) {
    exposure e;
    e.socket = sockets[i];
    e.sensitive = find_sensitive(sockets[i].port);
    address_list targets = served(sockets[i].address, own);
    if (predicates::is_own_port(r, sockets[i].port) && !sockets[i].udp) {
      e.why_not = "tlsmux itself";
    } else if (sockets[i].udp && !r.udp) {
      e.why_not = "udp = no";
    } else if (targets.empty()) {
      e.why_not = "not on an address tlsmux connects to";
    } else if (r.expose == expose_mode::catalog) {
      explain_catalog(r, in, targets, e);
    } else {
      if (r.expose == expose_mode::same_address) {
        address_list kept;
        for (std::size_t t = 0; t < targets.size(); ++t)
          if (std::find(arrive.begin(), arrive.end(), targets[t]) != arrive.end()) kept.push_back(targets[t]);
        targets = kept;
      }
      if (targets.empty()) e.why_not = "tlsmux does not listen on its address (expose = same-address)";
      else explain_open(r, in, targets, e);
    }
    out.push_back(e);
  }
  return out;
}

std::string who_text(const exposure& e) {
  if (!e.reachable()) return "nobody";
  std::string out;
  if (e.anonymous) out = "anonymous";
  if (!e.users.empty()) {
    out += std::string(out.empty() ? "" : "; ") + "users ";
    for (std::size_t i = 0; i < e.users.size(); ++i) out += (i ? ", " : "") + e.users[i];
  }
  if (!e.certificates.empty()) {
    out += std::string(out.empty() ? "" : "; ") + "certificates ";
    for (std::size_t i = 0; i < e.certificates.size(); ++i) out += (i ? ", " : "") + e.certificates[i];
  }
  if (!e.networks.empty()) {
    out += " (from ";
    for (std::size_t i = 0; i < e.networks.size(); ++i) out += (i ? ", " : "") + e.networks[i];
    out += ")";
  }
  return out;
}

}  // namespace policy
}  // namespace tlsmux
