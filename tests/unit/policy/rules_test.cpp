// SPDX-License-Identifier: GPL-2.0-or-later
// The configuration spellings of expose modes and service auth.
#include "policy/rules.hpp"

#include <cstddef>

#include <CppUTest/TestHarness.h>

TEST_GROUP(rules_spelling) {};

TEST(rules_spelling, expose_round_trip) {
  using namespace tlsmux::policy;
  const expose_mode modes[] = {expose_mode::same_address, expose_mode::local,
                               expose_mode::catalog};
  for (std::size_t i = 0; i < 3; ++i) {
    expose_mode m = expose_mode::local;
    CHECK(parse_expose(expose_name(modes[i]), m));
    CHECK(m == modes[i]);
  }
  STRCMP_EQUAL("same-address", expose_name(expose_mode::same_address));
  expose_mode m = expose_mode::catalog;
  CHECK_FALSE(parse_expose("everything", m));
  CHECK_FALSE(parse_expose("Local", m));
  CHECK_FALSE(parse_expose("", m));
  CHECK(m == expose_mode::catalog);
}

TEST(rules_spelling, service_auth) {
  using namespace tlsmux::policy;
  service_auth a = service_auth::any;
  CHECK(parse_service_auth("password", a));
  CHECK(a == service_auth::password);
  CHECK(parse_service_auth("certificate", a));
  CHECK(a == service_auth::certificate);
  CHECK(parse_service_auth("any", a));
  CHECK(a == service_auth::any);
  CHECK_FALSE(parse_service_auth("none", a));
  CHECK_FALSE(parse_service_auth("", a));
}
