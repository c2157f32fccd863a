// SPDX-License-Identifier: GPL-2.0-or-later
// Integration: `threads = 3`. Sessions are spread over three event loops; the session table,
// the limits, the status dump, reload and the drain see all of them. Run under
// ThreadSanitizer in CI (tests/ci/sanitizers.sh thread).
#include "harness.hpp"

#include <CppUTest/TestHarness.h>

using namespace tlsmux;
using namespace tlsmux::test;

namespace {

socks5::address loopback_port(std::uint16_t port) {
  return socks5::address::from_ip(asio::ip::address_v4::loopback(), port);
}

}  // namespace

TEST_GROUP(server_threads) {};

TEST(server_threads, sessions_spread_relay_and_drain) {
  server_fixture f;
  f.cfg.threads = 3;
  f.cfg.max_sessions_per_client = 9;
  echo_service echo(f.io);
  CHECK_TRUE(f.start());
  std::vector<std::shared_ptr<transport::tls_stream> > streams;
  for (int i = 0; i < 9; ++i) {
    dialed d = dial_sync(f, loopback_port(echo.port()), socks5::command::connect);
    LONGS_EQUAL(0, d.result.socks_reply);
    streams.push_back(d.result.stream);
  }
  // The per-client limit counts the sessions of every loop.
  dialed over = dial_sync(f, loopback_port(echo.port()), socks5::command::connect);
  CHECK_FALSE(over.result.stream);
  CHECK_TRUE(run_until(f.io, []() { return capture().contains("per-client session limit reached"); }));
  LONGS_EQUAL(9, f.srv->session_count());
  // Each new session went to the loop with the fewest.
  f.srv->dump_status();
  CHECK_TRUE(run_until(f.io, []() { return capture().matching("active client=").size() == 9; }));
  CHECK_TRUE(capture().contains("9 active sessions"));
  CHECK_TRUE(capture().contains("per thread: 3 3 3"));
  // All nine relay at once, 1 MB each way.
  std::vector<std::vector<std::uint8_t> > data, back;
  for (std::size_t i = 0; i < streams.size(); ++i) data.push_back(pattern(1000000, static_cast<std::uint32_t>(i)));
  CHECK_TRUE(echo_round_trips(f.io, streams, data, back, 30000));
  for (std::size_t i = 0; i < streams.size(); ++i) CHECK_TRUE(data[i] == back[i]);
  CHECK_TRUE(run_until(f.io, [&f]() { return f.srv->session_count() == 0; }));
  LONGS_EQUAL(9, capture().matching("up=1000000 down=1000000").size());
  // A refusal decided on a worker loop and a reload.
  dialed refused = dial_sync(f, socks5::address::from_ip(asio::ip::make_address("10.0.0.5"), 80),
                             socks5::command::connect);
  LONGS_EQUAL(0x02, refused.result.socks_reply);
  f.srv->reload();
  CHECK_TRUE(capture().contains("reloaded configuration"));
  // Drain: a session that finishes its transfer ends by itself; one that stays idle is
  // stopped on its own loop when the drain timeout (1 s here) expires.
  dialed busy = dial_sync(f, loopback_port(echo.port()), socks5::command::connect);
  dialed idle = dial_sync(f, loopback_port(echo.port()), socks5::command::connect);
  LONGS_EQUAL(0, busy.result.socks_reply);
  LONGS_EQUAL(0, idle.result.socks_reply);
  f.srv->shutdown();
  std::vector<std::uint8_t> last = pattern(4096, 99), last_back;
  CHECK_TRUE(echo_round_trip(f.io, busy.result.stream, last, last_back));
  CHECK_TRUE(last == last_back);
  CHECK_TRUE(run_until(f.io, [&f]() { return f.srv->session_count() == 0; }));
  LONGS_EQUAL(1, capture().matching("close=\"shutdown\"").size());
  f.srv->stop_threads();
}
