// SPDX-License-Identifier: GPL-2.0-or-later
// tcp_stream: a TCP socket as a relay::stream.
#include "relay/tcp_stream.hpp"

#include <asio/post.hpp>
#include <asio/write.hpp>

namespace tlsmux {
namespace relay {

void tcp_stream::read_some(std::uint8_t* buf, std::size_t cap, io_handler h) {
  std::shared_ptr<tcp_stream> self = shared_from_this();
  socket_.async_read_some(asio::buffer(buf, cap),
                          [self, h](const std::error_code& ec, std::size_t n) { h(ec, n); });
}

void tcp_stream::wait_readable(handler h) {
  std::shared_ptr<tcp_stream> self = shared_from_this();
  socket_.async_wait(asio::ip::tcp::socket::wait_read, [self, h](const std::error_code& ec) { h(ec); });
}

void tcp_stream::write(const std::uint8_t* p, std::size_t n, handler h) {
  std::shared_ptr<tcp_stream> self = shared_from_this();
  asio::async_write(socket_, asio::buffer(p, n),
                    [self, h](const std::error_code& ec, std::size_t) { h(ec); });
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

}  // namespace relay
}  // namespace tlsmux
