// SPDX-License-Identifier: GPL-2.0-or-later
// One listening socket with an accept loop that survives descriptor exhaustion: EMFILE and
// friends pause accepting briefly (logged once) instead of spinning.
#ifndef TLSMUX_SERVER_LISTENER_HPP
#define TLSMUX_SERVER_LISTENER_HPP

#include "transport/accept_backoff.hpp"
#include "tlsmux/platform/sockets.hpp"

#include <asio/ip/tcp.hpp>
#include <asio/steady_timer.hpp>
#include <memory>
#include <string>
#include <system_error>

namespace tlsmux {
namespace server {

/// Receives accepted connections.
class listener_owner {
 public:
  virtual ~listener_owner() {}
  /// Limits: false means the connection is refused (the owner has closed and logged it).
  virtual bool admit(asio::ip::tcp::socket& socket) = 0;
  /// Takes an admitted connection.
  virtual void accepted(asio::ip::tcp::socket socket) = 0;
  /// The loop the next accepted connection will belong to.
  virtual asio::io_context& accept_context() = 0;
};

/// An accept loop on one endpoint.
class listener {
 public:
  listener(asio::io_context& io, listener_owner& owner);
  ~listener();
  /// Opens, binds and listens ("ADDR:PORT" / "[V6]:PORT" / "*:PORT" / "PORT").
  std::error_code open(const std::string& spec, std::string& what);
  /// Takes a socket that already listens (socket activation): the listener owns it now.
  std::error_code adopt(platform::socket_handle fd, std::string& what);
  /// Starts accepting.
  void start();
  /// Stops accepting and closes the socket.
  void close();
  asio::ip::tcp::endpoint endpoint() const { return endpoint_; }

 private:
  void do_accept();

  asio::ip::tcp::acceptor acceptor_;
  transport::accept_backoff backoff_;
  listener_owner& owner_;
  asio::ip::tcp::endpoint endpoint_;
  // False once destroyed. An accept that completed before close() but whose handler runs
  // later (IOCP queues finished operations; closing cannot recall them) must not touch the
  // listener or its owner.
  std::shared_ptr<bool> alive_;
};

/// Binds every address of the listen specs and closes it again (`--check`): appends one
/// message per address that cannot be bound. "*:P" on a host without IPv6 is not an error.
bool can_listen(const std::vector<std::string>& specs, std::vector<std::string>& errors);

/// Parses a listen spec into endpoints ("*:P" and "P" give 0.0.0.0:P and [::]:P).
bool parse_listen(const std::string& spec, std::vector<asio::ip::tcp::endpoint>& out);

}  // namespace server
}  // namespace tlsmux

#endif
