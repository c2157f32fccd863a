// SPDX-License-Identifier: GPL-2.0-or-later
// The control socket's accept loop: one request line per connection, one reply, close.
// The channel itself (a Unix socket with file permissions, a named pipe with an ACL on
// Windows) is platform::control_listener.
#ifndef TLSMUX_SERVER_CONTROL_SERVER_HPP
#define TLSMUX_SERVER_CONTROL_SERVER_HPP

#include "server/status_report.hpp"
#include "tlsmux/platform/control_socket.hpp"
#include "transport/accept_backoff.hpp"

#include <asio/io_context.hpp>
#include <functional>
#include <memory>
#include <string>

namespace tlsmux {
namespace server {

/// Answers control requests on the loop it is given.
class control_server {
 public:
  /// Produces the reply to a request; calls reply(text) once, on any thread.
  typedef std::function<void(control_command, std::function<void(const std::string&)>)> handler;

  control_server(asio::io_context& io, handler h);
  ~control_server();
  /// Creates the socket at path (owned by user when set) and starts accepting. false with
  /// what set when it cannot (the server runs on without it).
  bool open(const std::string& path, const std::string& user, std::string& what);
  /// Stops accepting and removes the socket file (or the pipe).
  void close();

 private:
  void do_accept();

  handler handler_;
  platform::control_listener listener_;
  transport::accept_backoff backoff_;
  std::shared_ptr<bool> alive_;
  asio::io_context& io_;
};

}  // namespace server
}  // namespace tlsmux

#endif
