// SPDX-License-Identifier: GPL-2.0-or-later
// apply_entries(), validate(), parse_duration(), parse_bool(): every key, good and bad.
#include "config/ini.hpp"
#include "config/server_config.hpp"

#include <string>
#include <vector>

#include <CppUTest/TestHarness.h>

using namespace tlsmux::config;
using tlsmux::policy::expose_mode;
using tlsmux::policy::service_auth;

TEST_GROUP(server_config) {
  server_config cfg;
  std::vector<error> errors;

  // Parses text as a file named f.conf and applies it.
  bool load(const std::string& text) {
    std::vector<entry> entries;
    if (!parse_ini(text, "f.conf", entries, errors)) return false;
    return apply_entries(entries, cfg, errors);
  }
  bool good(const std::string& line) {
    errors.clear();
    return load(line + "\n");
  }
  std::string first_error() { return errors.empty() ? "" : errors[0].to_string(); }
};

TEST(server_config, defaults) {
  LONGS_EQUAL(4430, default_port);
  CHECK(cfg.listen.empty());
  CHECK(cfg.anonymous);
  CHECK(cfg.rules.expose == expose_mode::same_address);
  CHECK_FALSE(cfg.rules.udp);
  CHECK_FALSE(cfg.rules.bind);
  CHECK_FALSE(cfg.daemon);
  STRCMP_EQUAL("intermediate", cfg.tls_profile.c_str());
  LONGS_EQUAL(64, cfg.max_sessions_per_client);
  LONGS_EQUAL(5, cfg.auth_max_failures);
  LONGS_EQUAL(10, cfg.auth_user_max_failures);
  LONGS_EQUAL(60000, cfg.auth_lockout);
  CHECK(validate(cfg, errors));
}

TEST(server_config, string_keys) {
  CHECK(load("cert = /c\nkey = /k\nstate-dir = /s\npasswd-file = /p\nclient-ca = /ca\n"
             "log-file = /l\npid-file = /pid\nuser = nobody\ngroup = nogroup\n"
             "chroot = /var/empty\n"));
  STRCMP_EQUAL("/c", cfg.cert.c_str());
  STRCMP_EQUAL("/k", cfg.key.c_str());
  STRCMP_EQUAL("/s", cfg.state_dir.c_str());
  STRCMP_EQUAL("/p", cfg.passwd_file.c_str());
  STRCMP_EQUAL("/ca", cfg.client_ca.c_str());
  STRCMP_EQUAL("/l", cfg.log_file.c_str());
  STRCMP_EQUAL("/pid", cfg.pid_file.c_str());
  STRCMP_EQUAL("nobody", cfg.user.c_str());
  STRCMP_EQUAL("nogroup", cfg.group.c_str());
  STRCMP_EQUAL("/var/empty", cfg.chroot_dir.c_str());
}

TEST(server_config, boolean_keys) {
  CHECK(load("anonymous = no\nrequire-client-cert = yes\nudp = on\nbind = true\nsyslog = 1\n"
             "daemon = YES\n"));
  CHECK_FALSE(cfg.anonymous);
  CHECK(cfg.require_client_cert);
  CHECK(cfg.rules.udp);
  CHECK(cfg.rules.bind);
  CHECK(cfg.syslog);
  CHECK(cfg.daemon);
  const char* keys[] = {"anonymous", "require-client-cert", "udp", "bind", "syslog", "daemon"};
  for (std::size_t i = 0; i < 6; ++i) {
    CHECK_FALSE(good(std::string(keys[i]) + " = maybe"));
    std::string expected =
        "f.conf:1: " + std::string(keys[i]) + ": expected yes or no, not 'maybe'";
    STRCMP_EQUAL(expected.c_str(), first_error().c_str());
  }
}

TEST(server_config, choice_keys) {
  CHECK(good("tls-profile = modern"));
  STRCMP_EQUAL("modern", cfg.tls_profile.c_str());
  CHECK_FALSE(good("tls-profile = old"));
  STRCMP_EQUAL("f.conf:1: tls-profile: expected intermediate or modern, not 'old'",
               first_error().c_str());
  CHECK(good("expose = local"));
  CHECK(cfg.rules.expose == expose_mode::local);
  CHECK(good("expose = catalog"));
  CHECK(cfg.rules.expose == expose_mode::catalog);
  CHECK(good("expose = same-address"));
  CHECK(cfg.rules.expose == expose_mode::same_address);
  CHECK_FALSE(good("expose = all"));
  CHECK(good("log-level = debug"));
  STRCMP_EQUAL("debug", cfg.log_level.c_str());
  CHECK(good("log-level = warning"));
  CHECK_FALSE(good("log-level = loud"));
}

TEST(server_config, number_keys) {
  CHECK(good("max-sessions = 0"));
  CHECK(good("max-sessions = 1000"));
  LONGS_EQUAL(1000, cfg.max_sessions);
  CHECK(good("max-sessions-per-client = 8"));
  LONGS_EQUAL(8, cfg.max_sessions_per_client);
  LONGS_EQUAL(256, cfg.max_startups);  // defaults
  LONGS_EQUAL(32, cfg.max_startups_per_client);
  LONGS_EQUAL(32, cfg.client_prefix_v4);
  LONGS_EQUAL(64, cfg.client_prefix_v6);
  CHECK(good("max-startups = 40"));
  LONGS_EQUAL(40, cfg.max_startups);
  CHECK(good("max-startups-per-client = 4"));
  LONGS_EQUAL(4, cfg.max_startups_per_client);
  CHECK(good("client-prefix-v4 = 24"));
  LONGS_EQUAL(24, cfg.client_prefix_v4);
  CHECK(good("client-prefix-v6 = 128"));
  LONGS_EQUAL(128, cfg.client_prefix_v6);
  CHECK(good("auth-max-failures = 0"));
  LONGS_EQUAL(0, cfg.auth_max_failures);
  CHECK(good("auth-user-max-failures = 3"));
  LONGS_EQUAL(3, cfg.auth_user_max_failures);
  CHECK(good("auth-lockout = 15m"));
  LONGS_EQUAL(900000, cfg.auth_lockout);
  CHECK(good("buffer-size = 1024"));
  CHECK(good("buffer-size = 1048576"));
  LONGS_EQUAL(1048576, cfg.buffer_size);
  LONGS_EQUAL(1, cfg.threads);
  CHECK(good("threads = 4"));
  LONGS_EQUAL(4, cfg.threads);
  const char* bad[] = {"max-sessions = -1",   "max-sessions = 10k",  "max-sessions = ",
                       "max-sessions = 1e3",  "buffer-size = 1023",  "buffer-size = 1048577",
                       "max-sessions-per-client = 99999999999999999999",
                       "threads = 0",         "threads = 65",
                       "auth-max-failures = -1", "auth-lockout = soon",
                       "max-startups = 0", "max-startups-per-client = 0", "client-prefix-v4 = 0",
                       "client-prefix-v4 = 33", "client-prefix-v6 = 129", "client-prefix-v6 = /64"};
  for (std::size_t i = 0; i < sizeof bad / sizeof bad[0]; ++i)
    CHECK_FALSE_TEXT(good(bad[i]), bad[i]);
  good("buffer-size = 512");
  STRCMP_EQUAL("f.conf:1: buffer-size: expected a number 1024-1048576, not '512'",
               first_error().c_str());
}

TEST(server_config, duration_keys) {
  CHECK(load("handshake-timeout = 5s\nnegotiation-timeout = 2500ms\nconnect-timeout = 3\n"
             "idle-timeout = 0\ndrain-timeout = 1m\n"));
  LONGS_EQUAL(5000, cfg.handshake_timeout);
  LONGS_EQUAL(2500, cfg.negotiation_timeout);
  LONGS_EQUAL(3000, cfg.connect_timeout);
  LONGS_EQUAL(0, cfg.idle_timeout);
  LONGS_EQUAL(60000, cfg.drain_timeout);
  CHECK_FALSE(good("idle-timeout = 1 h"));
  STRCMP_EQUAL(
      "f.conf:1: idle-timeout: expected a duration such as 10s, 500ms, 2m or 1h, not '1 h'",
      first_error().c_str());
}

TEST(server_config, parse_duration) {
  std::uint32_t ms = 7;
  CHECK(parse_duration("10s", ms));
  LONGS_EQUAL(10000, ms);
  CHECK(parse_duration("500ms", ms));
  LONGS_EQUAL(500, ms);
  CHECK(parse_duration("2m", ms));
  LONGS_EQUAL(120000, ms);
  CHECK(parse_duration("1h", ms));
  LONGS_EQUAL(3600000, ms);
  CHECK(parse_duration("42", ms));
  LONGS_EQUAL(42000, ms);
  CHECK(parse_duration("1193h", ms));
  CHECK(parse_duration("4294967295ms", ms));
  CHECK(ms == 4294967295u);
  ms = 7;
  const char* bad[] = {"", "s", "-1s", "1.5s", "10 s", "10d", "10S", "4294968s", "1194h",
                       "99999999999999999999999ms"};
  for (std::size_t i = 0; i < sizeof bad / sizeof bad[0]; ++i)
    CHECK_FALSE_TEXT(parse_duration(bad[i], ms), bad[i]);
  LONGS_EQUAL(7, ms);
}

TEST(server_config, parse_bool) {
  const char* yes[] = {"yes", "true", "on", "1", "Yes", "TRUE"};
  const char* no[] = {"no", "false", "off", "0", "No", "OFF"};
  for (std::size_t i = 0; i < 6; ++i) {
    bool b = false;
    CHECK(parse_bool(yes[i], b));
    CHECK(b);
    CHECK(parse_bool(no[i], b));
    CHECK_FALSE(b);
  }
  bool b = true;
  CHECK_FALSE(parse_bool("", b));
  CHECK_FALSE(parse_bool("y", b));
  CHECK_FALSE(parse_bool("2", b));
  CHECK(b);
}

TEST(server_config, listen_values) {
  CHECK(load("listen = 127.0.0.1:4430\nlisten = [::1]:4430\nlisten = *:443\nlisten = 4431\n"
             "listen = 0.0.0.0:0\n"));
  LONGS_EQUAL(5, cfg.listen.size());
  STRCMP_EQUAL("[::1]:4430", cfg.listen[1].c_str());
  STRCMP_EQUAL("4431", cfg.listen[3].c_str());
  const char* bad[] = {"listen = ::1:4430", "listen = [127.0.0.1]:4430", "listen = host:4430",
                       "listen = 127.0.0.1", "listen = 127.0.0.1:65536", "listen = :",
                       "listen = [::1]", "listen = 1.2.3.4:-1"};
  for (std::size_t i = 0; i < sizeof bad / sizeof bad[0]; ++i)
    CHECK_FALSE_TEXT(good(bad[i]), bad[i]);
}

TEST(server_config, later_source_replaces_listen) {
  std::vector<entry> entries;
  CHECK(parse_ini("listen = 1.2.3.4:1\nlisten = 1.2.3.4:2\n", "a.conf", entries, errors));
  entry flag;
  flag.key = "listen";
  flag.value = "127.0.0.1:9";
  flag.file = "command line";
  flag.line = 2;
  entries.push_back(flag);
  CHECK(apply_entries(entries, cfg, errors));
  LONGS_EQUAL(1, cfg.listen.size());
  STRCMP_EQUAL("127.0.0.1:9", cfg.listen[0].c_str());
}

TEST(server_config, server_section_is_the_global_section) {
  CHECK(load("[server]\nmax-sessions = 9\nmax_sessions_per_client = 3\n"));
  LONGS_EQUAL(9, cfg.max_sessions);
  LONGS_EQUAL(3, cfg.max_sessions_per_client);
}

TEST(server_config, unknown_keys_and_sections) {
  CHECK_FALSE(load("cert = a\nfrobnicate = 1\n"));
  STRCMP_EQUAL("f.conf:2: unknown key 'frobnicate'", first_error().c_str());
  errors.clear();
  CHECK_FALSE(load("[client]\na = 1\nb = 2\n"));
  LONGS_EQUAL(1, errors.size());
  STRCMP_EQUAL("f.conf:2: unknown section [client]", first_error().c_str());
}

TEST(server_config, config_key_is_ignored) {
  CHECK(load("config = /etc/other.conf\n"));
}

TEST(server_config, every_key_is_listed) {
  const std::vector<std::string>& keys = server_keys();
  CHECK(keys.size() >= 28);
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (keys[i] == "listen" || keys[i] == "service") continue;
    errors.clear();
    server_config fresh;
    cfg = fresh;
    load(keys[i] + " = zz-not-a-value\n");
    CHECK_TEXT(first_error().find("unknown key") == std::string::npos, keys[i].c_str());
  }
}
