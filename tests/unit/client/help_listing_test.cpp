// SPDX-License-Identifier: GPL-2.0-or-later
// Unit tests: the service listing, as the server formats it (policy::format_help) and as the
// client reads it (client::help_reader), fed split at every byte position.
#include "client/help_listing.hpp"
#include "policy/help_listing.hpp"

#include <CppUTest/TestHarness.h>

using namespace tlsmux;
using namespace tlsmux::client;

namespace {

const char* const pin_b = "sha256:LCa0a2j/xo/5m0U8HTBBNBNCLXBkg7+g+YpeiGJm564=";

policy::rules catalog() {
  policy::rules r;
  const char* names[] = {"smtp", "imap", "admin"};
  policy::service_auth auths[] = {policy::service_auth::any, policy::service_auth::password,
                                  policy::service_auth::certificate};
  for (int i = 0; i < 3; ++i) {
    policy::service s;
    s.name = names[i];
    s.port = static_cast<std::uint16_t>(25 + i);
    s.auth = auths[i];
    r.catalog.push_back(s);
  }
  return r;
}

// Reads text in two pieces cut at k; "" or what went wrong.
bool read_split(const std::string& text, std::size_t k, help_listing& out, std::string& error) {
  help_reader r;
  const std::uint8_t* p = reinterpret_cast<const std::uint8_t*>(text.data());
  bool ok = r.feed(p, k) && r.feed(p + k, text.size() - k) && r.finish(out);
  error = r.error();
  return ok;
}

}  // namespace

TEST_GROUP(help_listing) {
  policy::session_facts facts;
  policy::help_options options;
};

TEST(help_listing, anonymous_user_and_certificate_see_what_they_may_use) {
  STRCMP_EQUAL("tlsmux-help 1\nservice smtp any\nexpose same-address\nend\n",
               policy::format_help(catalog(), facts, options).c_str());
  facts.password = true;
  STRCMP_EQUAL("tlsmux-help 1\nservice smtp any\nservice imap password\nexpose same-address\nend\n",
               policy::format_help(catalog(), facts, options).c_str());
  facts.password = false;
  facts.certificate = true;
  STRCMP_EQUAL("tlsmux-help 1\nservice smtp any\nservice admin certificate\nexpose same-address\nend\n",
               policy::format_help(catalog(), facts, options).c_str());
}

TEST(help_listing, off_switch_and_next_pins) {
  options.list_services = false;
  options.next_pins.push_back(pin_b);
  STRCMP_EQUAL((std::string("tlsmux-help 1\nlisting off\nnext-pin ") + pin_b + "\nend\n").c_str(),
               policy::format_help(catalog(), facts, options).c_str());
}

TEST(help_listing, round_trip_split_everywhere) {
  facts.password = true;
  options.next_pins.push_back(pin_b);
  const std::string text = policy::format_help(catalog(), facts, options);
  for (std::size_t k = 0; k <= text.size(); ++k) {
    help_listing l;
    std::string error;
    CHECK_TEXT(read_split(text, k, l, error), (std::to_string(k) + ": " + error).c_str());
    LONGS_EQUAL(2, l.services.size());
    STRCMP_EQUAL("imap", l.services[1].name.c_str());
    STRCMP_EQUAL("password", l.services[1].auth.c_str());
    STRCMP_EQUAL("same-address", l.expose.c_str());
    LONGS_EQUAL(1, l.next_pins.size());
    STRCMP_EQUAL(pin_b, l.next_pins[0].c_str());
    CHECK_FALSE(l.off);
  }
}

TEST(help_listing, refuses_what_is_not_a_whole_listing) {
  const struct {
    const char* text;
    const char* error;
  } cases[] = {
      {"", "the server sent no listing"},
      {"tlsmux-help 1\nservice smtp any\n", "the listing was cut short"},
      {"tlsmux-help 1\nservice smtp any\nen", "the listing was cut short"},
      {"HTTP/1.1 200 OK\n", "not a tlsmux service listing"},
      {"tlsmux-help 2\nend\n", "listing version 2 is not supported"},
      {"tlsmux-help 1\nservice smtp\nend\n", "malformed service line"},
      {"tlsmux-help 1\nservice smtp root\nend\n", "malformed service line"},
      {"tlsmux-help 1\nnext-pin sha256:short\nend\n", "malformed next-pin line"},
      {"tlsmux-help 1\nend\nservice smtp any\n", "text after the end of the listing"},
      {"tlsmux-help 1\nservice sm\x1btp any\nend\n", "control character in the listing"},
  };
  for (std::size_t i = 0; i < sizeof cases / sizeof cases[0]; ++i) {
    const std::string text = cases[i].text;
    for (std::size_t k = 0; k <= text.size(); ++k) {
      help_listing l;
      std::string error;
      CHECK_FALSE_TEXT(read_split(text, k, l, error), cases[i].text);
      STRCMP_EQUAL_TEXT(cases[i].error, error.c_str(), cases[i].text);
    }
  }
  help_reader big;
  std::string line = "# " + std::string(1000, 'x') + "\n";
  bool ok = big.feed(reinterpret_cast<const std::uint8_t*>("tlsmux-help 1\n"), 14);
  for (int i = 0; i < 70 && ok; ++i) ok = big.feed(reinterpret_cast<const std::uint8_t*>(line.data()), line.size());
  CHECK_FALSE(ok);
  STRCMP_CONTAINS("larger than", big.error().c_str());
}

TEST(help_listing, unknown_lines_are_skipped_and_crlf_accepted) {
  help_listing l;
  std::string error;
  CHECK_TRUE(read_split("tlsmux-help 1\r\nmotd hello\r\nservice smtp any\r\nend\r\n", 5, l, error));
  LONGS_EQUAL(1, l.services.size());
  STRCMP_EQUAL("smtp", l.services[0].name.c_str());
}

TEST(help_listing, user_format) {
  help_listing l;
  help_service s;
  s.name = "smtp";
  s.auth = "any";
  l.services.push_back(s);
  s.name = "imap";
  s.auth = "password";
  l.services.push_back(s);
  l.expose = "catalog";
  STRCMP_EQUAL("SERVICE              LOGIN\nsmtp                 none\nimap                 password (--user)\n",
               format_listing(l, "mux:4430").c_str());
  l.off = true;
  STRCMP_EQUAL("mux:4430 does not list its services (service-list = no)\n", format_listing(l, "mux:4430").c_str());
}
