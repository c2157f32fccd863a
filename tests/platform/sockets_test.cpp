// SPDX-License-Identifier: GPL-2.0-or-later
// The socket calls on real Asio sockets: native_handle() passes as platform::socket_handle
// without a cast, on every OS (Windows: a 64-bit SOCKET under wine64).
#include <tlsmux/platform/descriptors.hpp>
#include <tlsmux/platform/sockets.hpp>

#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/ip/udp.hpp>

#include <system_error>

#include <CppUTest/TestHarness.h>

using namespace tlsmux;

TEST_GROUP(sockets){};

TEST(sockets, family_of_asio_sockets) {
  asio::io_context io;
  asio::ip::tcp::socket s4(io);
  std::error_code ec;
  s4.open(asio::ip::tcp::v4(), ec);
  CHECK_FALSE(ec);
  s4.bind(asio::ip::tcp::endpoint(asio::ip::address_v4::loopback(), 0), ec);
  CHECK_FALSE(ec);
  LONGS_EQUAL(4, platform::socket_family(s4.native_handle()));
  asio::ip::tcp::acceptor a6(io);
  a6.open(asio::ip::tcp::v6(), ec);
  if (!ec) a6.bind(asio::ip::tcp::endpoint(asio::ip::address_v6::loopback(), 0), ec);
  if (!ec) LONGS_EQUAL(6, platform::socket_family(a6.native_handle()));  // hosts without IPv6
  LONGS_EQUAL(0, platform::socket_family(platform::invalid_socket));
}

TEST(sockets, close_on_exec_and_source_bind_keep_the_socket_usable) {
  asio::io_context io;
  asio::ip::udp::socket u(io);
  asio::ip::tcp::socket t(io);
  std::error_code ec;
  u.open(asio::ip::udp::v4(), ec);
  CHECK_FALSE(ec);
  platform::set_close_on_exec(u.native_handle());
  t.open(asio::ip::tcp::v4(), ec);
  CHECK_FALSE(ec);
  platform::set_close_on_exec(t.native_handle());
  platform::prepare_source_bind(t.native_handle());
  t.bind(asio::ip::tcp::endpoint(asio::ip::address_v4::loopback(), 0), ec);
  CHECK_FALSE(ec);
  platform::set_close_on_exec(platform::invalid_socket);  // ignored
}
