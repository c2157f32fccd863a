// SPDX-License-Identifier: GPL-2.0-or-later
// A TCP socket as a relay::stream.
#ifndef TLSMUX_TRANSPORT_TCP_STREAM_HPP
#define TLSMUX_TRANSPORT_TCP_STREAM_HPP

#include "relay/stream.hpp"

#include <asio/ip/tcp.hpp>
#include <memory>

namespace tlsmux {
namespace transport {

/// A connected TCP socket behind the relay::stream interface. Own it through a shared_ptr.
class tcp_stream : public relay::stream, public std::enable_shared_from_this<tcp_stream> {
 public:
  /// Puts the socket in non-blocking mode: reads and writes are tried at once.
  explicit tcp_stream(asio::ip::tcp::socket s) : socket_(std::move(s)) {
    std::error_code ignored;
    socket_.non_blocking(true, ignored);
  }
  asio::ip::tcp::socket& socket() { return socket_; }
  void read_some(std::uint8_t* buf, std::size_t cap, io_handler h) override;
  void wait_readable(handler h) override;
  void write(const std::uint8_t* p, std::size_t n, handler h) override;
  void shutdown_send(handler h) override;
  void close() override;

 private:
  asio::ip::tcp::socket socket_;
};

}  // namespace transport
}  // namespace tlsmux

#endif
