// SPDX-License-Identifier: GPL-2.0-or-later
// Unit tests: the client's hints next to a server refusal (issue 15: auth hints, same-address).
#include "client/options.hpp"
#include "client/refusal_hints.hpp"

#include <CppUTest/TestHarness.h>

using namespace tlsmux;
using namespace tlsmux::client;

namespace {

refusal_facts facts(int reply, const char* service, const char* server, bool anonymous) {
  refusal_facts f;
  f.reply = reply;
  CHECK_TRUE(parse_service(service, f.target));
  f.server_host = server;
  f.anonymous = anonymous;
  return f;
}

bool mentions(const std::string& hint, const char* what) { return hint.find(what) != std::string::npos; }

}  // namespace

TEST_GROUP(refusal_hints) {};

TEST(refusal_hints, not_exposed_to_anonymous_suggests_a_login) {
  std::string h = refusal_hint(facts(0x02, "smtp", "mux.example", true));
  CHECK_TRUE(mentions(h, "--user"));
  CHECK_TRUE(mentions(h, "--cert"));
  STRCMP_EQUAL("", refusal_hint(facts(0x02, "smtp", "mux.example", false)).c_str());
  STRCMP_EQUAL("", refusal_hint(facts(0x05, "smtp", "mux.example", true)).c_str());
}

TEST(refusal_hints, localhost_through_another_address_names_the_fix) {
  const char* const cases[][2] = {{"localhost:80", "192.0.2.7"}, {"localhost:80", "mux.example"},
                                  {"127.0.0.1:80", "127.0.0.2"}, {"80", "mux.example"},
                                  {"[::1]:80", "192.0.2.7"}, {"LOCALHOST:80", "127.0.0.2"}};
  for (std::size_t i = 0; i < sizeof cases / sizeof cases[0]; ++i) {
    std::string h = refusal_hint(facts(0x05, cases[i][0], cases[i][1], false));
    CHECK_TRUE(mentions(h, "expose = same-address"));
    CHECK_TRUE(mentions(h, "[service NAME]"));
    CHECK_TRUE(mentions(h, "expose = local"));
    CHECK_TRUE(mentions(h, cases[i][1]));
  }
}

TEST(refusal_hints, no_same_address_hint_when_reached_as_asked) {
  const char* const cases[][2] = {{"localhost:80", "localhost"}, {"localhost:80", "127.0.0.1"},
                                  {"127.0.0.1:80", "127.0.0.1"}, {"127.0.0.2:80", "127.0.0.2"},
                                  {"[::1]:80", "::1"}, {"127.0.0.1:80", "localhost"},
                                  {"192.0.2.7:80", "mux.example"}, {"smtp", "192.0.2.7"}};
  for (std::size_t i = 0; i < sizeof cases / sizeof cases[0]; ++i)
    STRCMP_EQUAL("", refusal_hint(facts(0x05, cases[i][0], cases[i][1], true)).c_str());
}

TEST(refusal_hints, names_loopback) {
  socks5::address a;
  CHECK_TRUE(parse_service("localhost:1", a));
  CHECK_TRUE(names_loopback(a));
  CHECK_TRUE(parse_service("127.3.4.5:1", a));
  CHECK_TRUE(names_loopback(a));
  CHECK_TRUE(parse_service("mux.example:1", a));
  CHECK_FALSE(names_loopback(a));
  CHECK_TRUE(parse_service("10.0.0.1:1", a));
  CHECK_FALSE(names_loopback(a));
}
