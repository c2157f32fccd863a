// SPDX-License-Identifier: GPL-2.0-or-later
// Integration: the real server, services and client over loopback, in process.
#include "harness.hpp"

#include "auth/password_file.hpp"
#include "tlsmux/platform/files.hpp"

#include <asio/read.hpp>
#include <asio/write.hpp>

#include <CppUTest/TestHarness.h>

using namespace tlsmux;
using namespace tlsmux::test;

namespace {

socks5::address ip(const char* a, std::uint16_t port) {
  return socks5::address::from_ip(asio::ip::make_address(a), port);
}

}  // namespace

TEST_GROUP(server_relay) {
  server_fixture f;
  std::unique_ptr<echo_service> echo;
  void setup() override {
    echo.reset(new echo_service(f.io));
    CHECK_TRUE(f.start());
  }
};

TEST(server_relay, echo_by_address) {
  dialed d = dial_sync(f, ip("127.0.0.1", echo->port()), socks5::command::connect);
  CHECK_TRUE(d.done);
  STRCMP_EQUAL("", d.result.message.c_str());
  LONGS_EQUAL(0, d.result.socks_reply);
  CHECK_TRUE(d.result.bound.ip.is_loopback());
  std::vector<std::uint8_t> data = pattern(1000, 1), back;
  CHECK_TRUE(echo_round_trip(f.io, d.result.stream, data, back));
  CHECK_TRUE(data == back);
}

TEST(server_relay, echo_by_name) {
  dialed d = dial_sync(f, socks5::address::from_name("localhost", echo->port()), socks5::command::connect);
  LONGS_EQUAL(0, d.result.socks_reply);
  std::vector<std::uint8_t> data = pattern(10, 2), back;
  CHECK_TRUE(echo_round_trip(f.io, d.result.stream, data, back));
  CHECK_TRUE(data == back);
}

// Half-close both ways: the client's close_notify reaches the service as a FIN, the echo
// finishes, and the service's FIN comes back as close_notify after all the data.
TEST(server_relay, large_transfer_with_half_close) {
  dialed d = dial_sync(f, ip("127.0.0.1", echo->port()), socks5::command::connect);
  LONGS_EQUAL(0, d.result.socks_reply);
  std::vector<std::uint8_t> data = pattern(8 * 1024 * 1024 + 17, 3), back;
  CHECK_TRUE(echo_round_trip(f.io, d.result.stream, data, back, 60000));
  LONGS_EQUAL(data.size(), back.size());
  CHECK_TRUE(data == back);
}

// close_notify in the same segment as the last data and no TCP FIN: the server must pass the
// data on, then the end of stream as a FIN, and still deliver the answer (a read that
// gathers records meets the close_notify early and must not then wait for the socket).
TEST(server_relay, close_notify_right_behind_data_without_fin) {
  dialed d = dial_sync(f, ip("127.0.0.1", echo->port()), socks5::command::connect);
  LONGS_EQUAL(0, d.result.socks_reply);
  std::shared_ptr<transport::tls_stream> s = d.result.stream;
  std::vector<std::uint8_t> data = pattern(100, 4), back, buf(4096);
  CHECK_TRUE(s->engine().write(data.data(), data.size()) == tls::status::ok);
  s->engine().close();  // one socket write below carries both records
  bool eof = false, failed = false;
  std::function<void()> next = [&]() {
    s->async_read_some(buf.data(), buf.size(), [&](const std::error_code& ec, std::size_t n) {
      back.insert(back.end(), buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(n));
      if (n > 0) return next();
      eof = ec == asio::error::eof;
      failed = !eof;
    });
  };
  next();
  CHECK_TRUE(run_until(f.io, [&]() { return eof || failed; }, 5000));
  CHECK_FALSE(failed);
  CHECK_TRUE(data == back);
}

TEST(server_relay, many_sessions_in_parallel) {
  std::vector<std::shared_ptr<transport::tls_stream> > streams;
  for (int i = 0; i < 20; ++i) {
    dialed d = dial_sync(f, ip("127.0.0.1", echo->port()), socks5::command::connect);
    LONGS_EQUAL(0, d.result.socks_reply);
    streams.push_back(d.result.stream);
  }
  LONGS_EQUAL(20, f.srv->session_count());
  for (std::size_t i = 0; i < streams.size(); ++i) {
    std::vector<std::uint8_t> data = pattern(3000, static_cast<std::uint32_t>(i)), back;
    CHECK_TRUE(echo_round_trip(f.io, streams[i], data, back));
    CHECK_TRUE(data == back);
  }
  CHECK_TRUE(run_until(f.io, [this]() { return f.srv->session_count() == 0; }));
}

TEST_GROUP(server_replies) {
  server_fixture f;
  void setup() override { CHECK_TRUE(f.start()); }
  int reply_for(const socks5::address& a, socks5::command cmd = socks5::command::connect) {
    dialed d = dial_sync(f, a, cmd);
    CHECK_TRUE(d.done);
    return d.result.socks_reply;
  }
};

TEST(server_replies, non_local_address_is_not_allowed) {
  LONGS_EQUAL(0x02, reply_for(ip("10.0.0.5", 80)));
  // The session line is written when the server has closed its side, which can come after
  // the client read the reply (seen under qemu).
  CHECK_TRUE(run_until(f.io, []() { return !capture().matching("session client=").empty(); }, 5000));
  std::vector<std::string> lines = capture().matching("session client=");
  LONGS_EQUAL(1, lines.size());
  CHECK_TRUE(lines[0].find("req=10.0.0.5:80 dst=- rep=0x02") != std::string::npos);
  CHECK_TRUE(lines[0].find("close=\"denied: ") != std::string::npos);
}
TEST(server_replies, unspecified_address_is_not_allowed) { LONGS_EQUAL(0x02, reply_for(ip("0.0.0.0", 80))); }
TEST(server_replies, mapped_non_local_is_not_allowed) { LONGS_EQUAL(0x02, reply_for(ip("::ffff:10.1.2.3", 80))); }
TEST(server_replies, own_port_is_not_allowed) { LONGS_EQUAL(0x02, reply_for(ip("127.0.0.1", f.port()))); }
TEST(server_replies, own_port_by_name_is_not_allowed) {
  LONGS_EQUAL(0x02, reply_for(socks5::address::from_name("localhost", f.port())));
}
TEST(server_replies, control_characters_in_name_are_not_allowed) {
  LONGS_EQUAL(0x02, reply_for(socks5::address::from_name(std::string("127.0.0.1\0.example", 18), 80)));
}
TEST(server_replies, unresolvable_name_is_host_unreachable) {
  LONGS_EQUAL(0x04, reply_for(socks5::address::from_name("no-such-host.invalid", 80)));
  CHECK_TRUE(run_until(f.io, []() { return capture().contains("rep=0x04"); }));
  CHECK_TRUE(capture().contains("close=\"cannot resolve 'no-such-host.invalid'"));
}
TEST(server_replies, closed_port_is_connection_refused) {
  asio::ip::tcp::acceptor probe(f.io, asio::ip::tcp::endpoint(asio::ip::address_v4::loopback(), 0));
  std::uint16_t port = probe.local_endpoint().port();
  probe.close();
  LONGS_EQUAL(0x05, reply_for(ip("127.0.0.1", port)));
}
// BIND and UDP ASSOCIATE are off by default (bind = no, udp = no): "command not supported".
TEST(server_replies, bind_gets_0x07_while_bind_is_off) {
  LONGS_EQUAL(0x07, reply_for(ip("127.0.0.1", 80), socks5::command::bind));
}
TEST(server_replies, udp_associate_gets_0x07_while_udp_is_off) {
  LONGS_EQUAL(0x07, reply_for(ip("127.0.0.1", 0), socks5::command::udp_associate));
}
