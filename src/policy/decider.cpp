// SPDX-License-Identifier: GPL-2.0-or-later
// The destination decision: local-only check, own-port check, exposure mode and catalog.
#include "policy/decider.hpp"

#include "policy/address_class.hpp"
#include "policy/checks.hpp"

#include <utility>

namespace tlsmux {
namespace policy {

namespace {

using checks::address_list;

const std::uint8_t cmd_connect = static_cast<std::uint8_t>(socks5::command::connect);
const std::uint8_t cmd_bind = static_cast<std::uint8_t>(socks5::command::bind);
const std::uint8_t cmd_udp = static_cast<std::uint8_t>(socks5::command::udp_associate);

// 0x07 for unknown commands and for BIND / UDP ASSOCIATE while they are switched off.
bool command_enabled(const rules& r, std::uint8_t cmd, verdict& v) {
  if (cmd == cmd_connect) return true;
  if (cmd == cmd_bind && r.bind) return true;
  if (cmd == cmd_udp && r.udp) return true;
  v = checks::deny(cmd == cmd_bind ? "bind is disabled"
                   : cmd == cmd_udp ? "udp-associate is disabled"
                                    : "unknown command " + checks::hex_byte(cmd),
                   socks5::reply_code::command_not_supported);
  return false;
}

// Local and same-address modes, on addresses that already passed destination_ok().
// In same-address mode every request becomes the arrival address with the requested port.
// A target that matches a catalog entry gets its auth and source (the IP literal must not
// bypass the name); targets governed by another entry than the first one are dropped, so a
// single source address fits all of them.
verdict for_addresses(const rules& r, const address_list& own, const address_list& checked,
                      std::uint16_t port, std::uint8_t cmd, const session_facts& f) {
  std::vector<asio::ip::tcp::endpoint> candidates;
  if (r.expose == expose_mode::same_address) {
    asio::ip::address arrival = canonical(f.arrival);
    std::string why;
    if (!checks::is_local(arrival, own, why)) return checks::deny("arrival address " + why);
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
    verdict denial;
    const service* exact = checks::find_exact(r, candidates[i].address(), port);
    if (!checks::catalog_permits(r, exact, port, cmd, f, denial)) return denial;
    if (i == 0) v.svc = exact;
    if (exact == v.svc) v.targets.push_back(candidates[i]);
  }
  if (v.svc) checks::set_source(*v.svc, v);
  v.allowed = true;
  return v;
}

// UDP ASSOCIATE that does not name a catalog service: its DST describes the client, which
// means nothing inside the TLS stream, so it is ignored and each datagram is checked.
verdict unpinned_udp(const rules& r) {
  if (r.expose == expose_mode::catalog)
    return checks::deny("udp-associate must name a catalog service");
  verdict v;
  v.allowed = true;
  return v;
}

verdict decide_ip(const rules& r, const address_list& own, const asio::ip::address& canon,
                  std::uint16_t port, std::uint8_t cmd, const session_facts& f) {
  const service* exact = checks::find_exact(r, canon, port);
  if (cmd == cmd_udp) return exact ? checks::for_service(r, own, *exact, cmd, f) : unpinned_udp(r);
  if (r.expose == expose_mode::catalog) {
    if (!exact) return checks::deny(checks::endpoint_text(canon, port) + " is not in the catalog");
    return checks::for_service(r, own, *exact, cmd, f);
  }
  std::string reason;
  // BIND's DST.PORT names the expected peer's port (often 0), not a service: only the
  // address must be local.
  bool ok = cmd == cmd_bind ? checks::is_local(canon, own, reason)
                            : checks::destination_ok(r, own, canon, port, reason);
  if (!ok) return checks::deny(reason);
  return for_addresses(r, own, address_list(1, canon), port, cmd, f);
}

// What a completed resolution allows: only the local addresses, in resolution order.
verdict decide_resolved(const rules& r, address_source& local, const std::string& name,
                        std::uint16_t port, std::uint8_t cmd, const session_facts& f,
                        const std::error_code& ec, const address_list& found) {
  std::string quoted = "'" + checks::escape(name) + "'";
  if (ec) return checks::deny("cannot resolve " + quoted + ": " + ec.message(),
                              socks5::reply_code::host_unreachable);
  if (found.empty()) return checks::deny(quoted + " has no addresses",
                                         socks5::reply_code::host_unreachable);
  address_list own = checks::own_addresses(local);
  address_list kept;
  std::string first_refusal;
  for (std::size_t i = 0; i < found.size(); ++i) {
    asio::ip::address canon = canonical(found[i]);
    std::string why;
    if (checks::is_local(canon, own, why))
      kept.push_back(canon);
    else if (first_refusal.empty())
      first_refusal = why;
  }
  if (kept.empty()) return checks::deny(quoted + " has no local address (" + first_refusal + ")");
  return for_addresses(r, own, kept, port, cmd, f);
}

}  // namespace

decider::decider(const rules& r, address_source& local, resolver& names)
    : rules_(r), local_(local), names_(names) {}

void decider::decide(const socks5::request& req, const session_facts& facts,
                     std::function<void(const verdict&)> done) {
  verdict v;
  if (!command_enabled(rules_, req.cmd, v)) return done(v);
  const std::uint16_t port = req.dst.port;
  if (req.dst.type != socks5::atyp::domain) {
    address_list own = checks::own_addresses(local_);
    return done(decide_ip(rules_, own, canonical(req.dst.ip), port, req.cmd, facts));
  }
  const std::string& name = req.dst.name;
  if (const service* s = checks::find_by_name(rules_, name)) {
    address_list own = checks::own_addresses(local_);
    return done(checks::for_service(rules_, own, *s, req.cmd, facts));
  }
  if (req.cmd == cmd_udp) return done(unpinned_udp(rules_));
  std::string quoted = "'" + checks::escape(name) + "'";
  if (rules_.expose == expose_mode::catalog)
    return done(checks::deny(quoted + " is not a catalog service"));
  if (!is_plain_hostname(name)) return done(checks::deny(quoted + " is not a plain host name"));
  std::string reason;
  if (req.cmd != cmd_bind && !checks::port_ok(rules_, port, reason)) return done(checks::deny(reason));

  // Resolve exactly once; the answer is filtered here and never resolved again, so a
  // rebinding resolver cannot change what is connected to after the check. The handler
  // keeps only references the contract says outlive this decider, never `this`.
  const rules* r = &rules_;
  address_source* local = &local_;
  std::uint8_t cmd = req.cmd;
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
  address_list own = checks::own_addresses(local_);
  return checks::destination_ok(rules_, own, canonical(a), port, reason);
}

bool decider::datagram_allowed(const asio::ip::address& a, std::uint16_t port,
                               const session_facts& facts, std::string& reason) {
  asio::ip::address canon = canonical(a);
  if (!address_allowed(canon, port, reason)) return false;
  const service* exact = checks::find_exact(rules_, canon, port);
  if (rules_.expose == expose_mode::catalog && !exact) {
    reason = checks::endpoint_text(canon, port) + " is not in the catalog";
    return false;
  }
  verdict denial;
  if (!checks::catalog_permits(rules_, exact, port, cmd_udp, facts, denial)) {
    reason = denial.reason;
    return false;
  }
  return true;
}

}  // namespace policy
}  // namespace tlsmux
