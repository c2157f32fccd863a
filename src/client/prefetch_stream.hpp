// SPDX-License-Identifier: GPL-2.0-or-later
// A stream whose first read starts at once, before anything is connected: `tlsmux forward`
// reads the local connection while it dials, so the bytes already waiting there go right
// behind the SOCKS request (dial_request::first_bytes) instead of one round trip later.
#ifndef TLSMUX_CLIENT_PREFETCH_STREAM_HPP
#define TLSMUX_CLIENT_PREFETCH_STREAM_HPP

#include "relay/stream.hpp"

#include <asio/io_context.hpp>
#include <memory>
#include <vector>

namespace tlsmux {
namespace client {

/// Wraps a stream; start() issues one read of up to `cap` bytes. take() hands over what
/// that read got if it has completed (once); otherwise, or after an end of stream or error,
/// it returns nothing and read_some() delivers the read's outcome later. Bytes come out
/// exactly once and in order either way. Everything runs on io's thread.
class prefetch_stream : public relay::stream, public std::enable_shared_from_this<prefetch_stream> {
 public:
  prefetch_stream(asio::io_context& io, std::shared_ptr<relay::stream> inner, std::size_t cap);
  void start();
  std::vector<std::uint8_t> take(std::size_t max);

  void read_some(std::uint8_t* buf, std::size_t cap, io_handler h) override;
  void wait_readable(handler h) override;
  void write(const std::uint8_t* p, std::size_t n, handler h) override { inner_->write(p, n, h); }
  void shutdown_send(handler h) override { inner_->shutdown_send(h); }
  void close() override { inner_->close(); }

 private:
  void on_read(const std::error_code& ec, std::size_t n);
  void deliver();
  void consumed(std::size_t n);

  asio::io_context& io_;
  std::shared_ptr<relay::stream> inner_;
  std::shared_ptr<std::vector<std::uint8_t> > buf_;  ///< the prefetch read's buffer, until emptied
  std::size_t got_ = 0, pos_ = 0;                    ///< bytes read into buf_, handed out
  std::error_code ec_;                                ///< the prefetch read's error or EOF
  bool pending_ = false, done_ = false;               ///< the read is in flight, completed
  // A read_some or wait_readable waiting for the prefetch read.
  std::uint8_t* wait_buf_ = nullptr;
  std::size_t wait_cap_ = 0;
  io_handler wait_read_;
  handler wait_readable_;
};

}  // namespace client
}  // namespace tlsmux

#endif
