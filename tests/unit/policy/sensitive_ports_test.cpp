// SPDX-License-Identifier: GPL-2.0-or-later
// The table of localhost-trusting ports and the start-up exposure warnings (T7).
#include "policy/sensitive_ports.hpp"
#include "policy_harness.hpp"

#include <initializer_list>
#include <string>
#include <vector>

#include <CppUTest/TestHarness.h>

using namespace tlsmux::policy;

namespace {

bool in_table(std::uint16_t port) {
  const std::vector<sensitive_port>& t = sensitive_ports();
  for (std::size_t i = 0; i < t.size(); ++i)
    if (port >= t[i].first && port <= t[i].last) return true;
  return false;
}

bool mentions(const std::vector<std::string>& lines, const std::string& text) {
  for (std::size_t i = 0; i < lines.size(); ++i)
    if (lines[i].find(text) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST_GROUP(sensitive_ports) {
  rules r;
};

TEST(sensitive_ports, table_holds_the_usual_suspects) {
  const std::uint16_t expected[] = {25, 111, 445, 631, 1080, 2375, 2376, 3128, 3306, 5432,
                                    6000, 6010, 6063, 6379, 8080, 9050, 11211, 27017};
  for (std::size_t i = 0; i < sizeof expected / sizeof expected[0]; ++i)
    CHECK_TEXT(in_table(expected[i]), std::to_string(expected[i]).c_str());
  CHECK_FALSE(in_table(22));
  CHECK_FALSE(in_table(443));
  CHECK_FALSE(in_table(6064));
}

TEST(sensitive_ports, table_is_sorted_and_well_formed) {
  const std::vector<sensitive_port>& t = sensitive_ports();
  for (std::size_t i = 0; i < t.size(); ++i) {
    CHECK(t[i].first <= t[i].last);
    CHECK(t[i].what != nullptr && t[i].what[0] != '\0');
    if (i > 0) CHECK(t[i - 1].last < t[i].first);
  }
}

namespace {

std::vector<std::uint16_t> ports(std::initializer_list<std::uint16_t> l) { return std::vector<std::uint16_t>(l); }

}  // namespace

TEST(sensitive_ports, nothing_when_anonymous_is_off) {
  r.expose = expose_mode::local;
  CHECK(exposure_warnings(r, false, ports({25, 5432})).empty());
}

// Issue 14: only ports with a listener now, one line each, no line for the idle table.
TEST(sensitive_ports, open_modes_warn_once_per_listening_port) {
  r.expose = expose_mode::local;
  // Nothing sensitive listens: only the line on where anonymous sessions come from.
  LONGS_EQUAL(1, exposure_warnings(r, true, ports({})).size());
  LONGS_EQUAL(1, exposure_warnings(r, true, ports({22, 443, 4430})).size());
  std::vector<std::string> w = exposure_warnings(r, true, ports({6010, 22, 25, 25}));
  LONGS_EQUAL(4, w.size());  // 25, 6010, the advice, the source line
  STRCMP_EQUAL("expose = local: anonymous clients reach port 25 (smtp (may relay mail for localhost)), which listens on this host",
               w[0].c_str());
  STRCMP_EQUAL("expose = local: anonymous clients reach port 6010 (x11), which listens on this host", w[1].c_str());
  CHECK(mentions(w, "expose = local: protect these ports"));
  CHECK_FALSE(mentions(w, "5432"));
  for (std::size_t i = 0; i < 3; ++i) CHECK_TEXT(w[i].size() < 160, w[i].c_str());
  r.expose = expose_mode::same_address;
  CHECK(mentions(exposure_warnings(r, true, ports({5432})), "expose = same-address: anonymous clients reach port 5432"));
}

// same-address (and local) connect to the host's own addresses from that address: the
// operator is told that host-based trust (mynetworks, samehost) then admits remote clients.
TEST(sensitive_ports, open_modes_say_that_clients_look_like_the_host) {
  r.expose = expose_mode::same_address;
  std::vector<std::string> w = exposure_warnings(r, true, ports({25}));
  CHECK(mentions(w, "expose = same-address: connections to this host's own addresses come from that address"));
  CHECK(mentions(w, "see anonymous remote clients as this host itself (Postfix mynetworks, PostgreSQL samehost"));
  CHECK(exposure_warnings(r, false, ports({25})).empty());
}

TEST(sensitive_ports, own_ports_are_not_listed) {
  r.expose = expose_mode::local;
  r.own_ports.push_back(8080);
  CHECK_FALSE(mentions(exposure_warnings(r, true, ports({8080})), "8080"));
}

TEST(sensitive_ports, anonymous_source_changes_the_host_warning) {
  r.expose = expose_mode::same_address;
  std::vector<std::string> w = exposure_warnings(r, true, ports({}), "127.0.0.2");
  CHECK(mentions(w, "anonymous sessions connect to local services from 127.0.0.2 (source-anonymous)"));
  CHECK(mentions(w, "still accept them: narrow that trust to 127.0.0.1/32"));
  CHECK(mentions(w, "connections to this host's own IPv6 addresses come from that address"));
  CHECK(mentions(w, "set source-anonymous-v6"));
  CHECK_FALSE(mentions(w, "connections to this host's own addresses come from that address"));
  w = exposure_warnings(r, true, ports({}), "127.0.0.2", "fd00::2");
  CHECK(mentions(w, "from 127.0.0.2 (source-anonymous) and fd00::2 (source-anonymous-v6)"));
  CHECK_FALSE(mentions(w, "own IPv6 addresses"));
  w = exposure_warnings(r, true, ports({}), "", "fd00::2");
  CHECK(mentions(w, "own IPv4 addresses come from that address"));
}

TEST(sensitive_ports, protected_catalog_entry_silences_its_port) {
  r.expose = expose_mode::local;
  r.catalog.push_back(policy_test::entry("smtp", 25, "127.0.0.1", service_auth::password));
  std::vector<std::string> w = exposure_warnings(r, true, ports({25, 79}));
  LONGS_EQUAL(3, w.size());
  CHECK_FALSE(mentions(w, "port 25 "));
  CHECK(mentions(w, "port 79 (finger)"));
  r.catalog.push_back(policy_test::entry("smtp2", 25, "192.0.2.10"));
  CHECK(mentions(exposure_warnings(r, true, ports({25})), "port 25 "));
}

TEST(sensitive_ports, catalog_mode_warns_for_anonymous_entries_only) {
  r.expose = expose_mode::catalog;
  r.catalog.push_back(policy_test::entry("smtp", 25));
  r.catalog.push_back(policy_test::entry("cache", 6379, "127.0.0.1", service_auth::password));
  r.catalog.push_back(policy_test::entry("web", 8000));
  r.catalog.push_back(policy_test::entry("x", 6001, "127.0.0.1", service_auth::any));
  std::vector<std::string> w = exposure_warnings(r, true, ports({25, 6379, 8000, 6001}));
  LONGS_EQUAL(2, w.size());
  CHECK(mentions(w, "service 'smtp' exposes port 25"));
  CHECK(mentions(w, "service 'x' exposes port 6001"));
  CHECK(exposure_warnings(r, true, ports({6379, 8000})).empty());
  r.catalog.clear();
  CHECK(exposure_warnings(r, true, ports({25})).empty());
}
