// SPDX-License-Identifier: GPL-2.0-or-later
// The decider on IP literals (expose = local): DESIGN.md section 3 table and threats T3-T8.
#include "policy_harness.hpp"

#include <string>
#include <vector>

#include <CppUTest/TestHarness.h>

using namespace policy_test;
using tlsmux::socks5::reply_code;

namespace {

// Asserts a 0x02 denial with no targets, no resolution, exactly one callback, and reason.
void check_refused(harness& h, const std::string& literal, std::uint16_t port,
                   const std::string& reason) {
  verdict v = h.decide(to_ip(literal, port));
  CHECK_FALSE_TEXT(v.allowed, literal.c_str());
  CHECK_TEXT(v.code == reply_code::not_allowed, literal.c_str());
  CHECK_TEXT(v.targets.empty(), literal.c_str());
  STRCMP_EQUAL(reason.c_str(), v.reason.c_str());
  LONGS_EQUAL(0, h.names.calls);
}

void check_allowed(harness& h, const std::string& literal, std::uint16_t port,
                   const std::string& target) {
  verdict v = h.decide(to_ip(literal, port));
  CHECK_TEXT(v.allowed, (literal + ": " + v.reason).c_str());
  STRCMP_EQUAL(target.c_str(), only_target(v).c_str());
  CHECK(v.svc == nullptr);
  CHECK_FALSE(v.has_source);
}

}  // namespace

TEST_GROUP(decider_literal) {
  harness h;
};

TEST(decider_literal, loopback_is_local) {
  check_allowed(h, "127.0.0.1", 25, "127.0.0.1:25");
  check_allowed(h, "127.1.2.3", 80, "127.1.2.3:80");
  check_allowed(h, "::1", 25, "[::1]:25");
  LONGS_EQUAL(3, h.done_calls);
  LONGS_EQUAL(0, h.names.calls);
}

TEST(decider_literal, loopback_is_local_even_when_not_listed) {
  h.local.list.clear();
  check_allowed(h, "127.0.0.1", 25, "127.0.0.1:25");
  check_allowed(h, "::1", 25, "[::1]:25");
}

TEST(decider_literal, own_interface_addresses_are_local) {
  check_allowed(h, "192.0.2.10", 8080, "192.0.2.10:8080");
  check_allowed(h, "2001:db8::10", 8080, "[2001:db8::10]:8080");
}

TEST(decider_literal, removed_interface_address_is_refused_at_once) {
  check_allowed(h, "192.0.2.10", 8080, "192.0.2.10:8080");
  h.local.list.erase(h.local.list.begin() + 2);  // 192.0.2.10 goes away
  check_refused(h, "192.0.2.10", 8080, "192.0.2.10 is not a local address");
}

TEST(decider_literal, other_hosts_are_refused) {
  check_refused(h, "10.0.0.5", 25, "10.0.0.5 is not a local address");
  check_refused(h, "192.0.2.11", 25, "192.0.2.11 is not a local address");
  check_refused(h, "8.8.8.8", 53, "8.8.8.8 is not a local address");
  check_refused(h, "2001:db8::11", 25, "2001:db8::11 is not a local address");
  check_refused(h, "fd00::1", 25, "fd00::1 is not a local address");
}

TEST(decider_literal, ipv4_mapped_is_canonicalised) {
  check_refused(h, "::ffff:10.0.0.1", 25, "10.0.0.1 is not a local address");
  verdict v = h.decide(to_ip("::ffff:127.0.0.1", 25));
  CHECK(v.allowed);
  STRCMP_EQUAL("127.0.0.1:25", only_target(v).c_str());
  CHECK(v.targets[0].address().is_v4());
  check_allowed(h, "::ffff:192.0.2.10", 25, "192.0.2.10:25");
}

TEST(decider_literal, embedded_ipv4_forms_are_refused) {
  check_refused(h, "::127.0.0.1", 25, "::127.0.0.1 embeds an IPv4 address");
  check_refused(h, "::192.0.2.10", 25, "::192.0.2.10 embeds an IPv4 address");
  check_refused(h, "64:ff9b::a00:1", 25, "64:ff9b::a00:1 embeds an IPv4 address");
  check_refused(h, "64:ff9b::7f00:1", 25, "64:ff9b::7f00:1 embeds an IPv4 address");
  check_refused(h, "2002:a00:1::", 25, "2002:a00:1:: embeds an IPv4 address");
  check_refused(h, "2002:7f00:1::", 25, "2002:7f00:1:: embeds an IPv4 address");
  check_refused(h, "2001::a00:1", 25, "2001::a00:1 embeds an IPv4 address");
  check_refused(h, "::ffff:0:a00:1", 25, "::ffff:0:a00:1 embeds an IPv4 address");
  check_refused(h, "::ffff:0:7f00:1", 25, "::ffff:0:7f00:1 embeds an IPv4 address");
}

TEST(decider_literal, embedded_forms_are_refused_even_when_assigned) {
  h.local.list.push_back(ip("2002:c000:20a::1"));
  h.local.list.push_back(ip("::192.0.2.10"));
  check_refused(h, "2002:c000:20a::1", 25, "2002:c000:20a::1 embeds an IPv4 address");
  check_refused(h, "::192.0.2.10", 25, "::192.0.2.10 embeds an IPv4 address");
}

TEST(decider_literal, unspecified_is_refused) {
  check_refused(h, "0.0.0.0", 25, "0.0.0.0 is unspecified");
  check_refused(h, "0.1.2.3", 25, "0.1.2.3 is unspecified");
  check_refused(h, "::", 25, ":: is unspecified");
  check_refused(h, "::ffff:0.0.0.0", 25, "0.0.0.0 is unspecified");
}

TEST(decider_literal, multicast_and_broadcast_are_refused) {
  check_refused(h, "224.0.0.1", 25, "224.0.0.1 is multicast");
  check_refused(h, "ff02::1", 25, "ff02::1 is multicast");
  check_refused(h, "255.255.255.255", 25, "255.255.255.255 is broadcast");
  check_refused(h, "127.255.255.255", 25, "127.255.255.255 is broadcast");
}

TEST(decider_literal, link_local_is_refused_even_when_assigned) {
  check_refused(h, "169.254.169.254", 80, "169.254.169.254 is link-local");
  check_refused(h, "169.254.1.1", 80, "169.254.1.1 is link-local");
  check_refused(h, "fe80::1", 80, "fe80::1 is link-local");
  check_refused(h, "::ffff:169.254.169.254", 80, "169.254.169.254 is link-local");
}

TEST(decider_literal, own_port_is_refused_on_every_local_spelling) {
  const char* spellings[] = {"127.0.0.1",         "127.0.0.2",         "127.254.0.1",
                             "::1",               "::ffff:127.0.0.1",  "192.0.2.10",
                             "::ffff:192.0.2.10", "2001:db8::10",      "0:0:0:0:0:0:0:1"};
  for (std::size_t i = 0; i < sizeof spellings / sizeof spellings[0]; ++i)
    check_refused(h, spellings[i], own_port, "port 4430 is tlsmux itself");
  h.r.own_ports.push_back(8443);
  check_refused(h, "127.0.0.1", 8443, "port 8443 is tlsmux itself");
  check_allowed(h, "127.0.0.1", 4431, "127.0.0.1:4431");
}

TEST(decider_literal, port_zero_is_refused) {
  check_refused(h, "127.0.0.1", 0, "port 0 is not a service");
}

TEST(decider_literal, connect_to_the_checked_address_only) {
  verdict v = h.decide(to_ip("127.0.0.5", 7007));
  CHECK(v.allowed);
  LONGS_EQUAL(1, v.targets.size());
  CHECK(v.targets[0].address() == ip("127.0.0.5"));
  LONGS_EQUAL(7007, v.targets[0].port());
  LONGS_EQUAL(1, h.done_calls);
}

TEST(decider_literal, address_allowed_checks_local_and_ports) {
  tlsmux::policy::decider d(h.r, h.local, h.names);
  std::string reason;
  CHECK(d.address_allowed(ip("127.0.0.1"), 53, reason));
  CHECK(d.address_allowed(ip("::ffff:192.0.2.10"), 53, reason));
  CHECK_FALSE(d.address_allowed(ip("10.0.0.1"), 53, reason));
  STRCMP_EQUAL("10.0.0.1 is not a local address", reason.c_str());
  CHECK_FALSE(d.address_allowed(ip("::1"), own_port, reason));
  STRCMP_EQUAL("port 4430 is tlsmux itself", reason.c_str());
  CHECK_FALSE(d.address_allowed(ip("127.0.0.1"), 0, reason));
  STRCMP_EQUAL("port 0 is not a service", reason.c_str());
  CHECK_FALSE(d.address_allowed(ip("fe80::1"), 53, reason));
  STRCMP_EQUAL("fe80::1 is link-local", reason.c_str());
}

TEST_GROUP(decider_commands) {
  harness h;
};

TEST(decider_commands, bind_and_udp_switched_off_are_0x07) {
  verdict v = h.decide(to_ip("127.0.0.1", 21, bind_cmd));
  CHECK_FALSE(v.allowed);
  CHECK(v.code == reply_code::command_not_supported);
  STRCMP_EQUAL("bind is disabled", v.reason.c_str());
  v = h.decide(to_ip("0.0.0.0", 0, udp_cmd));
  CHECK_FALSE(v.allowed);
  CHECK(v.code == reply_code::command_not_supported);
  STRCMP_EQUAL("udp-associate is disabled", v.reason.c_str());
  v = h.decide(to_name("localhost", 21, bind_cmd));
  CHECK(v.code == reply_code::command_not_supported);
  LONGS_EQUAL(0, h.names.calls);
}

TEST(decider_commands, unknown_commands_are_0x07) {
  h.r.bind = h.r.udp = true;
  const std::uint8_t bad[] = {0x00, 0x04, 0x09, 0xff};
  for (std::size_t i = 0; i < sizeof bad; ++i) {
    verdict v = h.decide(to_ip("127.0.0.1", 25, bad[i]));
    CHECK_FALSE(v.allowed);
    CHECK(v.code == reply_code::command_not_supported);
  }
  STRCMP_EQUAL("unknown command 0xff", h.decide(to_ip("127.0.0.1", 25, 0xff)).reason.c_str());
}

TEST(decider_commands, bind_enabled_is_checked_like_connect) {
  h.r.bind = true;
  verdict v = h.decide(to_ip("127.0.0.1", 21, bind_cmd));
  CHECK(v.allowed);
  STRCMP_EQUAL("127.0.0.1:21", only_target(v).c_str());
  v = h.decide(to_ip("10.0.0.1", 21, bind_cmd));
  CHECK_FALSE(v.allowed);
  CHECK(v.code == reply_code::not_allowed);
}

TEST(decider_commands, udp_enabled_without_service_checks_each_datagram) {
  h.r.udp = true;
  verdict v = h.decide(to_ip("0.0.0.0", 0, udp_cmd));
  CHECK(v.allowed);
  CHECK(v.targets.empty());
  tlsmux::policy::decider d(h.r, h.local, h.names);
  std::string reason;
  CHECK(d.datagram_allowed(ip("127.0.0.1"), 53, h.facts, reason));
  CHECK_FALSE(d.datagram_allowed(ip("10.0.0.1"), 53, h.facts, reason));
  STRCMP_EQUAL("10.0.0.1 is not a local address", reason.c_str());
  h.r.expose = tlsmux::policy::expose_mode::catalog;
  v = h.decide(to_ip("0.0.0.0", 0, udp_cmd));
  CHECK_FALSE(v.allowed);
  CHECK(v.code == reply_code::not_allowed);
  CHECK_FALSE(d.datagram_allowed(ip("127.0.0.1"), 53, h.facts, reason));
  STRCMP_EQUAL("127.0.0.1:53 is not in the catalog", reason.c_str());
}
