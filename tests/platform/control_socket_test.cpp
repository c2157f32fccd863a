// SPDX-License-Identifier: GPL-2.0-or-later
// The control channel of `tlsmux status` on the real OS: a Unix socket on POSIX, a named pipe
// under Windows (wine64 in CI). A request crosses it, a reply larger than any pipe or socket
// buffer comes back whole, and after close() nobody answers any more.
#include "scratch.hpp"

#include <tlsmux/platform/control_socket.hpp>

#include <asio/io_context.hpp>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

#include <CppUTest/TestHarness.h>

using namespace tlsmux;

namespace {

// Serves one connection: reads until '\n', answers "<reply for: LINE>" + filler, closes.
struct one_reply {
  std::shared_ptr<platform::control_stream> stream;
  char buf[16];
  std::string line, reply;
  std::size_t filler;

  void read() {
    stream->async_read_some(buf, sizeof buf, [this](const std::error_code& ec, std::size_t n) {
      if (ec) return;
      line.append(buf, n);
      if (line.find('\n') == std::string::npos) return read();
      reply = "reply for: " + line + std::string(filler, 'x');
      stream->async_write(reply.data(), reply.size(), [this](const std::error_code& wec, std::size_t) {
        CHECK_FALSE(wec);
        stream->close();
      });
    });
  }
};

}  // namespace

TEST_GROUP(control_socket){};

TEST(control_socket, request_and_long_reply_cross_the_channel) {
  const std::string path = test::scratch_path("control");
  asio::io_context io;
  platform::control_listener listener(io);
  std::string what;
  CHECK_TRUE_TEXT(listener.open(path, "", what), what.c_str());
  CHECK_TRUE(listener.is_open());
  one_reply server;
  server.filler = 300000;  // beyond the pipe's 64 KiB buffer: the write waits for the reader
  listener.async_accept([&server](const std::error_code& ec, std::shared_ptr<platform::control_stream> s) {
    CHECK_FALSE(ec);
    server.stream = s;
    server.read();
  });
  std::string reply, client_what;
  bool ok = false;
  std::atomic<bool> done(false);
  std::thread client([&] {
    ok = platform::control_request(path, "status json\n", 10000, reply, client_what);
    done = true;
  });
  while (!done) {
    io.restart();
    io.run_one_for(std::chrono::milliseconds(50));
  }
  client.join();
  io.restart();
  io.poll();
  CHECK_TRUE_TEXT(ok, client_what.c_str());
  STRCMP_EQUAL(("reply for: status json\n" + std::string(300000, 'x')).c_str(), reply.c_str());
  listener.close();
  CHECK_FALSE(listener.is_open());
  std::string after;
  CHECK_FALSE(platform::control_request(path, "status\n", 2000, after, what));
}

TEST(control_socket, no_server_is_an_error_that_says_so) {
  std::string reply, what;
  CHECK_FALSE(platform::control_request(test::scratch_path("nobody"), "status\n", 2000, reply, what));
  CHECK_TEXT(what.find("is a server running") != std::string::npos, what.c_str());
  CHECK_TRUE(reply.empty());
}
