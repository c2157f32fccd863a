// SPDX-License-Identifier: GPL-2.0-or-later
// load_server_config(), build_server_config(), default_identity(): the rules across keys,
// with file-system rules that stand in for the platform's.
#include "config/server_load.hpp"

#include <string>
#include <vector>

#include <CppUTest/TestHarness.h>

using namespace tlsmux::config;

TEST_GROUP(server_load) {
  server_config cfg;
  std::vector<error> errors;
  path_rules paths;
  int state_dir_asked = 0;

  void setup() override {
    int* asked = &state_dir_asked;
    paths.default_state_dir = [asked]() {
      ++*asked;
      return std::string("/state");
    };
    paths.absolute = [](const std::string& p) { return p.empty() || p[0] == '/' ? p : "/cwd/" + p; };
    paths.join = [](const std::string& dir, const std::string& name) { return dir + "/" + name; };
    paths.absolute_in = [](const std::string& dir, const std::string& p) {
      return p[0] == '/' ? p : dir + "/" + p;
    };
    paths.directory_of = [](const std::string& p) {
      std::string::size_type slash = p.rfind('/');
      return slash == std::string::npos ? std::string("/conf") : p.substr(0, slash);
    };
  }
  // Builds from text as a file named f.conf.
  bool build(const std::string& text) {
    std::vector<entry> entries;
    CHECK_TRUE(parse_ini(text, "f.conf", entries, errors));
    return build_server_config("f.conf", entries, paths, cfg, errors);
  }
  std::string first_error() { return errors.empty() ? "" : errors[0].to_string(); }
};

TEST(server_load, nothing_given_means_all_interfaces_and_the_zero_config_identity) {
  CHECK_TRUE(build(""));
  LONGS_EQUAL(1, cfg.listen.size());
  STRCMP_EQUAL("*:4430", cfg.listen[0].c_str());
  STRCMP_EQUAL("/state", cfg.state_dir.c_str());
  STRCMP_EQUAL("/state/server.crt", cfg.cert.c_str());
  STRCMP_EQUAL("/state/server.key", cfg.key.c_str());
  CHECK_TRUE(default_identity(cfg, paths));
  LONGS_EQUAL(1, state_dir_asked);
}

TEST(server_load, cert_and_key_go_together) {
  const char* halves[] = {"cert = /c.pem\n", "key = /k.pem\n"};
  for (int i = 0; i < 2; ++i) {
    errors.clear();
    CHECK_FALSE(build(halves[i]));
    LONGS_EQUAL(1, errors.size());
    STRCMP_EQUAL("f.conf: cert and key must be given together", first_error().c_str());
  }
}

TEST(server_load, configured_files_are_not_the_zero_config_identity) {
  CHECK_TRUE(build("cert = /etc/tlsmux/a.crt\nkey = /etc/tlsmux/a.key\n"));
  STRCMP_EQUAL("/etc/tlsmux/a.crt", cfg.cert.c_str());
  CHECK_FALSE(default_identity(cfg, paths));
  // Naming the default files explicitly is the same as naming none.
  CHECK_TRUE(build("state-dir = /s\ncert = /s/server.crt\nkey = /s/server.key\n"));
  CHECK_TRUE(default_identity(cfg, paths));
}

TEST(server_load, file_paths_are_relative_to_the_file_and_flag_paths_to_the_start_directory) {
  // f.conf lives in /conf (the stand-in directory_of): a reload after --daemon's chdir("/")
  // finds the same files.
  CHECK_TRUE(build("state-dir = st\npasswd-file = pw\nclient-ca = ca.pem\nlog-file = log\n"
                   "pid-file = pid\nchroot = jail\n"));
  STRCMP_EQUAL("/conf/st", cfg.state_dir.c_str());
  STRCMP_EQUAL("/conf/st/server.crt", cfg.cert.c_str());  // placed in the resolved state-dir
  STRCMP_EQUAL("/conf/st/server.key", cfg.key.c_str());
  STRCMP_EQUAL("/conf/pw", cfg.passwd_file.c_str());
  STRCMP_EQUAL("/conf/ca.pem", cfg.client_ca.c_str());
  STRCMP_EQUAL("/conf/log", cfg.log_file.c_str());
  STRCMP_EQUAL("/conf/pid", cfg.pid_file.c_str());
  STRCMP_EQUAL("/conf/jail", cfg.chroot_dir.c_str());
  CHECK_TRUE(default_identity(cfg, paths));
  LONGS_EQUAL(0, state_dir_asked);
  std::vector<entry> entries;
  CHECK_TRUE(parse_ini("cert = op/server.crt\nkey = /abs/server.key\n", "/etc/op/d3.conf", entries, errors));
  entry flag;
  flag.key = "log-file";
  flag.value = "here.log";
  flag.file = "command line";
  entries.push_back(flag);
  CHECK_TRUE(build_server_config("/etc/op/d3.conf", entries, paths, cfg, errors));
  STRCMP_EQUAL("/etc/op/op/server.crt", cfg.cert.c_str());
  STRCMP_EQUAL("/abs/server.key", cfg.key.c_str());
  STRCMP_EQUAL("/cwd/here.log", cfg.log_file.c_str());
}

TEST(server_load, unset_paths_stay_empty) {
  CHECK_TRUE(build(""));
  CHECK_TRUE(cfg.passwd_file.empty());
  CHECK_TRUE(cfg.log_file.empty());
  CHECK_TRUE(cfg.chroot_dir.empty());
}

TEST(server_load, the_checks_across_keys_still_run) {
  CHECK_FALSE(build("expose = catalog\n"));
  STRCMP_EQUAL("expose = catalog but no [service] is defined", errors[0].message.c_str());
}

TEST(server_load, a_second_build_starts_from_the_defaults) {
  CHECK_TRUE(build("listen = 127.0.0.1:1\nmax-sessions = 9\n"));
  CHECK_TRUE(build(""));
  STRCMP_EQUAL("*:4430", cfg.listen[0].c_str());
  LONGS_EQUAL(0, cfg.max_sessions);
}

TEST(server_load, flags_override_the_file_and_the_config_key_is_skipped) {
  const std::string here = __FILE__;
  server_sources src;
  src.file = here.substr(0, here.rfind('/') + 1) + "sample.conf";
  entry config_flag, level_flag;
  config_flag.key = "config";
  config_flag.value = src.file;
  level_flag.key = "log-level";
  level_flag.value = "debug";
  src.flags.push_back(config_flag);
  src.flags.push_back(level_flag);
  const bool ok = load_server_config(src, paths, cfg, errors);
  CHECK_TRUE_TEXT(ok, first_error().c_str());
  STRCMP_EQUAL("debug", cfg.log_level.c_str());  // notice in the file
  STRCMP_EQUAL("modern", cfg.tls_profile.c_str());
  LONGS_EQUAL(2, cfg.listen.size());
  STRCMP_EQUAL(src.file.c_str(), src.name().c_str());
}

TEST(server_load, a_missing_file_is_an_error_and_nothing_is_applied) {
  server_sources src;
  src.file = "/nonexistent/tlsmux.conf";
  CHECK_FALSE(load_server_config(src, paths, cfg, errors));
  CHECK_FALSE(errors.empty());
  LONGS_EQUAL(0, state_dir_asked);
  STRCMP_EQUAL("command line", server_sources().name().c_str());
}
