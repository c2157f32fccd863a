// SPDX-License-Identifier: GPL-2.0-or-later
// tcp_stream: a TCP socket as a relay::stream.
#include "transport/tcp_stream.hpp"

#include <asio/post.hpp>
#include <asio/write.hpp>

namespace tlsmux {
namespace transport {

// Reads and writes are tried at once on the non-blocking socket and go through the reactor
// only when the socket is not ready: Asio's select reactor interrupts its select() for
// every operation it is given. Handlers still run from the event loop, never inline.
void tcp_stream::read_some(std::uint8_t* buf, std::size_t cap, io_handler h) {
  std::shared_ptr<tcp_stream> self = shared_from_this();
  std::error_code ec;
  std::size_t n = socket_.read_some(asio::buffer(buf, cap), ec);
  if (ec != asio::error::would_block && ec != asio::error::try_again) {
    asio::post(socket_.get_executor(), [self, h, ec, n]() { h(ec, n); });
    return;
  }
  socket_.async_read_some(asio::buffer(buf, cap),
                          [self, h](const std::error_code& e, std::size_t m) { h(e, m); });
}

void tcp_stream::wait_readable(handler h) {
  std::shared_ptr<tcp_stream> self = shared_from_this();
  socket_.async_wait(asio::ip::tcp::socket::wait_read, [self, h](const std::error_code& ec) { h(ec); });
}

void tcp_stream::write(const std::uint8_t* p, std::size_t n, handler h) {
  std::shared_ptr<tcp_stream> self = shared_from_this();
  std::error_code ec;
  std::size_t done = socket_.write_some(asio::buffer(p, n), ec);
  if (ec == asio::error::would_block || ec == asio::error::try_again) ec = std::error_code();
  if (ec || done == n) {
    asio::post(socket_.get_executor(), [self, h, ec]() { h(ec); });
    return;
  }
  asio::async_write(socket_, asio::buffer(p + done, n - done),
                    [self, h](const std::error_code& e, std::size_t) { h(e); });
}

void tcp_stream::shutdown_send(handler h) {
  std::error_code ec;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_send, ec);
  asio::post(socket_.get_executor(), [h, ec]() { h(ec); });
}

void tcp_stream::close() {
  std::error_code ignored;
  socket_.close(ignored);
}

}  // namespace transport
}  // namespace tlsmux
