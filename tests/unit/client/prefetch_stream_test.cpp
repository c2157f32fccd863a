// SPDX-License-Identifier: GPL-2.0-or-later
// prefetch_stream: what the prefetch read got comes out exactly once and in order, through
// take() (behind the SOCKS request) or through the first read_some(), whenever the read
// completes relative to the dial.
#include "client/prefetch_stream.hpp"

#include "../../fakes/memory_stream.hpp"

#include <CppUTest/TestHarness.h>
#include <asio/error.hpp>
#include <string>
#include <vector>

using tlsmux::client::prefetch_stream;
using tlsmux_fakes::memory_stream;

namespace {

struct rig {
  asio::io_context io;
  std::shared_ptr<memory_stream> peer, inner;
  std::shared_ptr<prefetch_stream> pf;
  explicit rig(std::size_t cap) {
    std::pair<std::shared_ptr<memory_stream>, std::shared_ptr<memory_stream> > p = memory_stream::make_pair(io, 65536);
    inner = p.first;
    peer = p.second;
    pf = std::make_shared<prefetch_stream>(io, inner, cap);
    pf->start();
  }
  // A read still in flight holds the streams (as any pending operation); closing ends it.
  ~rig() {
    pf->close();
    peer->close();
    io.poll();
  }
  std::string take(std::size_t max) {
    std::vector<std::uint8_t> v = pf->take(max);
    return std::string(v.begin(), v.end());
  }
  // One read_some through the prefetch stream; the bytes, or "<eof>".
  std::string read() {
    std::uint8_t buf[64];
    std::string out = "<none>";
    pf->read_some(buf, sizeof buf, [&out, &buf](const std::error_code& ec, std::size_t n) {
      out = ec == asio::error::eof ? std::string("<eof>") : ec ? "<" + ec.message() + ">" : std::string(buf, buf + n);
    });
    io.poll();
    io.restart();
    return out;
  }
  void run() {
    io.poll();
    io.restart();
  }
};

}  // namespace

TEST_GROUP(prefetch_stream){};

TEST(prefetch_stream, bytes_already_read_go_with_take_then_reads_continue) {
  rig r(1024);
  r.peer->send("EHLO x\r\n");
  r.run();
  STRCMP_EQUAL("EHLO x\r\n", r.take(1024).c_str());
  STRCMP_EQUAL("", r.take(1024).c_str());  // once
  r.peer->send("QUIT\r\n");
  r.run();
  STRCMP_EQUAL("QUIT\r\n", r.read().c_str());
}

TEST(prefetch_stream, nothing_yet_then_the_first_read_delivers_the_prefetch) {
  rig r(1024);
  STRCMP_EQUAL("", r.take(1024).c_str());  // the dial went ahead without first bytes
  std::uint8_t buf[64];
  std::string got;
  r.pf->read_some(buf, sizeof buf, [&got, &buf](const std::error_code& ec, std::size_t n) {
    if (!ec) got.assign(buf, buf + n);
  });
  r.run();
  STRCMP_EQUAL("", got.c_str());  // waits for the prefetch read, not a second read
  r.peer->send("late");
  r.run();
  STRCMP_EQUAL("late", got.c_str());
  STRCMP_EQUAL("", r.take(1024).c_str());  // too late for take: nothing twice
}

TEST(prefetch_stream, take_hands_over_at_most_max_and_reads_get_the_rest) {
  rig r(1024);
  r.peer->send("0123456789");
  r.run();
  STRCMP_EQUAL("0123", r.take(4).c_str());
  STRCMP_EQUAL("456789", r.read().c_str());
  r.peer->send("next");
  r.run();
  STRCMP_EQUAL("next", r.read().c_str());
}

TEST(prefetch_stream, a_prefetch_read_never_exceeds_its_cap) {
  rig r(3);
  r.peer->send("abcdef");
  r.run();
  STRCMP_EQUAL("abc", r.take(1024).c_str());
  STRCMP_EQUAL("def", r.read().c_str());
}

TEST(prefetch_stream, end_of_input_is_not_first_bytes_and_reaches_the_reader) {
  rig r(1024);
  r.peer->send_eof();
  r.run();
  STRCMP_EQUAL("", r.take(1024).c_str());
  STRCMP_EQUAL("<eof>", r.read().c_str());
}

TEST(prefetch_stream, wait_readable_waits_for_the_prefetch_read) {
  rig r(1024);
  bool readable = false;
  r.pf->wait_readable([&readable](const std::error_code&) { readable = true; });
  r.run();
  CHECK_FALSE(readable);
  r.peer->send("x");
  r.run();
  CHECK(readable);
  STRCMP_EQUAL("x", r.read().c_str());
}

TEST(prefetch_stream, writes_pass_through) {
  rig r(1024);
  const std::uint8_t msg[] = {'h', 'i'};
  bool done = false;
  r.pf->write(msg, sizeof msg, [&done](const std::error_code& ec) { done = !ec; });
  r.run();
  CHECK(done);
  r.peer->drain();
  STRCMP_EQUAL("hi", r.peer->received().c_str());
}
