// SPDX-License-Identifier: GPL-2.0-or-later
// Issue 18: the client's first application bytes go behind its SOCKS request (in the TLS
// Finished flight when anonymous). The server relays them to the service first when it
// accepts, and delivers them nowhere when it refuses; the client reports the refusal.
#include "harness.hpp"

#include "auth/password_file.hpp"
#include "tlsmux/platform/files.hpp"

#include <CppUTest/TestHarness.h>
#include <cstdio>
#include <ctime>

using namespace tlsmux;
using namespace tlsmux::test;

namespace {

socks5::address loopback(std::uint16_t port) {
  return socks5::address::from_ip(asio::ip::make_address("127.0.0.1"), port);
}

std::vector<std::uint8_t> text(const std::string& s) { return std::vector<std::uint8_t>(s.begin(), s.end()); }

// What came back: the bytes that arrived with the SOCKS reply, then the rest of the echo.
std::string echoed(server_fixture& f, const dialed& d, const std::string& more) {
  std::vector<std::uint8_t> back;
  if (!echo_round_trip(f.io, d.result.stream, text(more), back)) return "<echo failed>";
  return std::string(d.result.leftover.begin(), d.result.leftover.end()) + std::string(back.begin(), back.end());
}

}  // namespace

TEST_GROUP(first_bytes) {
  server_fixture f;
  std::string passwd_path;
  void teardown() override {
    if (!passwd_path.empty()) std::remove(passwd_path.c_str());
  }
  void use_password_file() {
    std::string line, err;
    passwd_path = "/tmp/tlsmux-itest-first-bytes-" + std::to_string(::time(nullptr));
    CHECK_TRUE(auth::make_entry("alice", "s3cret", 1000, line, err));
    CHECK_FALSE(platform::write_private_file(passwd_path, line + "\n"));
    f.cfg.passwd_file = passwd_path;
    f.cfg.anonymous = false;
  }
};

TEST(first_bytes, anonymous_first_bytes_reach_the_service_first) {
  CHECK_TRUE(f.start());
  echo_service echo(f.io);
  dialed d = dial_sync_first(f, loopback(echo.port()), text("EHLO x\r\n"));
  LONGS_EQUAL(0, d.result.socks_reply);
  LONGS_EQUAL(8, d.result.first_bytes_sent);
  STRCMP_EQUAL("EHLO x\r\nQUIT\r\n", echoed(f, d, "QUIT\r\n").c_str());
}

TEST(first_bytes, after_a_password_login_they_follow_the_request) {
  use_password_file();
  CHECK_TRUE(f.start());
  echo_service echo(f.io);
  dialed d = dial_sync_first(f, loopback(echo.port()), text("GET / HTTP/1.0\r\n\r\n"), "alice", "s3cret");
  LONGS_EQUAL(0, d.result.socks_reply);
  LONGS_EQUAL(18, d.result.first_bytes_sent);
  STRCMP_EQUAL("GET / HTTP/1.0\r\n\r\n", echoed(f, d, "").c_str());
}

TEST(first_bytes, the_most_a_server_keeps_during_negotiation_go_through) {
  CHECK_TRUE(f.start());
  echo_service echo(f.io);
  const std::string first(client::max_first_bytes, 'x');
  dialed d = dial_sync_first(f, loopback(echo.port()), text(first));
  LONGS_EQUAL(0, d.result.socks_reply);
  LONGS_EQUAL(client::max_first_bytes, d.result.first_bytes_sent);
  STRCMP_EQUAL((first + "y").c_str(), echoed(f, d, "y").c_str());
}

TEST(first_bytes, more_than_the_limit_is_refused_by_the_client_itself) {
  CHECK_TRUE(f.start());
  echo_service echo(f.io);
  dialed d = dial_sync_first(f, loopback(echo.port()), text(std::string(client::max_first_bytes + 1, 'x')));
  CHECK_TRUE(d.result.ec);
  LONGS_EQUAL(-1, d.result.socks_reply);
  LONGS_EQUAL(0, echo.connections());
}

// A refused request: the listening service sees no connection at all (so not a byte), and
// the client gets the refusal with its reply code, not a dead stream.
TEST(first_bytes, a_refusal_delivers_them_nowhere) {
  f.cfg.rules.expose = policy::expose_mode::catalog;  // an empty catalog: every request refused
  CHECK_TRUE(f.start());
  echo_service echo(f.io);
  dialed d = dial_sync_first(f, loopback(echo.port()), text("DELETE everything\r\n"));
  CHECK_TRUE(d.result.ec);
  LONGS_EQUAL(0x02, d.result.socks_reply);
  LONGS_EQUAL(19, d.result.first_bytes_sent);
  CHECK_TRUE(d.result.message.find("0x02") != std::string::npos);
  run_until(f.io, []() { return false; }, 200);  // anything late would arrive now
  LONGS_EQUAL(0, echo.connections());
}

TEST(first_bytes, a_wrong_password_never_sends_the_request_or_them) {
  use_password_file();
  CHECK_TRUE(f.start());
  echo_service echo(f.io);
  dialed d = dial_sync_first(f, loopback(echo.port()), text("secret query"), "alice", "wrong");
  CHECK_TRUE(d.result.ec);
  CHECK_TRUE(d.result.auth_refused);
  LONGS_EQUAL(0, d.result.first_bytes_sent);
  LONGS_EQUAL(0, echo.connections());
}
