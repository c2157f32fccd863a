// SPDX-License-Identifier: GPL-2.0-or-later
// Integration: deadlines, session limits, authentication and reload, over loopback.
#include "harness.hpp"

#include "auth/password_file.hpp"
#include "tlsmux/platform/files.hpp"

#include <asio/read.hpp>
#include <asio/write.hpp>
#include <cstdio>

#include <CppUTest/TestHarness.h>

using namespace tlsmux;
using namespace tlsmux::test;

namespace {

socks5::address loopback(std::uint16_t port) {
  return socks5::address::from_ip(asio::ip::address_v4::loopback(), port);
}

// Connects and sends nothing; keeps what the server sends until it closes.
struct silent_client {
  asio::ip::tcp::socket socket;
  std::uint8_t buf[64];
  std::string got;
  bool closed = false;
  // From 127.0.0.1, or from 127.0.0.<from>: another client of the server.
  silent_client(asio::io_context& io, std::uint16_t port, unsigned char from = 1) : socket(io) {
    socket.open(asio::ip::tcp::v4());
    socket.bind(asio::ip::tcp::endpoint(asio::ip::address_v4({127, 0, 0, from}), 0));
    socket.connect(asio::ip::tcp::endpoint(asio::ip::address_v4::loopback(), port));
    read();
  }
  void read() {
    socket.async_read_some(asio::buffer(buf), [this](const std::error_code& ec, std::size_t n) {
      if (ec) {
        closed = true;
        return;
      }
      got.append(reinterpret_cast<const char*>(buf), n);
      read();
    });
  }
  // The refusal of docs/protocol.md 1.1 to a client that never started TLS: the close, and
  // not a byte (tests/interop/busy.sh shows the alert a TLS client gets).
  bool refused() const { return closed && got.empty(); }
};

}  // namespace

TEST_GROUP(server_limits) {
  server_fixture f;
  std::string passwd_path;

  // Password logins only, with users alice:s3cret and bob:b0b.
  void use_password_file(const char* name) {
    std::string line, bob, err;
    passwd_path = std::string("/tmp/tlsmux-itest-") + name + "-" + std::to_string(::time(nullptr));
    CHECK_TRUE(auth::make_entry("alice", "s3cret", 1000, line, err));
    CHECK_TRUE(auth::make_entry("bob", "b0b", 1000, bob, err));
    CHECK_FALSE(platform::write_private_file(passwd_path, line + "\n" + bob + "\n"));
    f.cfg.passwd_file = passwd_path;
    f.cfg.anonymous = false;
  }
  void teardown() override {
    if (!passwd_path.empty()) std::remove(passwd_path.c_str());
  }
};

TEST(server_limits, handshake_deadline_is_absolute) {
  f.cfg.handshake_timeout = 300;
  CHECK_TRUE(f.start());
  silent_client c(f.io, f.port());
  std::chrono::steady_clock::time_point t0 = std::chrono::steady_clock::now();
  CHECK_TRUE(run_until(f.io, [&c]() { return c.closed; }, 5000));
  CHECK_TRUE(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(2));
}

TEST(server_limits, negotiation_deadline_closes_silent_tls_client) {
  f.cfg.negotiation_timeout = 300;
  CHECK_TRUE(f.start());
  echo_service echo(f.io);
  // Dial to completion once so the server works, then hold a TLS-only session open.
  tls::settings ts;
  std::string err;
  std::shared_ptr<tls::context> ctx = tls::context::make_client(ts, err);
  asio::ip::tcp::socket s(f.io);
  s.connect(asio::ip::tcp::endpoint(asio::ip::address_v4::loopback(), f.port()));
  std::shared_ptr<transport::tls_stream> t = std::make_shared<transport::tls_stream>(std::move(s), ctx);
  bool hs = false, closed = false;
  t->async_handshake([&hs](const std::error_code& ec) { hs = !ec; });
  CHECK_TRUE(run_until(f.io, [&hs]() { return hs; }));
  std::uint8_t b[16];
  t->async_read_some(b, sizeof b, [&closed](const std::error_code& ec, std::size_t) { closed = !!ec; });
  CHECK_TRUE(run_until(f.io, [&closed]() { return closed; }, 5000));
}

TEST(server_limits, per_client_cap_refuses_the_next_connection) {
  f.cfg.max_sessions_per_client = 2;
  CHECK_TRUE(f.start());
  silent_client a(f.io, f.port()), b(f.io, f.port()), c(f.io, f.port());
  CHECK_TRUE(run_until(f.io, [&c]() { return c.closed; }, 3000));
  CHECK_TRUE(c.refused());
  CHECK_FALSE(a.closed);
  CHECK_FALSE(b.closed);
  LONGS_EQUAL(2, f.srv->session_count());
}

// A full session cap makes room for a new connection by dropping the oldest one that has
// not finished TLS and SOCKS (issue 13); the dropped session's line says why.
TEST(server_limits, total_cap_drops_the_oldest_startup_for_a_new_connection) {
  f.cfg.max_sessions = 3;
  CHECK_TRUE(f.start());
  LONGS_EQUAL(3, f.srv->session_cap());
  silent_client a(f.io, f.port(), 2), b(f.io, f.port(), 3), c(f.io, f.port(), 4);
  CHECK_TRUE(run_until(f.io, [this]() { return f.srv->session_count() == 3; }, 3000));
  silent_client d(f.io, f.port(), 5);
  CHECK_TRUE(run_until(f.io, [&a]() { return a.closed; }, 1000));  // before the 3 s handshake deadline
  CHECK_TRUE(run_until(f.io, []() {
    return capture().contains("close=\"dropped before negotiation to admit a new connection: session limit reached\"");
  }));
  CHECK_FALSE(b.closed);
  CHECK_FALSE(c.closed);
  CHECK_FALSE(d.closed);
  LONGS_EQUAL(3, f.srv->session_count());
}

// Working sessions are never dropped: with every slot negotiated the next one is refused.
TEST(server_limits, total_cap_refuses_when_every_session_works) {
  f.cfg.max_sessions = 2;
  CHECK_TRUE(f.start());
  echo_service echo(f.io);
  dialed x = dial_sync(f, loopback(echo.port()), socks5::command::connect);
  LONGS_EQUAL(0, x.result.socks_reply);
  dialed y = dial_sync(f, loopback(echo.port()), socks5::command::connect);
  LONGS_EQUAL(0, y.result.socks_reply);
  silent_client d(f.io, f.port());
  CHECK_TRUE(run_until(f.io, [&d]() { return d.closed; }, 3000));
  LONGS_EQUAL(2, f.srv->session_count());
  std::vector<std::uint8_t> data = pattern(4096, 5), back;
  CHECK_TRUE(echo_round_trip(f.io, x.result.stream, data, back));
  CHECK_TRUE(data == back);
}

TEST(server_limits, password_authentication) {
  use_password_file("passwd");
  CHECK_TRUE(f.start());
  echo_service echo(f.io);
  dialed good = dial_sync(f, loopback(echo.port()), socks5::command::connect, "alice", "s3cret");
  LONGS_EQUAL(0, good.result.socks_reply);
  dialed bad = dial_sync(f, loopback(echo.port()), socks5::command::connect, "alice", "wrong");
  CHECK_TRUE(bad.result.ec);
  CHECK_TRUE(bad.result.message.find("rejected") != std::string::npos);
  dialed anon = dial_sync(f, loopback(echo.port()), socks5::command::connect);
  CHECK_TRUE(anon.result.ec);
}

// auth-max-failures wrong passwords lock the address: even the right password is then
// refused unchecked, and the client is told for how long, until the lockout has passed
// (here: a reload shortens it).
TEST(server_limits, failed_logins_lock_the_address) {
  use_password_file("throttle");
  f.cfg.auth_max_failures = 2;
  f.cfg.auth_lockout = 3600000;
  CHECK_TRUE(f.start());
  echo_service echo(f.io);
  for (int i = 0; i < 2; ++i)
    CHECK_TRUE(dial_sync(f, loopback(echo.port()), socks5::command::connect, "alice", "wrong").result.ec);
  CHECK_TRUE(run_until(f.io, []() {
    return capture().contains("login throttle: 2 failed logins from 127.0.0.1; its password "
                              "logins are locked out for 3600s");
  }));
  dialed locked = dial_sync(f, loopback(echo.port()), socks5::command::connect, "alice", "s3cret");
  CHECK_TRUE(locked.result.ec);
  STRCMP_CONTAINS("locked out for 3600 s", locked.result.message.c_str());
  CHECK_TRUE(run_until(f.io, []() {
    return capture().contains("close=\"authentication failed for user alice (locked out for 3600 s more");
  }));
  f.next.auth_lockout = 1;  // ms: the last failure is long past
  f.srv->reload();
  dialed good = dial_sync(f, loopback(echo.port()), socks5::command::connect, "alice", "s3cret");
  LONGS_EQUAL(0, good.result.socks_reply);
}

// Issue 13, finding 3: good logins as alice between guesses for bob do not reset the count.
// Four wrong guesses for bob, one good login as alice, ten times over: bob's fifth guess
// locks the address, and bob's right password is refused at the end.
TEST(server_limits, good_logins_of_one_user_do_not_hide_guesses_for_another) {
  use_password_file("bobalice");
  f.cfg.auth_lockout = 3600000;
  CHECK_TRUE(f.start());
  echo_service echo(f.io);
  int alice_ok = 0;
  for (int round = 0; round < 10; ++round) {
    for (int i = 0; i < 4; ++i)
      CHECK_TRUE(dial_sync(f, loopback(echo.port()), socks5::command::connect, "bob", "guess").result.ec);
    dialed a = dial_sync(f, loopback(echo.port()), socks5::command::connect, "alice", "s3cret");
    if (!a.result.ec) ++alice_ok;
  }
  LONGS_EQUAL(1, alice_ok);
  dialed bob = dial_sync(f, loopback(echo.port()), socks5::command::connect, "bob", "b0b");
  CHECK_TRUE(bob.result.ec);
  STRCMP_CONTAINS("locked out for", bob.result.message.c_str());
  CHECK_TRUE(capture().contains("login throttle: 5 failed logins from 127.0.0.1"));
}

// A session that ends while its password is checked on the pool (here: the negotiation
// deadline passes during a slow hash) is gone when the verdict comes back; the verdict is
// dropped, and the attempt still counts.
TEST(server_limits, a_session_gone_during_its_check_still_counts) {
  std::string line, err;
  passwd_path = std::string("/tmp/tlsmux-itest-slow-") + std::to_string(::time(nullptr));
  CHECK_TRUE(auth::make_entry("slow", "right", 400000, line, err));
  CHECK_FALSE(platform::write_private_file(passwd_path, line + "\n"));
  f.cfg.passwd_file = passwd_path;
  f.cfg.anonymous = false;
  f.cfg.auth_max_failures = 1;
  f.cfg.negotiation_timeout = 50;
  CHECK_TRUE(f.start());
  echo_service echo(f.io);
  CHECK_TRUE(dial_sync(f, loopback(echo.port()), socks5::command::connect, "slow", "wrong").result.ec);
  CHECK_TRUE(run_until(f.io, []() { return capture().contains("close=\"negotiation timeout\""); }));
  CHECK_TRUE(run_until(f.io, []() { return capture().contains("login throttle: 1 failed logins from 127.0.0.1"); }));
  dialed locked = dial_sync(f, loopback(echo.port()), socks5::command::connect, "slow", "right");
  STRCMP_CONTAINS("locked out for", locked.result.message.c_str());
}

// A reload switches new sessions to the new rules; the established one keeps relaying.
TEST(server_limits, reload_during_traffic) {
  CHECK_TRUE(f.start());
  echo_service echo(f.io), other(f.io);
  dialed before = dial_sync(f, loopback(echo.port()), socks5::command::connect);
  LONGS_EQUAL(0, before.result.socks_reply);
  LONGS_EQUAL(0, dial_sync(f, loopback(other.port()), socks5::command::connect).result.socks_reply);
  f.next.rules.expose = policy::expose_mode::catalog;
  policy::service svc;
  svc.name = "echo";
  svc.port = echo.port();
  f.next.rules.catalog.push_back(svc);
  f.srv->reload();
  dialed not_listed = dial_sync(f, loopback(other.port()), socks5::command::connect);
  LONGS_EQUAL(0x02, not_listed.result.socks_reply);
  dialed by_name = dial_sync(f, socks5::address::from_name("echo", 1), socks5::command::connect);
  LONGS_EQUAL(0, by_name.result.socks_reply);
  CHECK_TRUE(capture().contains("reloaded configuration; "));
  std::vector<std::uint8_t> data = pattern(256 * 1024, 9), back;
  CHECK_TRUE(echo_round_trip(f.io, before.result.stream, data, back));
  CHECK_TRUE(data == back);
}

TEST(server_limits, shutdown_drains_then_stops) {
  CHECK_TRUE(f.start());
  echo_service echo(f.io);
  dialed d = dial_sync(f, loopback(echo.port()), socks5::command::connect);
  LONGS_EQUAL(0, d.result.socks_reply);
  f.srv->shutdown();
  std::vector<std::uint8_t> data = pattern(4096, 4), back;
  CHECK_TRUE(echo_round_trip(f.io, d.result.stream, data, back));
  CHECK_TRUE(data == back);
  CHECK_TRUE(run_until(f.io, [this]() { return f.srv->session_count() == 0; }));
}
