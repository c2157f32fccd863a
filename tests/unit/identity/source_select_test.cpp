// SPDX-License-Identifier: GPL-2.0-or-later
// Source address per identity class: the selection rules as a table.
#include "identity/source_select.hpp"

#include <string>

#include <CppUTest/TestHarness.h>

using namespace tlsmux::identity;

namespace {

source_table configured() {
  source_table t = default_sources();  // anonymous 127.0.0.2
  t.at(id_class::password, false).set = true;
  t.at(id_class::password, false).address = asio::ip::make_address("127.0.0.3");
  t.at(id_class::certificate, false).set = true;
  t.at(id_class::certificate, false).address = asio::ip::make_address("127.0.0.4");
  t.at(id_class::certificate, true).set = true;
  t.at(id_class::certificate, true).address = asio::ip::make_address("fd00::4");
  return t;
}

struct row {
  const char* what;
  bool defaults_only;
  id_class cls;
  const char* target;
  const char* service_source;  // "" = none
  const char* rule;
  const char* address;         // "" = no bind
};

const row rows[] = {
    {"anonymous to loopback, defaults", true, id_class::anonymous, "127.0.0.1", "", "class", "127.0.0.2"},
    {"password to loopback, defaults", true, id_class::password, "127.0.0.1", "", "kernel", ""},
    {"cert to loopback, defaults", true, id_class::certificate, "127.0.0.1", "", "kernel", ""},
    {"anonymous to host address, defaults", true, id_class::anonymous, "192.0.2.10", "", "class", "127.0.0.2"},
    {"password to host address, defaults", true, id_class::password, "192.0.2.10", "", "target", "192.0.2.10"},
    {"anonymous to ::1, defaults (no IPv6 default)", true, id_class::anonymous, "::1", "", "kernel", ""},
    {"anonymous to host IPv6, defaults", true, id_class::anonymous, "2001:db8::10", "", "target", "2001:db8::10"},
    {"anonymous to IPv4-mapped", true, id_class::anonymous, "::ffff:127.0.0.1", "", "class", "::ffff:127.0.0.2"},
    {"service source wins", true, id_class::anonymous, "127.0.0.1", "127.0.0.9", "service", "127.0.0.9"},
    {"password configured", false, id_class::password, "127.0.0.1", "", "class", "127.0.0.3"},
    {"cert configured", false, id_class::certificate, "127.0.0.1", "", "class", "127.0.0.4"},
    {"cert to IPv6 uses the -v6 key", false, id_class::certificate, "::1", "", "class", "fd00::4"},
    {"password to IPv6 without -v6 key", false, id_class::password, "::1", "", "kernel", ""},
    {"anonymous configured table", false, id_class::anonymous, "127.0.0.1", "", "class", "127.0.0.2"},
};

}  // namespace

TEST_GROUP(source_select) {};

TEST(source_select, table) {
  for (std::size_t i = 0; i < sizeof rows / sizeof rows[0]; ++i) {
    const row& r = rows[i];
    source_table t = r.defaults_only ? default_sources() : configured();
    bool has_service = r.service_source[0] != '\0';
    asio::ip::address svc = has_service ? asio::ip::make_address(r.service_source) : asio::ip::address();
    source_choice c = choose_source(t, r.cls, asio::ip::make_address(r.target), has_service, svc);
    STRCMP_EQUAL_TEXT(r.rule, c.rule, r.what);
    CHECK_EQUAL_TEXT(r.address[0] != '\0', c.bind, r.what);
    if (c.bind) STRCMP_EQUAL_TEXT(r.address, c.address.to_string().c_str(), r.what);
  }
}

TEST(source_select, defaults_mark_only_anonymous_v4) {
  source_table t = default_sources();
  CHECK(t.at(id_class::anonymous, false).set);
  CHECK(t.at(id_class::anonymous, false).is_default);
  CHECK_FALSE(t.at(id_class::anonymous, true).set);
  CHECK_FALSE(t.at(id_class::password, false).set);
  CHECK_FALSE(t.at(id_class::certificate, false).set);
  STRCMP_EQUAL("user", class_key(id_class::password));
  STRCMP_EQUAL("cert", class_key(id_class::certificate));
}
