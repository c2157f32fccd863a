// SPDX-License-Identifier: GPL-2.0-or-later
// The destination decision: local-only check, own-port check, exposure mode and catalog.
// The decider leads every request from start to verdict and words every reason; the leaf
// predicates it asks (predicates.hpp) answer without calling back.
#include "policy/decider.hpp"

#include "policy/address_class.hpp"
#include "policy/predicates.hpp"
#include "text/ip_text.hpp"

#include <utility>

namespace tlsmux {
namespace policy {

namespace {

namespace pred = predicates;
using pred::address_list;
using socks5::command;

// --- Wording: every reason of a denial is written here. A reason keeps the bytes a client
// sent (a requested name): it is printed only as a log field, which escapes it once.

// "'name'".
std::string in_quotes(const std::string& s) { return "'" + s + "'"; }

verdict deny(const std::string& reason,
             socks5::reply_code code = socks5::reply_code::not_allowed) {
  verdict v;
  v.allowed = false;
  v.code = code;
  v.reason = reason;
  return v;
}

// Why a canonical address that is not local is refused, e.g. "0.0.0.0 is unspecified".
std::string not_local(const asio::ip::address& canon) {
  const std::string ip = text::ip_text(canon);
  const address_class c = classify(canon);
  switch (c) {
    case address_class::embedded_ipv4: return ip + " embeds an IPv4 address";
    case address_class::ordinary: return ip + " is not a local address";
    default: return ip + " is " + class_name(c);
  }
}

// Who the session is, for a refusal by allow-users, allow-groups or allow-cert.
std::string who(const session_facts& f) {
  if (f.password) return "user " + in_quotes(f.user);
  if (f.certificate) return "certificate " + in_quotes(f.cert_names.empty() ? "?" : f.cert_names[0]);
  return "anonymous clients";
}

// The denial for catalog entry s that lacks something (0x07 for a switched-off command).
verdict service_denial(const service& s, pred::shortfall why, const session_facts& f) {
  const std::string named = "service " + in_quotes(s.name);
  switch (why) {
    case pred::shortfall::bind_off:
      return deny(named + " does not allow bind", socks5::reply_code::command_not_supported);
    case pred::shortfall::udp_off:
      return deny(named + " does not allow udp", socks5::reply_code::command_not_supported);
    case pred::shortfall::password: return deny(named + " requires password");
    case pred::shortfall::client_network:
      return deny(named + ": client " + text::ip_text(canonical(f.client)) + " is not in its allow-from");
    case pred::shortfall::identity:
      return deny(named + ": " + who(f) + " not in its allow-users, allow-groups or allow-cert");
    case pred::shortfall::certificate_ca:
      return deny(named + ": certificate " + in_quotes(f.cert_names.empty() ? "?" : f.cert_names[0]) +
                  " is not from " + (s.client_ca.empty() ? "client-ca" : "its client-ca"));
    case pred::shortfall::certificate: break;
    case pred::shortfall::none: break;
  }
  return deny(named + " requires certificate");
}

// --- Checks with their reasons.

bool local_or_why(const asio::ip::address& canon, const address_list& own, std::string& why) {
  if (pred::is_local(canon, own)) return true;
  why = not_local(canon);
  return false;
}

// Port 0 and tlsmux's own ports are not services.
bool port_or_why(const rules& r, std::uint16_t port, std::string& why) {
  if (port == 0) {
    why = "port 0 is not a service";
    return false;
  }
  if (pred::is_own_port(r, port)) {
    why = "port " + std::to_string(port) + " is tlsmux itself";
    return false;
  }
  return true;
}

bool destination_or_why(const rules& r, const address_list& own, const asio::ip::address& canon,
                        std::uint16_t port, std::string& why) {
  return local_or_why(canon, own, why) && port_or_why(r, port, why);
}

// 0x07 for unknown commands and for BIND / UDP ASSOCIATE while they are switched off.
bool command_enabled(const rules& r, std::uint8_t raw, verdict& v) {
  static const char hex[] = "0123456789abcdef";
  const command cmd = static_cast<command>(raw);
  if (cmd == command::connect) return true;
  if (cmd == command::bind && r.bind) return true;
  if (cmd == command::udp_associate && r.udp) return true;
  std::string unknown = "unknown command 0x";
  unknown += hex[raw >> 4];
  unknown += hex[raw & 0x0f];
  v = deny(cmd == command::bind            ? "bind is disabled"
           : cmd == command::udp_associate ? "udp-associate is disabled"
                                           : unknown,
           socks5::reply_code::command_not_supported);
  return false;
}

// --- Verdicts.

void set_source(const service& s, verdict& v) {
  v.has_source = s.has_source;
  v.source = s.has_source ? canonical(s.source) : asio::ip::address();
}

// A request that selected catalog entry s (by name or exact address).
verdict for_service(const rules& r, const address_list& own, const service& s, command cmd,
                    const session_facts& f) {
  pred::shortfall lack = pred::service_lacks(s, cmd, f);
  if (lack != pred::shortfall::none) return service_denial(s, lack, f);
  asio::ip::address target = canonical(s.address);
  std::string why;
  if (!destination_or_why(r, own, target, s.port, why))
    return deny("service " + in_quotes(s.name) + ": " + why);
  verdict v;
  v.allowed = true;
  v.targets.push_back(asio::ip::tcp::endpoint(target, s.port));
  v.svc = &s;
  set_source(s, v);
  return v;
}

// Local and same-address modes, on addresses that already passed the local check.
// In same-address mode every request becomes the arrival address with the requested port.
// A target that matches a catalog entry gets its auth and source (the IP literal must not
// bypass the name); targets governed by another entry than the first one are dropped, so a
// single source address fits all of them.
verdict for_addresses(const rules& r, const address_list& own, const address_list& checked,
                      std::uint16_t port, command cmd, const session_facts& f) {
  std::vector<asio::ip::tcp::endpoint> candidates;
  if (r.expose == expose_mode::same_address) {
    asio::ip::address arrival = canonical(f.arrival);
    std::string why;
    if (!local_or_why(arrival, own, why)) return deny("arrival address " + why);
    candidates.push_back(asio::ip::tcp::endpoint(arrival, port));
  } else {
    for (std::size_t i = 0; i < checked.size(); ++i) {
      asio::ip::tcp::endpoint ep(checked[i], port);
      bool seen = false;
      for (std::size_t j = 0; j < candidates.size(); ++j) seen = seen || candidates[j] == ep;
      if (!seen) candidates.push_back(ep);
    }
  }
  verdict v;
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    const service* exact = pred::find_exact(r, candidates[i].address(), port);
    pred::shortfall lack = pred::shortfall::none;
    if (const service* refusing = pred::refusing_entry(r, exact, port, cmd, f, lack))
      return service_denial(*refusing, lack, f);
    if (i == 0) v.svc = exact;
    if (exact == v.svc) v.targets.push_back(candidates[i]);
  }
  // A certificate from a service's own client-ca only counts for that service.
  if (f.certificate && !pred::certificate_counts(v.svc, f))
    return deny("certificate " + in_quotes(f.cert_names.empty() ? "?" : f.cert_names[0]) +
                " is not from client-ca (a service's own client-ca counts for that service only)");
  if (v.svc) set_source(*v.svc, v);
  v.allowed = true;
  return v;
}

// UDP ASSOCIATE that does not name a catalog service: its DST describes the client, which
// means nothing inside the TLS stream, so it is ignored and each datagram is checked.
verdict unpinned_udp(const rules& r) {
  if (r.expose == expose_mode::catalog) return deny("udp-associate must name a catalog service");
  verdict v;
  v.allowed = true;
  return v;
}

verdict decide_ip(const rules& r, const address_list& own, const asio::ip::address& canon,
                  std::uint16_t port, command cmd, const session_facts& f) {
  const service* exact = pred::find_exact(r, canon, port);
  if (cmd == command::udp_associate)
    return exact ? for_service(r, own, *exact, cmd, f) : unpinned_udp(r);
  if (r.expose == expose_mode::catalog) {
    if (!exact) return deny(text::endpoint_text(canon, port) + " is not in the catalog");
    return for_service(r, own, *exact, cmd, f);
  }
  std::string why;
  // BIND's DST.PORT names the expected peer's port (often 0), not a service: only the
  // address must be local.
  bool ok = cmd == command::bind ? local_or_why(canon, own, why)
                                 : destination_or_why(r, own, canon, port, why);
  if (!ok) return deny(why);
  return for_addresses(r, own, address_list(1, canon), port, cmd, f);
}

// What a completed resolution allows: only the local addresses, in resolution order.
verdict decide_resolved(const rules& r, address_source& local, const std::string& name,
                        std::uint16_t port, command cmd, const session_facts& f,
                        const std::error_code& ec, const address_list& found) {
  std::string quoted = in_quotes(name);
  if (ec)
    return deny("cannot resolve " + quoted + ": " + ec.message(),
                socks5::reply_code::host_unreachable);
  if (found.empty()) return deny(quoted + " has no addresses", socks5::reply_code::host_unreachable);
  address_list own = pred::own_addresses(local);
  address_list kept;
  std::string first_refusal;
  for (std::size_t i = 0; i < found.size(); ++i) {
    asio::ip::address canon = canonical(found[i]);
    std::string why;
    if (local_or_why(canon, own, why))
      kept.push_back(canon);
    else if (first_refusal.empty())
      first_refusal = why;
  }
  if (kept.empty()) return deny(quoted + " has no local address (" + first_refusal + ")");
  return for_addresses(r, own, kept, port, cmd, f);
}

}  // namespace

decider::decider(const rules& r, address_source& local, resolver& names)
    : rules_(r), local_(local), names_(names) {}

void decider::decide(const socks5::request& req, const session_facts& facts,
                     std::function<void(const verdict&)> done) {
  verdict v;
  if (!command_enabled(rules_, req.cmd, v)) return done(v);
  const command cmd = static_cast<command>(req.cmd);
  const std::uint16_t port = req.dst.port;
  if (req.dst.type != socks5::atyp::domain) {
    address_list own = pred::own_addresses(local_);
    return done(decide_ip(rules_, own, canonical(req.dst.ip), port, cmd, facts));
  }
  const std::string& name = req.dst.name;
  if (const service* s = pred::find_by_name(rules_, name)) {
    address_list own = pred::own_addresses(local_);
    return done(for_service(rules_, own, *s, cmd, facts));
  }
  if (cmd == command::udp_associate) return done(unpinned_udp(rules_));
  std::string quoted = in_quotes(name);
  if (rules_.expose == expose_mode::catalog) return done(deny(quoted + " is not a catalog service"));
  if (!is_plain_hostname(name)) return done(deny(quoted + " is not a plain host name"));
  std::string why;
  if (cmd != command::bind && !port_or_why(rules_, port, why)) return done(deny(why));

  // Resolve exactly once; the answer is filtered here and never resolved again, so a
  // rebinding resolver cannot change what is connected to after the check. The handler
  // keeps only references the contract says outlive this decider, never `this`.
  const rules* r = &rules_;
  address_source* local = &local_;
  std::shared_ptr<bool> called = std::make_shared<bool>(false);
  names_.resolve(name, [r, local, name, port, cmd, facts, done, called](
                           const std::error_code& ec, const address_list& found) {
    if (*called) return;
    *called = true;
    done(decide_resolved(*r, *local, name, port, cmd, facts, ec, found));
  });
}

bool decider::address_allowed(const asio::ip::address& a, std::uint16_t port,
                              std::string& reason) {
  address_list own = pred::own_addresses(local_);
  return destination_or_why(rules_, own, canonical(a), port, reason);
}

bool decider::datagram_allowed(const asio::ip::address& a, std::uint16_t port,
                               const session_facts& facts, std::string& reason) {
  asio::ip::address canon = canonical(a);
  if (!address_allowed(canon, port, reason)) return false;
  const service* exact = pred::find_exact(rules_, canon, port);
  if (rules_.expose == expose_mode::catalog && !exact) {
    reason = text::endpoint_text(canon, port) + " is not in the catalog";
    return false;
  }
  pred::shortfall lack = pred::shortfall::none;
  if (const service* refusing =
          pred::refusing_entry(rules_, exact, port, command::udp_associate, facts, lack)) {
    reason = service_denial(*refusing, lack, facts).reason;
    return false;
  }
  return true;
}

}  // namespace policy
}  // namespace tlsmux
