// SPDX-License-Identifier: GPL-2.0-or-later
// The table of localhost-trusting ports and the start-up exposure warnings (T7).
#include "policy/sensitive_ports.hpp"
#include "policy_harness.hpp"

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

TEST(sensitive_ports, nothing_when_anonymous_is_off) {
  r.expose = expose_mode::local;
  CHECK(exposure_warnings(r, false).empty());
}

TEST(sensitive_ports, open_modes_warn_in_one_line_naming_every_row) {
  r.expose = expose_mode::local;
  std::vector<std::string> w = exposure_warnings(r, true);
  LONGS_EQUAL(2, w.size());  // the ports, and what the host's own source address means
  CHECK(mentions(w, ": 25 smtp, "));
  CHECK(mentions(w, ", 6000-6063 x11, "));
  CHECK(mentions(w, "expose = local"));
  r.expose = expose_mode::same_address;
  CHECK(mentions(exposure_warnings(r, true), "expose = same-address"));
}

// same-address (and local) connect to the host's own addresses from that address: the
// operator is told that host-based trust (mynetworks, samehost) then admits remote clients.
TEST(sensitive_ports, open_modes_say_that_clients_look_like_the_host) {
  r.expose = expose_mode::same_address;
  std::vector<std::string> w = exposure_warnings(r, true);
  CHECK(mentions(w, "expose = same-address: connections to this host's own addresses come from that address"));
  CHECK(mentions(w, "see anonymous remote clients as this host itself (Postfix mynetworks, PostgreSQL samehost"));
  CHECK(mentions(w, "source = 127.0.0.2"));
  r.expose = expose_mode::local;
  CHECK(mentions(exposure_warnings(r, true), "expose = local: connections to this host's own addresses"));
  CHECK(exposure_warnings(r, false).empty());
}

TEST(sensitive_ports, anonymous_source_changes_the_host_warning) {
  r.expose = expose_mode::same_address;
  std::vector<std::string> w = exposure_warnings(r, true, "127.0.0.2");
  CHECK(mentions(w, "anonymous sessions connect to local services from 127.0.0.2 (source-anonymous)"));
  CHECK(mentions(w, "still accept them: narrow that trust to 127.0.0.1/32"));
  CHECK(mentions(w, "connections to this host's own IPv6 addresses come from that address"));
  CHECK(mentions(w, "set source-anonymous-v6"));
  CHECK_FALSE(mentions(w, "connections to this host's own addresses come from that address"));
  w = exposure_warnings(r, true, "127.0.0.2", "fd00::2");
  CHECK(mentions(w, "from 127.0.0.2 (source-anonymous) and fd00::2 (source-anonymous-v6)"));
  CHECK_FALSE(mentions(w, "own IPv6 addresses"));
  w = exposure_warnings(r, true, "", "fd00::2");
  CHECK(mentions(w, "own IPv4 addresses come from that address"));
}

TEST(sensitive_ports, protected_catalog_entry_silences_its_port) {
  r.expose = expose_mode::local;
  r.catalog.push_back(policy_test::entry("smtp", 25, "127.0.0.1", service_auth::password));
  std::vector<std::string> w = exposure_warnings(r, true);
  LONGS_EQUAL(2, w.size());
  CHECK_FALSE(mentions(w, " 25 smtp"));
  CHECK(mentions(w, " 79 finger"));
  r.catalog.push_back(policy_test::entry("smtp2", 25, "192.0.2.10"));
  CHECK(mentions(exposure_warnings(r, true), " 25 smtp"));
}

TEST(sensitive_ports, catalog_mode_warns_for_anonymous_entries_only) {
  r.expose = expose_mode::catalog;
  r.catalog.push_back(policy_test::entry("smtp", 25));
  r.catalog.push_back(policy_test::entry("cache", 6379, "127.0.0.1", service_auth::password));
  r.catalog.push_back(policy_test::entry("web", 8000));
  r.catalog.push_back(policy_test::entry("x", 6001, "127.0.0.1", service_auth::any));
  std::vector<std::string> w = exposure_warnings(r, true);
  LONGS_EQUAL(2, w.size());
  CHECK(mentions(w, "service 'smtp' exposes port 25"));
  CHECK(mentions(w, "service 'x' exposes port 6001"));
  r.catalog.clear();
  CHECK(exposure_warnings(r, true).empty());
}
