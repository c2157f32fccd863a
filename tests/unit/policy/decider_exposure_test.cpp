// SPDX-License-Identifier: GPL-2.0-or-later
// Exposure modes (same-address, catalog), catalog names, per-service auth, source, commands.
#include "policy_harness.hpp"

#include <string>
#include <vector>

#include <CppUTest/TestHarness.h>

using namespace policy_test;
using tlsmux::policy::expose_mode;
using tlsmux::policy::service_auth;
using tlsmux::socks5::reply_code;

TEST_GROUP(decider_same_address) {
  harness h;
  void setup() override { h.r.expose = expose_mode::same_address; }
};

TEST(decider_same_address, local_request_goes_to_the_arrival_address) {
  verdict v = h.decide(to_ip("127.0.0.1", 25));
  CHECK(v.allowed);
  STRCMP_EQUAL("192.0.2.10:25", only_target(v).c_str());
  v = h.decide(to_ip("2001:db8::10", 8080));
  STRCMP_EQUAL("192.0.2.10:8080", only_target(v).c_str());
}

TEST(decider_same_address, arrival_is_canonicalised) {
  h.facts.arrival = ip("::ffff:192.0.2.10");
  verdict v = h.decide(to_ip("::1", 25));
  CHECK(v.allowed);
  STRCMP_EQUAL("192.0.2.10:25", only_target(v).c_str());
  CHECK(v.targets[0].address().is_v4());
}

TEST(decider_same_address, arrival_on_loopback_stays_on_loopback) {
  h.facts.arrival = ip("127.0.0.1");
  STRCMP_EQUAL("127.0.0.1:25", only_target(h.decide(to_ip("192.0.2.10", 25))).c_str());
}

TEST(decider_same_address, non_local_request_is_refused) {
  verdict v = h.decide(to_ip("10.0.0.5", 25));
  CHECK_FALSE(v.allowed);
  CHECK(v.code == reply_code::not_allowed);
  STRCMP_EQUAL("10.0.0.5 is not a local address", v.reason.c_str());
  CHECK_FALSE(h.decide(to_ip("0.0.0.0", 25)).allowed);
  CHECK_FALSE(h.decide(to_ip("127.0.0.1", own_port)).allowed);
}

TEST(decider_same_address, resolved_name_becomes_one_arrival_target) {
  h.names.answer({"127.0.0.1", "::1", "10.0.0.5"});
  verdict v = h.decide(to_name("localhost", 631));
  CHECK(v.allowed);
  STRCMP_EQUAL("192.0.2.10:631", only_target(v).c_str());
  h.names.answer({"10.0.0.5"});
  CHECK_FALSE(h.decide(to_name("evil.example", 631)).allowed);
}

TEST(decider_same_address, unusable_arrival_is_refused) {
  h.facts.arrival = asio::ip::address();
  verdict v = h.decide(to_ip("127.0.0.1", 25));
  CHECK_FALSE(v.allowed);
  STRCMP_EQUAL("arrival address 0.0.0.0 is unspecified", v.reason.c_str());
  h.facts.arrival = ip("fe80::1");
  CHECK_FALSE(h.decide(to_ip("127.0.0.1", 25)).allowed);
}

TEST(decider_same_address, catalog_name_is_not_rewritten) {
  h.r.catalog.push_back(entry("smtp", 25));
  verdict v = h.decide(to_name("smtp", 9999));
  CHECK(v.allowed);
  STRCMP_EQUAL("127.0.0.1:25", only_target(v).c_str());
  LONGS_EQUAL(0, h.names.calls);
}

TEST_GROUP(decider_catalog) {
  harness h;
  void setup() override {
    h.r.expose = expose_mode::catalog;
    h.r.catalog.push_back(entry("smtp", 25));
    h.r.catalog.push_back(entry("web", 8080, "::1"));
    h.r.catalog.push_back(entry("app", 9000, "192.0.2.10"));
  }
};

TEST(decider_catalog, exact_literal_is_allowed) {
  verdict v = h.decide(to_ip("127.0.0.1", 25));
  CHECK(v.allowed);
  STRCMP_EQUAL("127.0.0.1:25", only_target(v).c_str());
  CHECK(v.svc == &h.r.catalog[0]);
  CHECK(h.decide(to_ip("::ffff:127.0.0.1", 25)).allowed);
  CHECK(h.decide(to_ip("::1", 8080)).allowed);
  CHECK(h.decide(to_ip("192.0.2.10", 9000)).svc == &h.r.catalog[2]);
}

TEST(decider_catalog, anything_else_is_refused) {
  verdict v = h.decide(to_ip("127.0.0.1", 26));
  CHECK_FALSE(v.allowed);
  CHECK(v.code == reply_code::not_allowed);
  STRCMP_EQUAL("127.0.0.1:26 is not in the catalog", v.reason.c_str());
  CHECK_FALSE(h.decide(to_ip("127.0.0.2", 25)).allowed);
  CHECK_FALSE(h.decide(to_ip("::1", 25)).allowed);
  CHECK_FALSE(h.decide(to_ip("192.0.2.10", 25)).allowed);
  CHECK_FALSE(h.decide(to_ip("127.0.0.1", 8080)).allowed);
}

TEST(decider_catalog, name_selects_the_entry_whatever_the_port) {
  const std::uint16_t ports[] = {0, 25, 80, own_port, 65535};
  for (std::size_t i = 0; i < 5; ++i) {
    verdict v = h.decide(to_name("smtp", ports[i]));
    CHECK(v.allowed);
    STRCMP_EQUAL("127.0.0.1:25", only_target(v).c_str());
    CHECK(v.svc == &h.r.catalog[0]);
  }
  STRCMP_EQUAL("[::1]:8080", only_target(h.decide(to_name("WEB", 1))).c_str());
  LONGS_EQUAL(0, h.names.calls);
}

TEST(decider_catalog, unknown_name_is_refused_without_resolution) {
  h.names.answer({"127.0.0.1"});
  verdict v = h.decide(to_name("localhost", 25));
  CHECK_FALSE(v.allowed);
  STRCMP_EQUAL("'localhost' is not a catalog service", v.reason.c_str());
  v = h.decide(to_name(std::string("smtp\0", 5), 25));
  CHECK_FALSE(v.allowed);
  CHECK(std::string("'smtp\0' is not a catalog service", 32) == v.reason);  // escaped by the log line
  LONGS_EQUAL(0, h.names.calls);
}

TEST(decider_catalog, entries_are_still_checked_at_runtime) {
  h.r.catalog.push_back(entry("remote", 25, "10.0.0.5"));
  h.r.catalog.push_back(entry("loop", own_port));
  verdict v = h.decide(to_name("remote", 25));
  CHECK_FALSE(v.allowed);
  STRCMP_EQUAL("service 'remote': 10.0.0.5 is not a local address", v.reason.c_str());
  v = h.decide(to_name("loop", 1));
  CHECK_FALSE(v.allowed);
  STRCMP_EQUAL("service 'loop': port 4430 is tlsmux itself", v.reason.c_str());
  CHECK_FALSE(h.decide(to_ip("10.0.0.5", 25)).allowed);
}

TEST_GROUP(decider_service_rules) {
  harness h;
  void setup() override {
    h.r.catalog.push_back(entry("smtp", 25, "127.0.0.1", service_auth::password));
    h.r.catalog.push_back(entry("admin", 8443, "::1", service_auth::certificate));
  }
  void check_denied(const tlsmux::socks5::request& req, const char* reason) {
    verdict v = h.decide(req);
    CHECK_FALSE(v.allowed);
    CHECK(v.code == reply_code::not_allowed);
    CHECK(v.targets.empty());
    STRCMP_EQUAL(reason, v.reason.c_str());
  }
};

TEST(decider_service_rules, password_service_refuses_anonymous_by_name_and_by_address) {
  const char* reason = "service 'smtp' requires password";
  check_denied(to_name("smtp", 25), reason);
  check_denied(to_ip("127.0.0.1", 25), reason);
  check_denied(to_ip("::ffff:127.0.0.1", 25), reason);
  // A daemon on port 25 may listen on every address: other local spellings are covered too.
  check_denied(to_ip("127.0.0.2", 25), reason);
  check_denied(to_ip("192.0.2.10", 25), reason);
  h.names.answer({"127.0.0.1"});
  check_denied(to_name("localhost", 25), reason);
  h.r.expose = expose_mode::same_address;
  h.facts.arrival = ip("127.0.0.1");
  check_denied(to_ip("127.0.0.1", 25), reason);
  h.r.expose = expose_mode::catalog;
  check_denied(to_ip("127.0.0.1", 25), reason);
  CHECK(h.decide(to_ip("127.0.0.1", 26)).reason != reason);
}

TEST(decider_service_rules, password_service_admits_password_users) {
  h.facts.password = true;
  verdict v = h.decide(to_name("smtp", 1));
  CHECK(v.allowed);
  CHECK(v.svc == &h.r.catalog[0]);
  v = h.decide(to_ip("127.0.0.1", 25));
  CHECK(v.allowed);
  CHECK(v.svc == &h.r.catalog[0]);
  CHECK(h.decide(to_ip("192.0.2.10", 25)).allowed);
}

TEST(decider_service_rules, certificate_service_wants_a_certificate) {
  h.facts.password = true;
  check_denied(to_name("admin", 1), "service 'admin' requires certificate");
  check_denied(to_ip("::1", 8443), "service 'admin' requires certificate");
  h.facts.certificate = true;
  CHECK(h.decide(to_name("admin", 1)).allowed);
  CHECK(h.decide(to_ip("::1", 8443)).allowed);
}

TEST(decider_service_rules, source_is_propagated_by_name_and_by_address) {
  tlsmux::policy::service s = entry("legacy", 513);
  s.has_source = true;
  s.source = ip("::ffff:127.0.0.2");
  h.r.catalog.push_back(s);
  verdict v = h.decide(to_name("legacy", 0));
  CHECK(v.allowed);
  CHECK(v.has_source);
  STRCMP_EQUAL("127.0.0.2", v.source.to_string().c_str());
  v = h.decide(to_ip("127.0.0.1", 513));
  CHECK(v.has_source);
  CHECK(v.source == ip("127.0.0.2"));
  v = h.decide(to_ip("127.0.0.1", 514));
  CHECK(v.allowed);
  CHECK_FALSE(v.has_source);
}

TEST(decider_service_rules, targets_of_another_service_are_dropped) {
  tlsmux::policy::service s = entry("legacy", 513);
  s.has_source = true;
  s.source = ip("127.0.0.2");
  h.r.catalog.push_back(s);
  h.names.answer({"192.0.2.10", "127.0.0.1"});
  verdict v = h.decide(to_name("both.example", 513));
  CHECK(v.allowed);
  STRCMP_EQUAL("192.0.2.10:513", only_target(v).c_str());
  CHECK_FALSE(v.has_source);
}

TEST(decider_service_rules, bind_and_udp_flags_of_a_service) {
  h.r.bind = h.r.udp = true;
  tlsmux::policy::service s = entry("dns", 53);
  s.udp = false;
  s.bind = false;
  h.r.catalog.push_back(s);
  verdict v = h.decide(to_name("dns", 0, udp_cmd));
  CHECK_FALSE(v.allowed);
  CHECK(v.code == reply_code::command_not_supported);
  STRCMP_EQUAL("service 'dns' does not allow udp", v.reason.c_str());
  v = h.decide(to_name("dns", 0, bind_cmd));
  CHECK(v.code == reply_code::command_not_supported);
  v = h.decide(to_ip("127.0.0.1", 53, bind_cmd));
  CHECK(v.code == reply_code::command_not_supported);
  CHECK(h.decide(to_name("dns", 0)).allowed);
  h.r.catalog.back().udp = true;
  v = h.decide(to_name("dns", 0, udp_cmd));
  CHECK(v.allowed);
  STRCMP_EQUAL("127.0.0.1:53", only_target(v).c_str());
  h.r.udp = false;
  CHECK(h.decide(to_name("dns", 0, udp_cmd)).code == reply_code::command_not_supported);
}

TEST(decider_service_rules, datagrams_follow_the_catalog) {
  h.r.udp = true;
  tlsmux::policy::decider d(h.r, h.local, h.names);
  std::string reason;
  CHECK_FALSE(d.datagram_allowed(ip("127.0.0.1"), 25, h.facts, reason));
  STRCMP_EQUAL("service 'smtp' requires password", reason.c_str());
  CHECK(d.datagram_allowed(ip("127.0.0.1"), 53, h.facts, reason));
  h.facts.password = true;
  CHECK(d.datagram_allowed(ip("127.0.0.1"), 25, h.facts, reason));
}
