// SPDX-License-Identifier: GPL-2.0-or-later
// control_server: accept, read one line (5 s, 64 bytes), reply, close.
#include "server/control_server.hpp"

#include <asio/post.hpp>
#include <asio/steady_timer.hpp>

namespace tlsmux {
namespace server {

namespace {

const int request_deadline_ms = 5000;

// One control connection; keeps itself alive through its handlers.
class control_connection : public std::enable_shared_from_this<control_connection> {
 public:
  control_connection(asio::io_context& io, std::shared_ptr<platform::control_stream> s,
                     const control_server::handler& h)
      : io_(io), stream_(std::move(s)), timer_(io), handler_(h) {}

  void start() {
    std::shared_ptr<control_connection> self = shared_from_this();
    timer_.expires_after(std::chrono::milliseconds(request_deadline_ms));
    timer_.async_wait([self](const std::error_code& ec) {
      if (!ec) self->stream_->close();
    });
    read();
  }

 private:
  void read() {
    std::shared_ptr<control_connection> self = shared_from_this();
    stream_->async_read_some(buf_, sizeof buf_, [self](const std::error_code& ec, std::size_t n) {
      if (ec) return;
      control_line::result r = self->line_.feed(self->buf_, n);
      if (r == control_line::more) return self->read();
      control_command cmd = control_command::status_text;
      if (r == control_line::bad || !parse_control_request(self->line_.line(), cmd))
        return self->send("error: unknown request (want \"status\" or \"status json\")\n");
      self->handler_(cmd, [self](const std::string& reply) {
        asio::post(self->io_, [self, reply]() { self->send(reply); });
      });
    });
  }

  void send(const std::string& reply) {
    std::shared_ptr<control_connection> self = shared_from_this();
    reply_ = reply;
    stream_->async_write(reply_.data(), reply_.size(), [self](const std::error_code&, std::size_t) {
      self->timer_.cancel();
      self->stream_->close();
    });
  }

  asio::io_context& io_;
  std::shared_ptr<platform::control_stream> stream_;
  asio::steady_timer timer_;
  control_server::handler handler_;
  control_line line_;
  char buf_[64];
  std::string reply_;
};

}  // namespace

control_server::control_server(asio::io_context& io, handler h)
    : handler_(h), listener_(io), backoff_(io.get_executor()), alive_(std::make_shared<bool>(true)), io_(io) {}

control_server::~control_server() {
  *alive_ = false;
  close();
}

bool control_server::open(const std::string& path, const std::string& user, std::string& what) {
  if (!listener_.open(path, user, what)) return false;
  do_accept();
  return true;
}

void control_server::close() {
  if (!listener_.is_open()) return;
  backoff_.cancel();
  listener_.close();
}

void control_server::do_accept() {
  std::shared_ptr<bool> alive = alive_;
  listener_.async_accept([this, alive](const std::error_code& ec, std::shared_ptr<platform::control_stream> s) {
    if (!*alive || ec == asio::error::operation_aborted || !listener_.is_open()) return;
    if (backoff_.pause(ec, "control socket", [this, alive]() {
          if (*alive) do_accept();
        }))
      return;
    if (!ec) {
      backoff_.accepted();
      std::make_shared<control_connection>(io_, std::move(s), handler_)->start();
    }
    do_accept();
  });
}

}  // namespace server
}  // namespace tlsmux
