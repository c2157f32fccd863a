// SPDX-License-Identifier: GPL-2.0-or-later
// The byte-stream shape the relay pumps: a TLS stream, a TCP socket or stdio all look alike.
#ifndef TLSMUX_RELAY_STREAM_HPP
#define TLSMUX_RELAY_STREAM_HPP

#include <cstddef>
#include <cstdint>
#include <functional>
#include <system_error>

namespace tlsmux {
namespace relay {

/// An asynchronous, half-closable byte stream. At most one read and one write pending.
class stream {
 public:
  typedef std::function<void(const std::error_code&)> handler;
  typedef std::function<void(const std::error_code&, std::size_t)> io_handler;
  virtual ~stream() {}
  /// Reads at least one byte; asio::error::eof at the end of the stream.
  virtual void read_some(std::uint8_t* buf, std::size_t cap, io_handler h) = 0;
  /// Completes when read_some would find something (data, EOF or an error) without the
  /// caller holding a buffer meanwhile: idle sessions then keep no relay buffers.
  virtual void wait_readable(handler h) = 0;
  /// Writes all n bytes.
  virtual void write(const std::uint8_t* p, std::size_t n, handler h) = 0;
  /// Ends the sending direction (TLS close_notify + FIN, or a TCP FIN).
  virtual void shutdown_send(handler h) = 0;
  /// Closes both directions now; pending operations are aborted.
  virtual void close() = 0;
};

}  // namespace relay
}  // namespace tlsmux

#endif
