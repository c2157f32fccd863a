// SPDX-License-Identifier: GPL-2.0-or-later
// The service catalog in the configuration, and validate()'s cross-field checks.
#include "config/ini.hpp"
#include "config/server_config.hpp"

#include <string>
#include <vector>

#include <CppUTest/TestHarness.h>

using namespace tlsmux::config;
using tlsmux::policy::expose_mode;
using tlsmux::policy::service;
using tlsmux::policy::service_auth;

namespace {

entry flag(const std::string& key, const std::string& value, int index) {
  entry e;
  e.key = key;
  e.value = value;
  e.file = "command line";
  e.line = index;
  return e;
}

}  // namespace

TEST_GROUP(config_services) {
  server_config cfg;
  std::vector<error> errors;
  std::vector<entry> entries;

  bool load(const std::string& text) {
    if (!parse_ini(text, "f.conf", entries, errors)) return false;
    return apply_entries(entries, cfg, errors);
  }
  std::string first_error() { return errors.empty() ? "" : errors[0].to_string(); }
};

TEST(config_services, section_with_every_key) {
  CHECK(load("[service smtp]\nport = 25\naddress = ::1\nauth = password\nudp = no\n"
             "bind = no\nsource = ::1\n[service web]\nport = 8080\n"));
  LONGS_EQUAL(2, cfg.rules.catalog.size());
  const service& s = cfg.rules.catalog[0];
  STRCMP_EQUAL("smtp", s.name.c_str());
  LONGS_EQUAL(25, s.port);
  STRCMP_EQUAL("::1", s.address.to_string().c_str());
  CHECK(s.auth == service_auth::password);
  CHECK_FALSE(s.udp);
  CHECK_FALSE(s.bind);
  CHECK(s.has_source);
  const service& w = cfg.rules.catalog[1];
  STRCMP_EQUAL("127.0.0.1", w.address.to_string().c_str());  // defaults
  CHECK(w.auth == service_auth::any);
  CHECK(w.udp);
  CHECK(w.bind);
  CHECK_FALSE(w.has_source);
}

TEST(config_services, any_address_literal_is_accepted) {
  CHECK(load("[service far]\nport = 25\naddress = 10.0.0.5\n"));  // the decider refuses it
  STRCMP_EQUAL("10.0.0.5", cfg.rules.catalog[0].address.to_string().c_str());
}

TEST(config_services, bad_values) {
  const char* bad[] = {"port = 0",          "port = 65536",   "port = smtp",
                       "address = localhost", "address = [::1]", "auth = none",
                       "udp = perhaps",     "bind = 2",       "source = host",
                       "name = x"};
  for (std::size_t i = 0; i < sizeof bad / sizeof bad[0]; ++i) {
    errors.clear();
    entries.clear();
    cfg = server_config();
    CHECK_FALSE_TEXT(load(std::string("[service s]\nport = 1\n") + bad[i] + "\n"), bad[i]);
    LONGS_EQUAL(3, errors[0].line);
  }
  STRCMP_EQUAL("f.conf:3: unknown key 'name'", first_error().c_str());
}

TEST(config_services, port_is_required) {
  CHECK_FALSE(load("[service smtp]\naddress = 127.0.0.1\n"));
  STRCMP_EQUAL("f.conf:2: service 'smtp' needs a port", first_error().c_str());
  CHECK(cfg.rules.catalog.empty());
}

TEST(config_services, duplicate_section_is_an_error) {
  CHECK_FALSE(load("[service smtp]\nport = 25\n[service smtp]\nport = 26\n"));
  STRCMP_EQUAL("f.conf:3: duplicate service 'smtp' (first defined at line 1)",
               first_error().c_str());
}

TEST(config_services, flag_form) {
  entries.push_back(flag("service", "smtp port=25 auth=password source=127.0.0.2", 2));
  entries.push_back(flag("service", "web port=80", 4));
  CHECK(apply_entries(entries, cfg, errors));
  LONGS_EQUAL(2, cfg.rules.catalog.size());
  CHECK(cfg.rules.catalog[0].auth == service_auth::password);
  STRCMP_EQUAL("127.0.0.2", cfg.rules.catalog[0].source.to_string().c_str());
  LONGS_EQUAL(80, cfg.rules.catalog[1].port);
}

TEST(config_services, flag_form_errors) {
  entries.push_back(flag("service", "smtp port=25", 2));
  entries.push_back(flag("service", "SMTP port=26", 4));
  entries.push_back(flag("service", "x port", 6));
  entries.push_back(flag("service", "y colour=blue port=1", 8));
  entries.push_back(flag("service", "", 10));
  entries.push_back(flag("service", "z", 12));
  CHECK_FALSE(apply_entries(entries, cfg, errors));
  LONGS_EQUAL(6, errors.size());
  STRCMP_EQUAL("command line:4: duplicate service 'SMTP'", errors[0].to_string().c_str());
  STRCMP_EQUAL("command line:6: service x: expected key=value, not 'port'",
               errors[1].to_string().c_str());
  STRCMP_EQUAL("command line:8: unknown key 'colour'", errors[2].to_string().c_str());
  LONGS_EQUAL(10, errors[3].line);
  // Services without a port are reported last, where they were defined.
  STRCMP_EQUAL("command line:6: service 'x' needs a port", errors[4].to_string().c_str());
  STRCMP_EQUAL("command line:12: service 'z' needs a port", errors[5].to_string().c_str());
}

TEST(config_services, command_line_replaces_a_file_service_of_the_same_name) {
  CHECK(parse_ini("[service smtp]\nport = 25\nauth = password\n[service web]\nport = 80\n",
                  "f.conf", entries, errors));
  entries.push_back(flag("service", "smtp port=2525", 3));
  entries.push_back(flag("service", "imap port=143", 5));
  CHECK(apply_entries(entries, cfg, errors));
  LONGS_EQUAL(3, cfg.rules.catalog.size());
  STRCMP_EQUAL("smtp", cfg.rules.catalog[0].name.c_str());
  LONGS_EQUAL(2525, cfg.rules.catalog[0].port);
  CHECK(cfg.rules.catalog[0].auth == service_auth::any);  // redefined, not merged
  STRCMP_EQUAL("imap", cfg.rules.catalog[2].name.c_str());
}

TEST_GROUP(config_validate) {
  server_config cfg;
  std::vector<error> errors;

  void check_invalid(const char* message) {
    errors.clear();
    CHECK_FALSE(validate(cfg, errors));
    LONGS_EQUAL(1, errors.size());
    STRCMP_EQUAL(message, errors[0].to_string().c_str());
  }
};

TEST(config_validate, catalog_mode_needs_services) {
  cfg.rules.expose = expose_mode::catalog;
  check_invalid("expose = catalog but no [service] is defined");
  service s;
  s.name = "smtp";
  s.port = 25;
  cfg.rules.catalog.push_back(s);
  CHECK(validate(cfg, errors));
}

TEST(config_validate, client_certificates_need_a_ca) {
  cfg.require_client_cert = true;
  check_invalid("require-client-cert needs client-ca");
  cfg.client_ca = "/ca.pem";
  CHECK(validate(cfg, errors));
}

TEST(config_validate, someone_must_be_able_to_log_in) {
  cfg.anonymous = false;
  check_invalid("anonymous = no needs passwd-file or client-ca, or nobody can log in");
  cfg.passwd_file = "/p";
  CHECK(validate(cfg, errors));
}

TEST(config_validate, limits) {
  cfg.max_sessions_per_client = 0;
  check_invalid("max-sessions-per-client must be at least 1");
  cfg.max_sessions_per_client = 1;
  cfg.handshake_timeout = 0;
  check_invalid("handshake-, negotiation- and connect-timeout must not be 0");
  cfg.handshake_timeout = 1;
  cfg.idle_timeout = 0;
  cfg.drain_timeout = 0;
  CHECK(validate(cfg, errors));
  cfg.buffer_size = 100;
  check_invalid("buffer-size must be 1024-1048576");
  cfg.buffer_size = 65536;
  cfg.auth_lockout = 0;
  check_invalid("auth-lockout must not be 0 (auth-max-failures = 0 and auth-user-max-failures = 0 turn the limits off)");
  cfg.auth_max_failures = 0;
  check_invalid("auth-lockout must not be 0 (auth-max-failures = 0 and auth-user-max-failures = 0 turn the limits off)");
  cfg.auth_user_max_failures = 0;
  CHECK(validate(cfg, errors));
}

TEST(config_validate, service_auth_needs_its_source_of_identities) {
  service s;
  s.name = "smtp";
  s.port = 25;
  s.auth = service_auth::password;
  cfg.rules.catalog.push_back(s);
  check_invalid("service 'smtp' has auth = password but passwd-file is not set");
  cfg.rules.catalog[0].auth = service_auth::certificate;
  check_invalid("service 'smtp' has auth = certificate but client-ca is not set");
  cfg.client_ca = "/ca";
  CHECK(validate(cfg, errors));
}

TEST(config_validate, source_must_match_the_address_family) {
  service s;
  s.name = "legacy";
  s.port = 513;
  s.has_source = true;
  s.source = asio::ip::make_address("::1");
  cfg.rules.catalog.push_back(s);
  check_invalid("service 'legacy': source and address must be the same IP version");
  cfg.rules.catalog[0].source = asio::ip::make_address("::ffff:127.0.0.2");
  CHECK(validate(cfg, errors));
}

TEST(config_validate, sample_file_is_valid) {
  std::string here = __FILE__;
  std::vector<entry> entries;
  CHECK(parse_ini_file(here.substr(0, here.rfind('/') + 1) + "sample.conf", entries, errors));
  CHECK(apply_entries(entries, cfg, errors));
  CHECK(validate(cfg, errors));
  CHECK(cfg.rules.expose == expose_mode::catalog);
  LONGS_EQUAL(2, cfg.listen.size());
  LONGS_EQUAL(2, cfg.rules.catalog.size());
  LONGS_EQUAL(500, cfg.max_sessions);
  LONGS_EQUAL(1800000, cfg.idle_timeout);
  STRCMP_EQUAL("modern", cfg.tls_profile.c_str());
}
