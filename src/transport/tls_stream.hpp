// SPDX-License-Identifier: GPL-2.0-or-later
// An Asio stream over a TCP socket and a sans-I/O tls::engine: async handshake, read_some,
// write and shutdown with the shapes of asio's own streams, so the relay can pump it like
// a plain socket. All socket I/O funnels through pump(): it flushes ciphertext, drains
// plaintext that wolfSSL already buffered (select() cannot see it), and reads the socket
// only when the engine needs input. One read, one write and one handshake may be pending.
#ifndef TLSMUX_TRANSPORT_TLS_STREAM_HPP
#define TLSMUX_TRANSPORT_TLS_STREAM_HPP

#include "relay/stream.hpp"
#include "tls/engine.hpp"

#include <asio/ip/tcp.hpp>
#include <functional>
#include <memory>
#include <system_error>
#include <vector>

namespace tlsmux {
namespace transport {

/// Error codes of the TLS layer (category "tls"); the engine's error_string() has detail.
enum class tls_errc { handshake_failed = 1, protocol_error, truncated };
/// The "tls" error category.
const std::error_category& tls_category();
/// Makes an error_code in the tls category.
std::error_code make_error_code(tls_errc e);

/// TLS over a connected TCP socket. Not thread-safe; use from the socket's executor.
/// Own it through a shared_ptr: socket completions keep it alive.
class tls_stream : public relay::stream, public std::enable_shared_from_this<tls_stream> {
 public:
  tls_stream(asio::ip::tcp::socket socket, std::shared_ptr<tls::context> ctx);

  asio::ip::tcp::socket& socket() { return socket_; }
  tls::engine& engine() { return engine_; }

  /// Completes when the handshake is done or failed.
  void async_handshake(handler h);
  /// Reads at least one byte of plaintext; asio::error::eof after close_notify or TCP EOF
  /// (truncated() then tells which).
  void async_read_some(std::uint8_t* buf, std::size_t cap, io_handler h);
  /// Encrypts and sends all n bytes; completes when they left the process.
  void async_write(const std::uint8_t* p, std::size_t n, handler h);
  /// Sends close_notify, then a TCP FIN; reading stays possible (half-close).
  void async_shutdown(handler h);
  /// Closes the socket; pending operations complete with operation_aborted.
  void close() override;

  // relay::stream
  void read_some(std::uint8_t* buf, std::size_t cap, io_handler h) override {
    async_read_some(buf, cap, h);
  }
  void write(const std::uint8_t* p, std::size_t n, handler h) override { async_write(p, n, h); }
  void wait_readable(handler h) override;
  void shutdown_send(handler h) override { async_shutdown(h); }

  /// True when the peer ended the stream with a TCP EOF but no close_notify.
  bool truncated() const { return truncated_; }
  /// Total ciphertext bytes read from and written to the socket.
  std::uint64_t bytes_in() const { return bytes_in_; }
  std::uint64_t bytes_out() const { return bytes_out_; }

 private:
  void pump();
  void after_io();
  void deliver(std::function<void()> fn);
  bool step_handshake();
  bool step_read();
  void start_socket_read();
  void read_socket();
  void read_socket_now();
  bool read_ready_input();
  bool read_into_engine();
  void socket_read_done(const std::error_code& ec, std::size_t n, std::size_t asked);
  void note_socket_read(const std::error_code& ec, std::size_t n);
  void start_socket_write();
  void fail_all(const std::error_code& ec);
  void complete(handler& h, const std::error_code& ec);

  asio::ip::tcp::socket socket_;
  tls::engine engine_;
  std::vector<std::uint8_t> tx_;  ///< ciphertext being written to the socket
  /// Completions found while handling a socket completion: run right after it, without a
  /// round through the event loop (each asio::post costs the reactor a system call).
  std::vector<std::function<void()> > ready_;
  bool in_io_ = false;
  bool reading_ = false, writing_ = false, socket_eof_ = false, truncated_ = false;
  bool need_input_ = false;
  bool peer_busy_ = false;  ///< the last socket read had at least a record: keep the buffers
  bool drained_ = true;     ///< the last socket read got less than asked: the next one goes through the reactor
  bool readable_ = false;   ///< wait_readable saw the socket readable; not read since
  std::error_code error_;
  handler hs_handler_, wr_handler_, sd_handler_;
  io_handler rd_handler_;
  std::uint8_t* rd_buf_ = nullptr;
  std::size_t rd_cap_ = 0;
  std::uint64_t bytes_in_ = 0, bytes_out_ = 0;
};

}  // namespace transport
}  // namespace tlsmux

namespace std {
template <>
struct is_error_code_enum<tlsmux::transport::tls_errc> : true_type {};
}  // namespace std

#endif
