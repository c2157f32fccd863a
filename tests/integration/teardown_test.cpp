// SPDX-License-Identifier: GPL-2.0-or-later
// Integration: a server torn down while its sessions are still closing.
#include "harness.hpp"

#include <CppUTest/TestHarness.h>

using namespace tlsmux;
using namespace tlsmux::test;

TEST_GROUP(server_teardown) {};

// The client has its reply, the server has not finished the session yet: destroying the
// server and its io_context then must free everything without touching freed memory (IOCP
// completes aborted operations after closesocket; their handlers hold the session).
TEST(server_teardown, server_and_loop_destroyed_while_sessions_close) {
  for (int i = 0; i < 20; ++i) {
    std::unique_ptr<server_fixture> f(new server_fixture);
    CHECK_TRUE(f->start());
    {
      dialed d = dial_sync(*f, socks5::address::from_ip(asio::ip::make_address("10.0.0.5"), 80),
                           socks5::command::connect);
      LONGS_EQUAL(0x02, d.result.socks_reply);
    }
    f.reset();
  }
  server_fixture f;
  echo_service echo(f.io);
  CHECK_TRUE(f.start());
  dialed d = dial_sync(f, socks5::address::from_ip(asio::ip::address_v4::loopback(), echo.port()),
                       socks5::command::connect);
  LONGS_EQUAL(0, d.result.socks_reply);
  std::vector<std::uint8_t> data = pattern(100000, 9), back;
  CHECK_TRUE(echo_round_trip(f.io, d.result.stream, data, back));
  CHECK_TRUE(data == back);
}
