// SPDX-License-Identifier: GPL-2.0-or-later
// The zero-config identity (server::ensure_identity): made once, under the state directory's
// keygen lock, always as a matching pair. The concurrent first start of several --inetd
// processes is tested against the real binary in tests/abuse/inetd.sh.
#include "server/first_run.hpp"
#include "tls/context.hpp"
#include "tlsmux/platform/files.hpp"
#include "tlsmux/platform/process.hpp"

#include <cstdio>
#include <string>

#include <CppUTest/TestHarness.h>

using namespace tlsmux;

namespace {

bool pair_loads(const config::server_config& cfg) {
  tls::settings s;
  s.cert_file = cfg.cert;
  s.key_file = cfg.key;
  std::string error;
  return static_cast<bool>(tls::context::make_server(s, error));
}

std::string content(const std::string& path) {
  std::string text;
  platform::read_file(path, text);
  return text;
}

}  // namespace

TEST_GROUP(first_run) {
  config::server_config cfg;
  void setup() override {
    cfg.state_dir = "/tmp/tlsmux-itest-first-run-" + std::to_string(platform::process_id());
    cfg.cert = platform::join_path(cfg.state_dir, "server.crt");
    cfg.key = platform::join_path(cfg.state_dir, "server.key");
  }
  void teardown() override {
    std::remove(cfg.cert.c_str());
    std::remove(cfg.key.c_str());
    std::remove(platform::join_path(cfg.state_dir, server::keygen_lock_file).c_str());
    std::remove(cfg.state_dir.c_str());
  }
};

TEST(first_run, makes_a_matching_pair_once) {
  std::string error;
  CHECK_TRUE(server::ensure_identity(cfg, true, error));
  CHECK_TRUE(pair_loads(cfg));
  const std::string key = content(cfg.key);
  CHECK_TRUE(server::ensure_identity(cfg, true, error));
  CHECK_TRUE(key == content(cfg.key));
}

// A crash between the two renames (or a file removed by hand) leaves half a pair: it is
// made again as a whole, never completed with a certificate for another key.
TEST(first_run, an_incomplete_pair_is_made_again) {
  std::string error;
  CHECK_TRUE(server::ensure_identity(cfg, true, error));
  const std::string key = content(cfg.key);
  std::remove(cfg.cert.c_str());
  CHECK_TRUE(server::ensure_identity(cfg, true, error));
  CHECK_TRUE(platform::file_exists(cfg.cert));
  CHECK_FALSE(key == content(cfg.key));
  CHECK_TRUE(pair_loads(cfg));
  std::remove(cfg.key.c_str());
  CHECK_TRUE(server::ensure_identity(cfg, true, error));
  CHECK_TRUE(pair_loads(cfg));
}

TEST(first_run, explicit_files_are_never_made) {
  std::string error;
  CHECK_TRUE(server::ensure_identity(cfg, false, error));
  CHECK_FALSE(platform::file_exists(cfg.key));
}
