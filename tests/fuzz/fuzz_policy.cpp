// SPDX-License-Identifier: GPL-2.0-or-later
// Fuzz target: address canonicalisation and classification on arbitrary 16 bytes, and the
// decider on fuzzer-built rules, interface lists, resolver answers and requests. An allowed
// verdict may only name loopback or the host's own (ordinary) addresses, and never a port of
// tlsmux itself; the decision handler runs exactly once.
#include "fakes/fake_policy.hpp"
#include "fuzz_support.hpp"
#include "policy/address_class.hpp"
#include "policy/decider.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace {

namespace pol = tlsmux::policy;
namespace s5 = tlsmux::socks5;
using asio::ip::address;

bool zero(const asio::ip::address_v6::bytes_type& b, std::size_t from, std::size_t to) {
  for (std::size_t i = from; i < to; ++i)
    if (b[i] != 0) return false;
  return true;
}

// Written from the table in SECURITY.md 1.2, not from address_class.cpp: IPv6 ranges that
// carry or reach something other than this host, whatever their suffix.
bool v6_never_local(const asio::ip::address_v6::bytes_type& b) {
  if (zero(b, 0, 12)) return !(zero(b, 0, 15) && b[15] == 1);      // ::/96 except ::1
  if (zero(b, 0, 8) && b[8] == 0xff && b[9] == 0xff && zero(b, 10, 12)) return true;  // SIIT
  if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b) return true;   // NAT64
  if (b[0] == 0x20 && b[1] == 0x02) return true;                                    // 6to4
  if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0 && b[3] == 0) return true;          // Teredo
  if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) return true;                           // link-local
  return b[0] == 0xff;                                                              // multicast
}

void check_classes(const std::uint8_t raw[16]) {
  asio::ip::address_v6::bytes_type b6;
  std::copy(raw, raw + 16, b6.begin());
  asio::ip::address_v4::bytes_type b4;
  std::copy(raw, raw + 4, b4.begin());
  const address v6 = asio::ip::address_v6(b6);
  const address v4 = asio::ip::address_v4(b4);

  const address c6 = pol::canonical(v6);
  FUZZ_CHECK(pol::canonical(c6) == c6);
  FUZZ_CHECK(pol::canonical(v4) == v4);
  const bool mapped = zero(b6, 0, 10) && b6[10] == 0xff && b6[11] == 0xff;
  FUZZ_CHECK(c6.is_v4() == mapped);
  if (mapped) FUZZ_CHECK(c6.to_v4().to_bytes() == (asio::ip::address_v4::bytes_type{{raw[12], raw[13], raw[14], raw[15]}}));

  const pol::address_class k4 = pol::classify(v4);
  const bool v4_loopback = raw[0] == 127 && !(raw[1] == 0xff && raw[2] == 0xff && raw[3] == 0xff);
  FUZZ_CHECK((k4 == pol::address_class::loopback) == v4_loopback);
  const bool v4_special = raw[0] == 0 || raw[0] == 127 || (raw[0] == 169 && raw[1] == 254) ||
                          (raw[0] >= 224 && raw[0] <= 239) ||
                          (raw[0] == 255 && raw[1] == 255 && raw[2] == 255 && raw[3] == 255);
  if (k4 == pol::address_class::ordinary) FUZZ_CHECK(!v4_special);
  if (raw[0] < 224 && raw[0] != 0 && raw[0] != 127 && !(raw[0] == 169 && raw[1] == 254))
    FUZZ_CHECK(k4 == pol::address_class::ordinary);
  FUZZ_CHECK(k4 != pol::address_class::embedded_ipv4);

  const pol::address_class k6 = pol::classify(c6);
  if (!mapped) {
    if (v6_never_local(b6)) {
      FUZZ_CHECK(k6 != pol::address_class::ordinary && k6 != pol::address_class::loopback);
    }
    FUZZ_CHECK((k6 == pol::address_class::loopback) == (zero(b6, 0, 15) && b6[15] == 1));
  } else {
    FUZZ_CHECK(k6 == pol::classify(address(c6.to_v4())));
  }
  FUZZ_CHECK(std::string(pol::class_name(k6)) != "unknown");

  const std::string name(reinterpret_cast<const char*>(raw), 1 + raw[0] % 16);
  if (pol::is_plain_hostname(name)) {
    for (std::size_t i = 0; i < name.size(); ++i) {
      const unsigned char c = static_cast<unsigned char>(name[i]);
      FUZZ_CHECK(c > 0x20 && c < 0x7f && c != '/' && c != '@' && c != '%' && c != '\\');
    }
  }
}

// A pool of interesting addresses; the fuzzer picks from it or supplies raw bytes.
address pick(tlsmux_fuzz::reader& in) {
  static const char* const pool[] = {
      "127.0.0.1",   "127.1.2.3",        "192.0.2.10",      "198.51.100.7",  "10.0.0.1",
      "0.0.0.0",     "255.255.255.255",  "169.254.1.1",     "224.0.0.1",     "127.255.255.255",
      "::1",         "::",               "2001:db8::10",    "fe80::1",       "ff02::1",
      "::ffff:127.0.0.1", "::ffff:192.0.2.10", "::192.0.2.10", "64:ff9b::c000:20a",
      "2002:c000:20a::1", "2001:0:c000:20a::1", "::ffff:0:c000:20a", "fd00::5"};
  const std::uint8_t k = in.byte();
  const std::size_t n = sizeof pool / sizeof pool[0];
  if (k < 200) return tlsmux_fakes::ip(pool[k % n]);
  if (k < 228) {
    asio::ip::address_v4::bytes_type b;
    in.fill(b.data(), b.size());
    return asio::ip::address_v4(b);
  }
  asio::ip::address_v6::bytes_type b;
  in.fill(b.data(), b.size());
  return asio::ip::address_v6(b);
}

bool in_list(const address& a, const std::vector<address>& list) {
  for (std::size_t i = 0; i < list.size(); ++i) {
    const address c = pol::canonical(list[i]);
    if (c.is_v4() == a.is_v4() &&
        (c.is_v4() ? c.to_v4() == a.to_v4() : c.to_v6().to_bytes() == a.to_v6().to_bytes()))
      return true;
  }
  return false;
}

const char* const service_names[] = {"smtp", "web", "Echo", "localhost"};

// Exposure mode, switches, own ports and up to two catalog entries, all fuzzer-chosen.
pol::rules make_rules(tlsmux_fuzz::reader& in) {
  pol::rules rules;
  const std::uint8_t mode = in.byte();
  rules.expose = static_cast<pol::expose_mode>(mode % 3);
  rules.udp = (mode & 0x04) != 0;
  rules.bind = (mode & 0x08) != 0;
  const std::size_t nports = in.byte() % 3;
  for (std::size_t i = 0; i < nports; ++i) rules.own_ports.push_back(in.u16());
  const std::size_t nservices = in.byte() % 3;
  for (std::size_t i = 0; i < nservices; ++i) {
    pol::service s;
    const std::uint8_t f = in.byte();
    s.name = service_names[f % 4];
    s.port = in.u16();
    s.address = pick(in);
    s.auth = static_cast<pol::service_auth>((f >> 2) % 3);
    s.udp = (f & 0x10) != 0;
    s.bind = (f & 0x20) != 0;
    s.has_source = (f & 0x40) != 0;
    if (s.has_source) s.source = pick(in);
    rules.catalog.push_back(s);
  }
  return rules;
}

// The properties of an allowed verdict (see the file comment).
void check_allowed(const pol::rules& rules, const std::vector<address>& local,
                   const s5::request& req, const pol::verdict& got) {
  FUZZ_CHECK(req.cmd >= 1 && req.cmd <= 3);
  if (req.cmd == 2) FUZZ_CHECK(rules.bind);
  if (req.cmd == 3) FUZZ_CHECK(rules.udp);
  if (req.cmd != 3) FUZZ_CHECK(!got.targets.empty());
  for (std::size_t i = 0; i < got.targets.size(); ++i) {
    const address a = got.targets[i].address();
    const std::uint16_t port = got.targets[i].port();
    FUZZ_CHECK(pol::canonical(a) == a);
    const pol::address_class c = pol::classify(a);
    FUZZ_CHECK(c == pol::address_class::loopback ||
               (c == pol::address_class::ordinary && in_list(a, local)));
    if (a.is_v6()) FUZZ_CHECK(c == pol::address_class::loopback || !v6_never_local(a.to_v6().to_bytes()));
    if (req.cmd != 2) {
      FUZZ_CHECK(port != 0);
      FUZZ_CHECK(std::find(rules.own_ports.begin(), rules.own_ports.end(), port) == rules.own_ports.end());
    }
  }
}

void check_decision(tlsmux_fuzz::reader& in) {
  const pol::rules rules = make_rules(in);
  tlsmux_fakes::fake_address_source local;
  const std::size_t nlocal = in.byte() % 4;
  for (std::size_t i = 0; i < nlocal; ++i) local.list.push_back(pick(in));
  tlsmux_fakes::fake_resolver names;
  const std::uint8_t r = in.byte();
  names.deferred = (r & 0x80) != 0;
  if ((r & 0x03) == 0) {
    names.fail(std::make_error_code(std::errc::host_unreachable));
  } else {
    tlsmux_fakes::fake_answer a;
    const std::size_t nans = (r >> 2) % 5;
    for (std::size_t i = 0; i < nans; ++i) a.addresses.push_back(pick(in));
    names.answers.push_back(a);
  }
  pol::session_facts facts;
  const std::uint8_t ff = in.byte();
  facts.password = (ff & 1) != 0;
  facts.certificate = (ff & 2) != 0;
  facts.arrival = pick(in);

  s5::request req;
  req.cmd = in.byte();
  if (req.cmd > 8) req.cmd = static_cast<std::uint8_t>(1 + req.cmd % 3);
  const std::uint8_t kind = in.byte();
  req.dst.port = in.u16();
  if (kind % 3 == 0) {
    req.dst = s5::address::from_name(kind & 0x80 ? service_names[kind % 4] : in.text(1 + in.byte() % 64),
                                     req.dst.port);
  } else {
    req.dst = s5::address::from_ip(pick(in), req.dst.port);
  }

  pol::decider decider(rules, local, names);
  int calls = 0;
  pol::verdict got;
  decider.decide(req, facts, [&calls, &got](const pol::verdict& v) {
    ++calls;
    got = v;
  });
  if (names.deferred) names.complete(true);   // a second completion must be ignored
  FUZZ_CHECK(calls == 1);
  if (!got.allowed) {
    FUZZ_CHECK(!got.reason.empty());
    return;
  }
  check_allowed(rules, local.list, req, got);
  // Datagram checks obey the same local-only rule.
  std::string reason;
  const address d = pick(in);
  const std::uint16_t dport = in.u16();
  if (decider.datagram_allowed(d, dport, facts, reason)) {
    const address c = pol::canonical(d);
    const pol::address_class k = pol::classify(c);
    FUZZ_CHECK(k == pol::address_class::loopback ||
               (k == pol::address_class::ordinary && in_list(c, local.list)));
    FUZZ_CHECK(dport != 0 &&
               std::find(rules.own_ports.begin(), rules.own_ports.end(), dport) == rules.own_ports.end());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  tlsmux_fuzz::reader in(data, size);
  std::uint8_t raw[16];
  in.fill(raw, sizeof raw);
  check_classes(raw);
  check_decision(in);
  return 0;
}
