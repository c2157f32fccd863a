// SPDX-License-Identifier: GPL-2.0-or-later
// Allow lists (issue 16): networks, the global client filter, certificate name patterns, and
// the per-service rules as one table of sessions x services -> verdict and reason.
#include "policy/access.hpp"
#include "policy_harness.hpp"

#include <string>
#include <vector>

#include <CppUTest/TestHarness.h>

using namespace policy_test;
using namespace tlsmux::policy;

namespace {

network net(const std::string& text) {
  network n;
  std::string why;
  CHECK_TEXT(parse_network(text, n, why), (text + ": " + why).c_str());
  return n;
}

client_filter filter(const std::string& allow, const std::string& deny) {
  client_filter f;
  std::string why;
  if (!allow.empty()) CHECK(parse_network_list(allow, f.allow, why));
  if (!deny.empty()) CHECK(parse_network_list(deny, f.deny, why));
  return f;
}

}  // namespace

TEST_GROUP(networks){};

TEST(networks, parse_and_print) {
  STRCMP_EQUAL("192.0.2.0/24", network_text(net("192.0.2.0/24")).c_str());
  STRCMP_EQUAL("192.0.2.7", network_text(net("192.0.2.7")).c_str());
  STRCMP_EQUAL("2001:db8::/32", network_text(net("2001:db8::/32")).c_str());
  STRCMP_EQUAL("0.0.0.0/0", network_text(net("0.0.0.0/0")).c_str());
  STRCMP_EQUAL("10.0.0.1", network_text(net("::ffff:10.0.0.1")).c_str());  // canonical
  const char* bad[] = {"192.0.2.1/24", "192.0.2.0/33", "2001:db8::/129", "host", "10.0.0.0/", "10.0.0.0/-1",
                       "fe80::1%eth0", "", "10.0.0.0/8/8"};
  for (std::size_t i = 0; i < sizeof bad / sizeof bad[0]; ++i) {
    network n;
    std::string why;
    CHECK_FALSE_TEXT(parse_network(bad[i], n, why), bad[i]);
    CHECK(!why.empty());
  }
  std::vector<network> list;
  std::string why;
  CHECK(parse_network_list("10.0.0.0/8, 192.0.2.7 2001:db8::/48", list, why));
  LONGS_EQUAL(3, list.size());
  CHECK_FALSE(parse_network_list(" , ", list, why));
  LONGS_EQUAL(3, list.size());  // untouched on error
}

TEST(networks, membership) {
  struct row {
    const char* address;
    const char* network;
    bool in;
  } table[] = {
      {"10.1.2.3", "10.0.0.0/8", true},        {"11.0.0.1", "10.0.0.0/8", false},
      {"::ffff:10.1.2.3", "10.0.0.0/8", true}, {"192.0.2.7", "192.0.2.7", true},
      {"192.0.2.8", "192.0.2.7", false},       {"2001:db8:1::5", "2001:db8::/32", true},
      {"2001:db9::5", "2001:db8::/32", false}, {"10.1.2.3", "::/0", false},
      {"2001:db8::1", "0.0.0.0/0", false},     {"203.0.113.9", "0.0.0.0/0", true},
      {"fe80::1%2", "fe80::/10", true},
  };
  for (std::size_t i = 0; i < sizeof table / sizeof table[0]; ++i)
    CHECK_EQUAL_TEXT(table[i].in, in_network(ip(table[i].address), net(table[i].network)),
                     (std::string(table[i].address) + " in " + table[i].network).c_str());
}

// deny-from wins over allow-from; an empty allow-from admits everyone not denied.
TEST(networks, client_filter_order) {
  struct row {
    const char* allow;
    const char* deny;
    const char* client;
    const char* why;  // "" when admitted
  } table[] = {
      {"", "", "203.0.113.9", ""},
      {"10.0.0.0/8", "", "10.9.9.9", ""},
      {"10.0.0.0/8", "", "203.0.113.9", "not in allow-from"},
      {"", "203.0.113.0/24", "203.0.113.9", "in deny-from 203.0.113.0/24"},
      {"10.0.0.0/8", "10.66.0.0/16", "10.66.1.1", "in deny-from 10.66.0.0/16"},
      {"10.0.0.0/8", "10.66.0.0/16", "10.67.1.1", ""},
      {"10.0.0.0/8, 2001:db8::/32", "", "2001:db8::1", ""},
      {"10.0.0.0/8", "", "::ffff:10.0.0.1", ""},
  };
  for (std::size_t i = 0; i < sizeof table / sizeof table[0]; ++i) {
    std::string why;
    const bool admitted = client_admitted(filter(table[i].allow, table[i].deny), ip(table[i].client), why);
    CHECK_EQUAL_TEXT(std::string(table[i].why).empty(), admitted, table[i].client);
    STRCMP_EQUAL_TEXT(table[i].why, admitted ? "" : why.c_str(), table[i].client);
  }
}

TEST(networks, certificate_name_patterns) {
  struct row {
    const char* pattern;
    const char* name;
    bool match;
  } table[] = {
      {"alice", "alice", true},           {"alice", "ALICE", true},
      {"alice", "alice2", false},         {"*.example.org", "db.example.org", true},
      {"*.example.org", "DB.Example.ORG", true}, {"*.example.org", "example.org", false},
      {"*.example.org", ".example.org", false},  {"*.example.org", "a.b.example.org", false},
      {"*.example.org", "dbexample.org", false}, {"db.*.org", "db.example.org", false},
      {"mailto:a@example.org", "mailto:a@example.org", true},
  };
  for (std::size_t i = 0; i < sizeof table / sizeof table[0]; ++i)
    CHECK_EQUAL_TEXT(table[i].match, name_matches(table[i].pattern, table[i].name),
                     (std::string(table[i].pattern) + " ~ " + table[i].name).c_str());
  CHECK(any_name_matches(split_names("x, *.example.org"), std::vector<std::string>{"cn", "db.example.org"}));
  CHECK_FALSE(any_name_matches(split_names("x"), std::vector<std::string>()));
}

// --- The per-service rules: every kind of session against every kind of rule.

TEST_GROUP(service_access) {
  harness h;
  void setup() override {
    h.r.expose = expose_mode::catalog;
    service open = entry("open", 7000);
    service office = entry("office", 7001);
    std::string why;
    CHECK(parse_network_list("192.0.2.0/24", office.allow_from, why));
    service users = entry("users", 7002);
    users.allow_users = split_names("alice");
    users.allow_groups = split_names("ops");
    service certs = entry("certs", 7003);
    certs.allow_cert = split_names("*.example.org, carol");
    service own_ca = entry("own-ca", 7004, "127.0.0.1", service_auth::certificate);
    own_ca.client_ca = "/etc/tlsmux/partner-ca.crt";
    service both = entry("both", 7005, "127.0.0.1", service_auth::password);
    both.allow_users = split_names("alice");
    CHECK(parse_network_list("10.0.0.0/8", both.allow_from, why));
    h.r.catalog = {open, office, users, certs, own_ca, both};
  }
  // The session kinds of the table.
  session_facts anonymous(const char* client) {
    session_facts f;
    f.arrival = ip("192.0.2.10");
    f.client = ip(client);
    return f;
  }
  session_facts user(const char* client, const char* name, const char* groups = "") {
    session_facts f = anonymous(client);
    f.password = true;
    f.user = name;
    f.groups = split_names(groups);
    return f;
  }
  session_facts cert(const char* client, const char* names, bool global = true, const char* cas = "") {
    session_facts f = anonymous(client);
    f.certificate = true;
    f.cert_names = split_names(names);
    f.cert_global = global;
    f.cert_cas = split_names(cas);
    return f;
  }
};

TEST(service_access, table) {
  struct row {
    const char* service;
    session_facts facts;
    const char* reason;  // "" when allowed
  } table[] = {
      {"open", anonymous("203.0.113.9"), ""},
      {"office", anonymous("192.0.2.77"), ""},
      {"office", anonymous("203.0.113.9"), "service 'office': client 203.0.113.9 is not in its allow-from"},
      {"office", user("::ffff:192.0.2.77", "bob"), ""},
      {"users", anonymous("192.0.2.77"), "service 'users': anonymous clients not in its allow-users, allow-groups or allow-cert"},
      {"users", user("192.0.2.77", "alice"), ""},
      {"users", user("192.0.2.77", "bob"), "service 'users': user 'bob' not in its allow-users, allow-groups or allow-cert"},
      {"users", user("192.0.2.77", "bob", "dev,ops"), ""},
      {"users", user("192.0.2.77", "Alice"), "service 'users': user 'Alice' not in its allow-users, allow-groups or allow-cert"},
      {"users", cert("192.0.2.77", "alice"), "service 'users': certificate 'alice' not in its allow-users, allow-groups or allow-cert"},
      {"certs", cert("192.0.2.77", "web01, db.example.org"), ""},
      {"certs", cert("192.0.2.77", "carol"), ""},
      {"certs", cert("192.0.2.77", "mallory, x.example.com"), "service 'certs': certificate 'mallory' not in its allow-users, allow-groups or allow-cert"},
      {"certs", user("192.0.2.77", "carol"), "service 'certs': user 'carol' not in its allow-users, allow-groups or allow-cert"},
      {"certs", anonymous("192.0.2.77"), "service 'certs': anonymous clients not in its allow-users, allow-groups or allow-cert"},
      {"own-ca", cert("192.0.2.77", "p1", false, "/etc/tlsmux/partner-ca.crt"), ""},
      {"own-ca", cert("192.0.2.77", "p1", true, "/etc/tlsmux/ca.crt"), "service 'own-ca' requires certificate"},
      {"own-ca", anonymous("192.0.2.77"), "service 'own-ca' requires certificate"},
      {"open", cert("192.0.2.77", "p1", false, "/etc/tlsmux/partner-ca.crt"), "service 'open': certificate 'p1' is not from client-ca"},
      {"both", user("10.1.1.1", "alice"), ""},
      {"both", user("192.0.2.77", "alice"), "service 'both': client 192.0.2.77 is not in its allow-from"},
      {"both", user("10.1.1.1", "bob"), "service 'both': user 'bob' not in its allow-users, allow-groups or allow-cert"},
      {"both", anonymous("10.1.1.1"), "service 'both' requires password"},
  };
  for (std::size_t i = 0; i < sizeof table / sizeof table[0]; ++i) {
    h.facts = table[i].facts;
    verdict v = h.decide(to_name(table[i].service, 0));
    const std::string label = std::to_string(i) + ": " + table[i].service;
    CHECK_EQUAL_TEXT(std::string(table[i].reason).empty(), v.allowed, label.c_str());
    if (!v.allowed) CHECK_TEXT(v.code == tlsmux::socks5::reply_code::not_allowed, label.c_str());
    STRCMP_EQUAL_TEXT(table[i].reason, v.reason.c_str(), label.c_str());
  }
}

// An IP literal on a service's port cannot bypass the service's lists (local mode).
TEST(service_access, address_literal_gets_the_same_rules) {
  h.r.expose = expose_mode::local;
  h.facts = anonymous("203.0.113.9");
  verdict v = h.decide(to_ip("192.0.2.10", 7001));
  CHECK_FALSE(v.allowed);
  STRCMP_EQUAL("service 'office': client 203.0.113.9 is not in its allow-from", v.reason.c_str());
  h.facts = anonymous("192.0.2.1");
  CHECK(h.decide(to_ip("192.0.2.10", 7001)).allowed);
  // A certificate of a service's own CA reaches nothing else.
  h.facts = cert("192.0.2.1", "p1", false, "/etc/tlsmux/partner-ca.crt");
  v = h.decide(to_ip("127.0.0.1", 22));
  CHECK_FALSE(v.allowed);
  STRCMP_EQUAL("certificate 'p1' is not from client-ca (a service's own client-ca counts for that service only)",
               v.reason.c_str());
}
