// SPDX-License-Identifier: GPL-2.0-or-later
// A decider wired to fakes, plus request builders, shared by the policy tests.
#ifndef TLSMUX_TESTS_UNIT_POLICY_POLICY_HARNESS_HPP
#define TLSMUX_TESTS_UNIT_POLICY_POLICY_HARNESS_HPP

#include "fakes/fake_policy.hpp"
#include "policy/decider.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace policy_test {

using tlsmux::policy::verdict;
using tlsmux_fakes::ip;

const std::uint8_t connect_cmd = 0x01;
const std::uint8_t bind_cmd = 0x02;
const std::uint8_t udp_cmd = 0x03;
const std::uint16_t own_port = 4430;

/// A request for an IP literal.
inline tlsmux::socks5::request to_ip(const std::string& literal, std::uint16_t port,
                                     std::uint8_t cmd = connect_cmd) {
  tlsmux::socks5::request r;
  r.cmd = cmd;
  r.dst.ip = ip(literal);
  r.dst.type = r.dst.ip.is_v6() ? tlsmux::socks5::atyp::ipv6 : tlsmux::socks5::atyp::ipv4;
  r.dst.port = port;
  return r;
}

/// A request for a DOMAINNAME (raw bytes).
inline tlsmux::socks5::request to_name(const std::string& name, std::uint16_t port,
                                       std::uint8_t cmd = connect_cmd) {
  tlsmux::socks5::request r;
  r.cmd = cmd;
  r.dst.type = tlsmux::socks5::atyp::domain;
  r.dst.name = name;
  r.dst.port = port;
  return r;
}

/// A catalog entry.
inline tlsmux::policy::service entry(const std::string& name, std::uint16_t port,
                                     const std::string& address = "127.0.0.1",
                                     tlsmux::policy::service_auth auth =
                                         tlsmux::policy::service_auth::any) {
  tlsmux::policy::service s;
  s.name = name;
  s.port = port;
  s.address = ip(address);
  s.auth = auth;
  return s;
}

/// The host of these tests: loopback, one IPv4 and one IPv6 interface address, and two
/// link-local addresses that are assigned but must still be refused.
struct harness {
  harness()
      : local({"127.0.0.1", "::1", "192.0.2.10", "2001:db8::10", "fe80::1", "169.254.1.1"}) {
    r.expose = tlsmux::policy::expose_mode::local;
    r.own_ports.push_back(own_port);
    facts.arrival = ip("192.0.2.10");
  }

  /// Runs decide() and returns the verdict; counts how often done ran.
  verdict decide(const tlsmux::socks5::request& req) {
    tlsmux::policy::decider d(r, local, names);
    verdict out;
    d.decide(req, facts, [this, &out](const verdict& v) {
      ++done_calls;
      out = v;
    });
    return out;
  }

  tlsmux::policy::rules r;
  tlsmux_fakes::fake_address_source local;
  tlsmux_fakes::fake_resolver names;
  tlsmux::policy::session_facts facts;
  int done_calls = 0;
};

/// "1.2.3.4:80" / "[::1]:80" for the only target, or "none" / "many".
inline std::string only_target(const verdict& v) {
  if (v.targets.size() != 1) return v.targets.empty() ? "none" : "many";
  const asio::ip::address& a = v.targets[0].address();
  std::string host = a.is_v6() ? "[" + a.to_string() + "]" : a.to_string();
  return host + ":" + std::to_string(v.targets[0].port());
}

}  // namespace policy_test

#endif
