// SPDX-License-Identifier: GPL-2.0-or-later
// parse_flags(): long and short options, switches, positional arguments and errors.
#include "config/flags.hpp"
#include "config/server_config.hpp"

#include <set>
#include <string>
#include <utility>
#include <vector>

#include <CppUTest/TestHarness.h>

using namespace tlsmux::config;

TEST_GROUP(flags) {
  option_table table;
  command_line cl;
  std::vector<error> errors;

  void setup() override {
    add_option(table, "daemon", 'd', "", "", "detach");
    add_option(table, "check", 0, "", "", "check only");
    add_option(table, "forward", 'L', "SPEC", "", "a forward");
    add_option(table, "config", 'c', "FILE", "", "the file");
    const char* const keys[] = {"listen", "cert", "key", "max-sessions", "user", "log-level",
                                "service", "expose"};
    for (std::size_t i = 0; i < sizeof keys / sizeof keys[0]; ++i)
      add_option(table, keys[i], 0, "VALUE", "", "");
  }
  bool parse(const std::vector<std::string>& args) {
    return parse_flags(args, table, cl, errors);
  }
  std::string first_error() { return errors.empty() ? "" : errors[0].to_string(); }
};

TEST(flags, long_options_both_spellings) {
  CHECK(parse({"--listen", "127.0.0.1:1", "--cert=/c.pem", "--max_sessions=5", "--key="}));
  LONGS_EQUAL(4, cl.entries.size());
  STRCMP_EQUAL("listen", cl.entries[0].key.c_str());
  STRCMP_EQUAL("127.0.0.1:1", cl.entries[0].value.c_str());
  STRCMP_EQUAL("", cl.entries[0].section.c_str());
  STRCMP_EQUAL("command line", cl.entries[0].file.c_str());
  LONGS_EQUAL(1, cl.entries[0].line);
  STRCMP_EQUAL("cert", cl.entries[1].key.c_str());
  STRCMP_EQUAL("/c.pem", cl.entries[1].value.c_str());
  LONGS_EQUAL(3, cl.entries[1].line);
  STRCMP_EQUAL("max-sessions", cl.entries[2].key.c_str());
  STRCMP_EQUAL("", cl.entries[3].value.c_str());
  CHECK(cl.positional.empty());
}

TEST(flags, value_may_look_like_an_option) {
  CHECK(parse({"--user", "--weird", "--log-level", "-1"}));
  STRCMP_EQUAL("--weird", cl.entries[0].value.c_str());
  STRCMP_EQUAL("-1", cl.entries[1].value.c_str());
}

TEST(flags, switches) {
  CHECK(parse({"--daemon", "--check", "-d"}));
  CHECK(cl.entries.empty());
  LONGS_EQUAL(2, cl.switches.size());
  CHECK(cl.switches.count("daemon"));
  CHECK(cl.switches.count("check"));
  CHECK_FALSE(parse({"--daemon=yes"}));
  STRCMP_EQUAL("command line:1: option --daemon takes no value", first_error().c_str());
}

TEST(flags, short_options) {
  CHECK(parse({"-c", "/etc/tlsmux.conf", "-L", "2525:smtp", "-L8080:web"}));
  LONGS_EQUAL(3, cl.entries.size());
  STRCMP_EQUAL("config", cl.entries[0].key.c_str());
  STRCMP_EQUAL("/etc/tlsmux.conf", cl.entries[0].value.c_str());
  STRCMP_EQUAL("forward", cl.entries[1].key.c_str());
  LONGS_EQUAL(3, cl.entries[1].line);
  STRCMP_EQUAL("8080:web", cl.entries[2].value.c_str());
  LONGS_EQUAL(5, cl.entries[2].line);
}

TEST(flags, unknown_short_option_is_an_error) {
  CHECK_FALSE(parse({"host", "-x"}));
  STRCMP_EQUAL("command line:2: unknown option '-x'", first_error().c_str());
}

TEST(flags, missing_value_is_an_error) {
  CHECK_FALSE(parse({"--cert"}));
  STRCMP_EQUAL("command line:1: option --cert needs a value", first_error().c_str());
  errors.clear();
  CHECK_FALSE(parse({"a", "-c"}));
  STRCMP_EQUAL("command line:2: option -c needs a value", first_error().c_str());
}

TEST(flags, malformed_long_option) {
  CHECK_FALSE(parse({"--=x"}));
  LONGS_EQUAL(1, errors.size());
}

TEST(flags, positional_and_double_dash) {
  CHECK(parse({"host:4430", "-", "--listen", "1", "smtp", "--", "--cert", "-c"}));
  LONGS_EQUAL(1, cl.entries.size());
  LONGS_EQUAL(5, cl.positional.size());
  STRCMP_EQUAL("host:4430", cl.positional[0].c_str());
  STRCMP_EQUAL("-", cl.positional[1].c_str());
  STRCMP_EQUAL("smtp", cl.positional[2].c_str());
  STRCMP_EQUAL("--cert", cl.positional[3].c_str());
  STRCMP_EQUAL("-c", cl.positional[4].c_str());
}

TEST(flags, service_flag_reaches_the_catalog) {
  CHECK(parse({"--service", "smtp port=25 auth=password", "--expose", "catalog"}));
  server_config cfg;
  CHECK(apply_entries(cl.entries, cfg, errors));
  LONGS_EQUAL(1, cfg.rules.catalog.size());
  LONGS_EQUAL(25, cfg.rules.catalog[0].port);
  CHECK(cfg.rules.catalog[0].auth == tlsmux::policy::service_auth::password);
}

TEST(flags, unknown_long_option_is_an_error) {
  CHECK_FALSE(parse({"--listen", "1", "--frobnicate", "x"}));
  STRCMP_EQUAL("command line:3: unknown option '--frobnicate'", first_error().c_str());
  errors.clear();
  CHECK_FALSE(parse({"--nmae=x"}));
  STRCMP_EQUAL("command line:1: unknown option '--nmae'", first_error().c_str());
}

TEST(flags, help_lists_every_option_with_its_default) {
  option_table t;
  add_option(t, "days", 0, "N", "3650", "validity");
  add_option(t, "force", 0, "", "", "replace existing files");
  add_option(t, "forward", 'L', "SPEC", "", "a local forward");
  std::string help = help_text("usage: x\n", t);
  CHECK(help.find("usage: x\n") == 0);
  CHECK(help.find("--days N") != std::string::npos);
  CHECK(help.find("validity (default: 3650)") != std::string::npos);
  CHECK(help.find("--force ") != std::string::npos);
  CHECK(help.find("-L SPEC, --forward SPEC") != std::string::npos);
}
