// SPDX-License-Identifier: GPL-2.0-or-later
// Standard input and output as a relay::stream for `tlsmux connect`. Blocking reads and
// writes run on two helper threads and complete on the io_context, so the same code works
// where stdio cannot be made asynchronous (Windows pipes and consoles).
#ifndef TLSMUX_TRANSPORT_STDIO_STREAM_HPP
#define TLSMUX_TRANSPORT_STDIO_STREAM_HPP

#include "relay/stream.hpp"

#include <asio/io_context.hpp>
#include <memory>

namespace tlsmux {
namespace transport {

class blocking_worker;

/// stdin (read side) and stdout (write side) of the process.
class stdio_stream : public relay::stream {
 public:
  explicit stdio_stream(asio::io_context& io);
  ~stdio_stream();
  void read_some(std::uint8_t* buf, std::size_t cap, io_handler h) override;
  /// Completes at once: stdin cannot be polled portably, and there is only one session.
  void wait_readable(handler h) override;
  void write(const std::uint8_t* p, std::size_t n, handler h) override;
  void shutdown_send(handler h) override;
  void close() override;

 private:
  asio::io_context& io_;
  std::shared_ptr<blocking_worker> reader_, writer_;
};

}  // namespace transport
}  // namespace tlsmux

#endif
