// SPDX-License-Identifier: GPL-2.0-or-later
// The server's local control channel (`tlsmux status`). POSIX: a Unix stream socket in the
// state directory that only its owner (the service user) and root can connect to. Windows: a
// named pipe \\.\pipe\tlsmux-control-<hash of that path>, whose security descriptor admits
// only SYSTEM, Administrators and the account the server runs as, and no network logon.
// The control server (src/server) is the same on both: only this transport differs.
#ifndef TLSMUX_PLATFORM_CONTROL_SOCKET_HPP
#define TLSMUX_PLATFORM_CONTROL_SOCKET_HPP

#include <asio/io_context.hpp>

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <system_error>

namespace tlsmux {
namespace platform {

/// The control socket's file name in the state directory.
const char* const control_socket_name = "control";

/// What users see for the control channel at path: path itself on POSIX, the pipe's name on
/// Windows.
std::string control_endpoint(const std::string& path);

/// One accepted control connection. Its handlers run on the listener's io_context. After
/// close(), pending handlers are either called with an error or destroyed without a call.
class control_stream {
 public:
  typedef std::function<void(const std::error_code&, std::size_t)> io_handler;
  virtual ~control_stream() {}
  /// Reads at most n bytes into buf (which must live until the handler runs); eof at the end.
  virtual void async_read_some(char* buf, std::size_t n, io_handler h) = 0;
  /// Writes all n bytes of data (copied or kept alive by the caller until the handler runs).
  virtual void async_write(const char* data, std::size_t n, io_handler h) = 0;
  /// Ends the connection (data already written still reaches the peer); idempotent.
  virtual void close() = 0;
};

/// The listening end of the control channel, on one io_context.
class control_listener {
 public:
  typedef std::function<void(const std::error_code&, std::shared_ptr<control_stream>)> accept_handler;

  explicit control_listener(asio::io_context& io);
  ~control_listener();
  /// Creates the channel at path (mode 0600 / the pipe's ACL), owned by or open to `user`
  /// (the account the server drops to) when set. A stale socket left by a server that ended
  /// without removing it is replaced; a channel another running server accepts on, or a file
  /// that is not a socket, is an error. false with what set on failure.
  bool open(const std::string& path, const std::string& user, std::string& what);
  bool is_open() const;
  /// Calls h once with the next connection, or with an error (operation_aborted after close).
  void async_accept(accept_handler h);
  /// Stops accepting and removes the socket file; idempotent.
  void close();

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

/// Client side: connects to the control channel at path, sends request, and reads the reply
/// until the server closes (at most 4 MiB, within timeout_ms). false with what set: no
/// server, permission denied, timeout.
bool control_request(const std::string& path, const std::string& request, unsigned timeout_ms,
                     std::string& reply, std::string& what);

}  // namespace platform
}  // namespace tlsmux

#endif
