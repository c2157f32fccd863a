// SPDX-License-Identifier: GPL-2.0-or-later
// The exposure report (issue 16): listening sockets x expose modes x catalog -> who and how.
#include "policy/exposure_report.hpp"
#include "policy_harness.hpp"

#include <string>
#include <vector>

#include <CppUTest/TestHarness.h>

using namespace policy_test;
using namespace tlsmux::policy;

namespace {

open_port tcp(const char* address, std::uint16_t port) {
  open_port p;
  p.address = ip(address);
  p.port = port;
  return p;
}

open_port udp(const char* address, std::uint16_t port) {
  open_port p = tcp(address, port);
  p.udp = true;
  return p;
}

std::string row(const exposure& e) {
  std::string names;
  for (std::size_t i = 0; i < e.names.size(); ++i) names += (i ? " " : "") + e.names[i];
  return who_text(e) + " | " + names + (e.why_not.empty() ? "" : " | " + e.why_not);
}

}  // namespace

TEST_GROUP(exposure_report) {
  rules r;
  report_inputs in;
  std::vector<open_port> sockets;
  void setup() override {
    in.own = {ip("127.0.0.1"), ip("::1"), ip("192.0.2.10"), ip("fe80::1")};
    in.listeners.push_back(asio::ip::tcp::endpoint(ip("192.0.2.10"), 4430));
    r.own_ports.push_back(4430);
    sockets = {tcp("0.0.0.0", 22), tcp("127.0.0.1", 5432), tcp("192.0.2.10", 80), tcp("::", 8080),
               tcp("::1", 631), tcp("192.0.2.10", 4430), udp("127.0.0.1", 53), tcp("fe80::1", 9)};
  }
  std::vector<std::string> report() {
    std::vector<exposure> rows = exposure_report(r, in, sockets);
    std::vector<std::string> out;
    for (std::size_t i = 0; i < rows.size(); ++i) out.push_back(row(rows[i]));
    return out;
  }
};

TEST(exposure_report, same_address_reaches_what_listens_where_clients_arrive) {
  r.expose = expose_mode::same_address;
  std::vector<std::string> got = report();
  STRCMP_EQUAL("anonymous | 192.0.2.10:22", got[0].c_str());
  STRCMP_EQUAL("nobody |  | tlsmux does not listen on its address (expose = same-address)", got[1].c_str());
  STRCMP_EQUAL("anonymous | 192.0.2.10:80", got[2].c_str());
  STRCMP_EQUAL("anonymous | 192.0.2.10:8080", got[3].c_str());  // :: serves IPv4 too
  STRCMP_EQUAL("nobody |  | tlsmux does not listen on its address (expose = same-address)", got[4].c_str());
  STRCMP_EQUAL("nobody |  | tlsmux itself", got[5].c_str());
  STRCMP_EQUAL("nobody |  | udp = no", got[6].c_str());
  STRCMP_EQUAL("nobody |  | not on an address tlsmux connects to", got[7].c_str());
}

TEST(exposure_report, local_reaches_every_local_address) {
  r.expose = expose_mode::local;
  r.udp = true;
  std::vector<std::string> got = report();
  STRCMP_EQUAL("anonymous | 127.0.0.1:22 192.0.2.10:22", got[0].c_str());
  STRCMP_EQUAL("anonymous | 127.0.0.1:5432", got[1].c_str());
  STRCMP_EQUAL("anonymous | 127.0.0.1:8080 [::1]:8080 192.0.2.10:8080", got[3].c_str());
  STRCMP_EQUAL("anonymous | [::1]:631", got[4].c_str());
  STRCMP_EQUAL("anonymous | 127.0.0.1:53", got[6].c_str());
}

TEST(exposure_report, catalog_names_and_auth) {
  r.expose = expose_mode::catalog;
  in.passwords = true;
  in.users = {{"alice", {}}, {"bob", {"ops"}}, {"carol", {}}};
  in.certificates = true;
  service pg = entry("pg", 5432, "127.0.0.1", service_auth::password);
  pg.allow_groups = {"ops"};
  pg.allow_users = {"alice"};
  service ssh = entry("ssh", 22, "192.0.2.10");
  std::string why;
  CHECK(parse_network_list("10.0.0.0/8", ssh.allow_from, why));
  service web = entry("web", 80, "192.0.2.10", service_auth::certificate);
  web.allow_cert = {"*.example.org"};
  r.catalog = {pg, ssh, web};
  std::vector<std::string> got = report();
  STRCMP_EQUAL("anonymous; users alice, bob, carol; certificates any from client-ca (from 10.0.0.0/8) | ssh", got[0].c_str());
  STRCMP_EQUAL("users alice, bob | pg", got[1].c_str());
  STRCMP_EQUAL("certificates *.example.org | web", got[2].c_str());
  STRCMP_EQUAL("nobody |  | not in the catalog", got[3].c_str());
  in.anonymous = false;
  STRCMP_EQUAL("users alice, bob, carol; certificates any from client-ca (from 10.0.0.0/8) | ssh", report()[0].c_str());
}

// Sensitive ports are marked whoever reaches them; a protected one says who.
TEST(exposure_report, sensitive_ports_are_marked) {
  r.expose = expose_mode::local;
  std::vector<exposure> rows = exposure_report(r, in, sockets);
  CHECK(rows[1].sensitive != nullptr);  // 5432
  CHECK(rows[3].sensitive != nullptr);  // 8080
  CHECK(rows[0].sensitive == nullptr);  // 22
  r.catalog.push_back(entry("pg", 5432, "127.0.0.1", service_auth::certificate));
  STRCMP_EQUAL("nobody |  | its [service] entries admit no one who can log in", report()[1].c_str());
  in.certificates = true;
  STRCMP_EQUAL("certificates any from client-ca | pg 127.0.0.1:5432", report()[1].c_str());
}
