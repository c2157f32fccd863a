// SPDX-License-Identifier: GPL-2.0-or-later
// Integration: UDP ASSOCIATE inside TLS and BIND, over loopback, in process.
#include "harness.hpp"

#include "socks5/client_codec.hpp"
#include "socks5/udp_frame.hpp"

#include <asio/ip/udp.hpp>
#include <asio/read.hpp>
#include <asio/write.hpp>

#include <CppUTest/TestHarness.h>

using namespace tlsmux;
using namespace tlsmux::test;

namespace {

// A UDP echo service on 127.0.0.1.
struct udp_echo {
  asio::ip::udp::socket socket;
  std::vector<std::uint8_t> buf = std::vector<std::uint8_t>(65536);
  asio::ip::udp::endpoint from;
  explicit udp_echo(asio::io_context& io) : socket(io, asio::ip::udp::endpoint(asio::ip::address_v4::loopback(), 0)) {
    receive();
  }
  void receive() {
    socket.async_receive_from(asio::buffer(buf), from, [this](const std::error_code& ec, std::size_t n) {
      if (ec) return;
      socket.send_to(asio::buffer(buf.data(), n), from);
      receive();
    });
  }
  std::uint16_t port() const { return socket.local_endpoint().port(); }
};

// Reads frames from the stream until want arrived or the deadline passed.
bool read_frames(asio::io_context& io, std::shared_ptr<transport::tls_stream> s, std::size_t want,
                 std::vector<std::vector<std::uint8_t> >& payloads, std::vector<socks5::address>& from) {
  std::shared_ptr<std::vector<std::uint8_t> > in = std::make_shared<std::vector<std::uint8_t> >();
  std::shared_ptr<std::vector<std::uint8_t> > buf = std::make_shared<std::vector<std::uint8_t> >(65536);
  std::shared_ptr<bool> closed = std::make_shared<bool>(false);
  std::function<void()> more = [&]() {
    s->async_read_some(buf->data(), buf->size(), [&, in, buf, closed](const std::error_code& ec, std::size_t n) {
      if (ec) {
        *closed = true;
        return;
      }
      in->insert(in->end(), buf->begin(), buf->begin() + n);
      std::size_t used = 0;
      socks5::datagram d;
      while (socks5::parse_udp_frame(in->data(), in->size(), used, d) == socks5::parse_status::ok) {
        payloads.push_back(std::vector<std::uint8_t>(d.payload, d.payload + d.size));
        from.push_back(d.addr);
        in->erase(in->begin(), in->begin() + used);
      }
      if (payloads.size() < want) more();
    });
  };
  more();
  return run_until(io, [&]() { return payloads.size() >= want || *closed; }, 5000) && payloads.size() >= want;
}

void write_all(asio::io_context& io, std::shared_ptr<transport::tls_stream> s, const std::vector<std::uint8_t>& data) {
  bool done = false;
  s->async_write(data.data(), data.size(), [&done](const std::error_code&) { done = true; });
  run_until(io, [&done]() { return done; });
}

}  // namespace

TEST_GROUP(server_udp) {
  server_fixture f;
  void setup() override {
    f.cfg.rules.udp = true;
    f.cfg.rules.bind = true;
    f.cfg.bind_timeout = 500;
    CHECK_TRUE(f.start());
  }
};

TEST(server_udp, datagrams_of_every_size_come_back_with_their_source) {
  udp_echo echo(f.io);
  dialed d = dial_sync(f, socks5::address::from_ip(asio::ip::address_v4(), 0), socks5::command::udp_associate);
  LONGS_EQUAL(0, d.result.socks_reply);
  const std::size_t sizes[] = {1, 512, 1400, 8000};
  std::vector<std::uint8_t> frames;
  socks5::address to = socks5::address::from_ip(asio::ip::address_v4::loopback(), echo.port());
  for (std::size_t i = 0; i < 4; ++i) {
    std::vector<std::uint8_t> p = pattern(sizes[i], static_cast<std::uint32_t>(i));
    CHECK_TRUE(socks5::append_udp_frame(frames, to, p.data(), p.size()));
  }
  write_all(f.io, d.result.stream, frames);
  std::vector<std::vector<std::uint8_t> > got;
  std::vector<socks5::address> from;
  CHECK_TRUE(read_frames(f.io, d.result.stream, 4, got, from));
  for (std::size_t i = 0; i < 4; ++i) {
    CHECK_TRUE(got[i] == pattern(sizes[i], static_cast<std::uint32_t>(i)));
    STRCMP_EQUAL(to.to_string().c_str(), from[i].to_string().c_str());
  }
  // The service saw the anonymous session's source address (source-anonymous), as for CONNECT;
  // where 127.0.0.2 cannot be bound (Windows under wine, hosts with 127.0.0.1 only) the server
  // falls back to the old behaviour with a warning.
  asio::ip::udp::socket probe(f.io, asio::ip::udp::v4());
  std::error_code bind_ec;
  probe.bind(asio::ip::udp::endpoint(asio::ip::make_address("127.0.0.2"), 0), bind_ec);
#if defined(_WIN32)
  // Under wine64 the bind succeeds but datagrams still leave from 127.0.0.1 (measured in the
  // windows stage); real Windows is not checked here, so only the fallback is required.
  bind_ec = std::make_error_code(std::errc::address_not_available);
#endif
  STRCMP_EQUAL(bind_ec ? "127.0.0.1" : "127.0.0.2", echo.from.address().to_string().c_str());
}

TEST(server_udp, non_local_and_fragmented_datagrams_are_dropped_and_counted) {
  udp_echo echo(f.io);
  dialed d = dial_sync(f, socks5::address::from_ip(asio::ip::address_v4(), 0), socks5::command::udp_associate);
  LONGS_EQUAL(0, d.result.socks_reply);
  std::vector<std::uint8_t> frames, p = pattern(10, 1);
  socks5::append_udp_frame(frames, socks5::address::from_ip(asio::ip::make_address("10.0.0.1"), 53), p.data(), p.size());
  std::vector<std::uint8_t> frag;
  socks5::append_udp_frame(frag, socks5::address::from_ip(asio::ip::address_v4::loopback(), echo.port()), p.data(), p.size());
  frag[4] = 1;  // FRAG byte (after the 2-byte length and 2 RSV bytes)
  frames.insert(frames.end(), frag.begin(), frag.end());
  socks5::append_udp_frame(frames, socks5::address::from_ip(asio::ip::address_v4::loopback(), echo.port()), p.data(), p.size());
  write_all(f.io, d.result.stream, frames);
  std::vector<std::vector<std::uint8_t> > got;
  std::vector<socks5::address> from;
  CHECK_TRUE(read_frames(f.io, d.result.stream, 1, got, from));
  d.result.stream->close();
  CHECK_TRUE(run_until(f.io, [this]() { return f.srv->session_count() == 0; }));
  CHECK_TRUE(capture().contains("cmd=udp-associate"));
  CHECK_TRUE(capture().contains("datagrams=1/1 denied=1 dropped=1"));
}

TEST(server_udp, zero_length_frame_closes_the_session) {
  dialed d = dial_sync(f, socks5::address::from_ip(asio::ip::address_v4(), 0), socks5::command::udp_associate);
  LONGS_EQUAL(0, d.result.socks_reply);
  std::vector<std::uint8_t> zero(2, 0);
  write_all(f.io, d.result.stream, zero);
  CHECK_TRUE(run_until(f.io, [this]() { return f.srv->session_count() == 0; }));
  CHECK_TRUE(capture().contains("udp frame length invalid"));
}

TEST(server_udp, bind_accepts_one_local_peer_and_relays) {
  dialed d = dial_sync(f, socks5::address::from_ip(asio::ip::address_v4::loopback(), 0), socks5::command::bind);
  LONGS_EQUAL(0, d.result.socks_reply);
  CHECK_TRUE(d.result.bound.ip.is_loopback());
  asio::ip::tcp::socket peer(f.io);
  peer.connect(asio::ip::tcp::endpoint(d.result.bound.ip, d.result.bound.port));
  std::vector<std::uint8_t> in = d.result.leftover, buf(512);
  socks5::reply second;
  std::size_t used = 0;
  while (socks5::parse_reply(in.data(), in.size(), used, second) == socks5::parse_status::need_more) {
    bool got = false;
    d.result.stream->async_read_some(buf.data(), buf.size(), [&](const std::error_code& ec, std::size_t n) {
      in.insert(in.end(), buf.begin(), buf.begin() + n);
      got = true;
      CHECK_FALSE(ec);
    });
    CHECK_TRUE(run_until(f.io, [&got]() { return got; }));
  }
  LONGS_EQUAL(0, second.code);
  LONGS_EQUAL(peer.local_endpoint().port(), second.bnd.port);
  const char hello[] = "from the peer";
  asio::write(peer, asio::buffer(hello, sizeof hello));
  peer.shutdown(asio::ip::tcp::socket::shutdown_send);
  std::vector<std::uint8_t> data = pattern(100000, 5), back;
  // The peer side echoes nothing; the client reads what the peer sent and then EOF.
  CHECK_TRUE(echo_round_trip(f.io, d.result.stream, data, back));
  STRCMP_EQUAL(hello, reinterpret_cast<const char*>(back.data()));
  // The server may still be relaying to the peer: read while its io_context runs (a blocking
  // read here starves the server on this thread and hangs under load or emulation).
  std::vector<std::uint8_t> received(data.size());
  bool read_done = false;
  asio::async_read(peer, asio::buffer(received), [&](const std::error_code& ec, std::size_t) {
    CHECK_FALSE(ec);
    read_done = true;
  });
  CHECK_TRUE(run_until(f.io, [&read_done]() { return read_done; }));
  CHECK_TRUE(received == data);
}

TEST(server_udp, bind_without_peer_times_out_with_0x06) {
  dialed d = dial_sync(f, socks5::address::from_ip(asio::ip::address_v4::loopback(), 0), socks5::command::bind);
  LONGS_EQUAL(0, d.result.socks_reply);
  CHECK_TRUE(run_until(f.io, [this]() { return f.srv->session_count() == 0; }, 5000));
  CHECK_TRUE(capture().contains("rep=0x06"));
  CHECK_TRUE(capture().contains("close=\"bind timeout\""));
}

// --inetd (start_single): the one session has the UDP/BIND socket reserve of a full server.
// Before, the reserve stayed 0 until a reload, and BIND failed with 0x01.
TEST(server_udp, an_inetd_session_may_bind) {
  asio::ip::tcp::acceptor front(f.io, asio::ip::tcp::endpoint(asio::ip::address_v4::loopback(), 0));
  server::server single(f.io, server::loader());
  std::vector<std::string> errors;
  bool started = false;
  front.async_accept([&](const std::error_code& ec, asio::ip::tcp::socket s) {
    CHECK_FALSE(ec);
    started = single.start_single(f.cfg, std::move(s), errors);
  });
  dialed d = dial_sync(f.io, front.local_endpoint().port(),
                       socks5::address::from_ip(asio::ip::address_v4::loopback(), 0), socks5::command::bind);
  CHECK_TRUE(started);
  LONGS_EQUAL(0, d.result.socks_reply);
  LONGS_EQUAL(1, single.session_cap());
  CHECK_TRUE(run_until(f.io, [&single]() { return single.session_count() == 0; }, 5000));
  CHECK_TRUE(capture().contains("close=\"bind timeout\""));
}
