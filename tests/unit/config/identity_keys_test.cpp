// SPDX-License-Identifier: GPL-2.0-or-later
// The identity keys: source-CLASS[-v6], ident, ident-listen, and proxy-protocol in a service.
#include "config/ini.hpp"
#include "config/server_config.hpp"

#include <string>
#include <vector>

#include <CppUTest/TestHarness.h>

using namespace tlsmux::config;
using tlsmux::identity::id_class;
using tlsmux::identity::proxy_version;

TEST_GROUP(identity_keys) {
  server_config cfg;
  std::vector<error> errors;
  bool load(const std::string& text) {
    std::vector<entry> entries;
    if (!parse_ini(text, "f.conf", entries, errors)) return false;
    return apply_entries(entries, cfg, errors);
  }
  std::string first_error() { return errors.empty() ? "" : errors[0].to_string(); }
};

TEST(identity_keys, defaults) {
  CHECK(cfg.sources.at(id_class::anonymous, false).set);
  STRCMP_EQUAL("127.0.0.2", cfg.sources.at(id_class::anonymous, false).address.to_string().c_str());
  CHECK(cfg.sources.at(id_class::anonymous, false).is_default);
  CHECK_FALSE(cfg.sources.at(id_class::password, false).set);
  CHECK_FALSE(cfg.ident);
  STRCMP_EQUAL("*:113", cfg.ident_listen.c_str());
}

TEST(identity_keys, sources_of_each_class) {
  CHECK(load("source-anonymous = none\nsource-user = 127.0.0.3\nsource-cert = 127.0.0.4\n"
             "source-cert-v6 = fd00::4\n"));
  CHECK_FALSE(cfg.sources.at(id_class::anonymous, false).set);
  STRCMP_EQUAL("127.0.0.3", cfg.sources.at(id_class::password, false).address.to_string().c_str());
  CHECK_FALSE(cfg.sources.at(id_class::password, false).is_default);
  STRCMP_EQUAL("127.0.0.4", cfg.sources.at(id_class::certificate, false).address.to_string().c_str());
  STRCMP_EQUAL("fd00::4", cfg.sources.at(id_class::certificate, true).address.to_string().c_str());
}

TEST(identity_keys, wrong_family_or_kind_is_an_error) {
  const char* bad[] = {"source-user = ::1\n", "source-user-v6 = 127.0.0.1\n", "source-cert = 0.0.0.0\n",
                       "source-anonymous = 224.0.0.1\n", "source-anonymous = localhost\n",
                       "ident = maybe\n", "ident-listen = nowhere\n"};
  for (std::size_t i = 0; i < sizeof bad / sizeof bad[0]; ++i) {
    errors.clear();
    CHECK_FALSE_TEXT(load(bad[i]), bad[i]);
    CHECK_TEXT(first_error().find("unknown key") == std::string::npos, bad[i]);
  }
}

TEST(identity_keys, ident) {
  CHECK(load("ident = yes\nident-listen = 127.0.0.1:1113\n"));
  CHECK(cfg.ident);
  STRCMP_EQUAL("127.0.0.1:1113", cfg.ident_listen.c_str());
}

TEST(identity_keys, proxy_protocol_per_service) {
  CHECK(load("[service a]\nport = 25\nproxy-protocol = v2\n[service b]\nport = 80\n"));
  CHECK(cfg.rules.catalog[0].proxy == proxy_version::v2);
  CHECK(cfg.rules.catalog[1].proxy == proxy_version::none);
  errors.clear();
  CHECK_FALSE(load("[service c]\nport = 1\nproxy-protocol = v3\n"));
  CHECK(first_error().find("proxy-protocol must be none, v1 or v2") != std::string::npos);
}
