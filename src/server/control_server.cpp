// SPDX-License-Identifier: GPL-2.0-or-later
// control_server: accept, read one line (5 s, 64 bytes), reply, close.
#include "server/control_server.hpp"

#include "tlsmux/platform/control_socket.hpp"

#include <asio/post.hpp>
#include <asio/steady_timer.hpp>
#include <asio/write.hpp>

namespace tlsmux {
namespace server {

namespace {

const int request_deadline_ms = 5000;

// One control connection; keeps itself alive through its handlers.
class control_connection : public std::enable_shared_from_this<control_connection> {
 public:
  control_connection(asio::generic::stream_protocol::socket s, const control_server::handler& h)
      : socket_(std::move(s)), timer_(socket_.get_executor()), handler_(h) {}

  void start() {
    std::shared_ptr<control_connection> self = shared_from_this();
    timer_.expires_after(std::chrono::milliseconds(request_deadline_ms));
    timer_.async_wait([self](const std::error_code& ec) {
      std::error_code ignored;
      if (!ec) self->socket_.close(ignored);
    });
    read();
  }

 private:
  void read() {
    std::shared_ptr<control_connection> self = shared_from_this();
    socket_.async_read_some(asio::buffer(buf_), [self](const std::error_code& ec, std::size_t n) {
      if (ec) return;
      control_line::result r = self->line_.feed(self->buf_, n);
      if (r == control_line::more) return self->read();
      control_command cmd = control_command::status_text;
      if (r == control_line::bad || !parse_control_request(self->line_.line(), cmd))
        return self->send("error: unknown request (want \"status\" or \"status json\")\n");
      self->handler_(cmd, [self](const std::string& reply) {
        asio::post(self->socket_.get_executor(), [self, reply]() { self->send(reply); });
      });
    });
  }

  void send(const std::string& reply) {
    std::shared_ptr<control_connection> self = shared_from_this();
    reply_ = reply;
    asio::async_write(socket_, asio::buffer(reply_), [self](const std::error_code&, std::size_t) {
      std::error_code ignored;
      self->timer_.cancel();
      self->socket_.shutdown(asio::socket_base::shutdown_both, ignored);
      self->socket_.close(ignored);
    });
  }

  asio::generic::stream_protocol::socket socket_;
  asio::steady_timer timer_;
  control_server::handler handler_;
  control_line line_;
  char buf_[64];
  std::string reply_;
};

}  // namespace

control_server::control_server(asio::io_context& io, handler h)
    : handler_(h), acceptor_(io), backoff_(io.get_executor()), alive_(std::make_shared<bool>(true)) {}

control_server::~control_server() {
  *alive_ = false;
  close();
}

bool control_server::open(const std::string& path, const std::string& user, std::string& what) {
  platform::socket_handle fd = platform::open_control_socket(path, user, what);
  if (fd == platform::invalid_socket) return false;
  std::error_code ec;
  acceptor_.assign(asio::generic::stream_protocol(platform::control_socket_family(), 0), fd, ec);
  if (ec) {
    what = "control socket " + path + ": " + ec.message();
    platform::remove_control_socket(path);
    return false;
  }
  path_ = path;
  do_accept();
  return true;
}

void control_server::close() {
  std::error_code ignored;
  if (!acceptor_.is_open()) return;
  backoff_.cancel();
  acceptor_.close(ignored);
  platform::remove_control_socket(path_);
}

void control_server::do_accept() {
  std::shared_ptr<bool> alive = alive_;
  acceptor_.async_accept([this, alive](const std::error_code& ec, asio::generic::stream_protocol::socket s) {
    if (!*alive || ec == asio::error::operation_aborted || !acceptor_.is_open()) return;
    if (backoff_.pause(ec, "control socket", [this, alive]() {
          if (*alive) do_accept();
        }))
      return;
    if (!ec) {
      backoff_.accepted();
      std::make_shared<control_connection>(std::move(s), handler_)->start();
    }
    do_accept();
  });
}

}  // namespace server
}  // namespace tlsmux
