// SPDX-License-Identifier: GPL-2.0-or-later
// refuser: a bounded wait for the ClientHello, the user_canceled alert, a clean close.
#include "server/refusal.hpp"

#include "tls/alert.hpp"

#include <asio/steady_timer.hpp>
#include <string>

namespace tlsmux {
namespace server {

namespace {

const std::uint8_t tls_handshake_record = 22;
const std::size_t drain_max = 65536;  // a client that keeps sending is cut at the deadline

class refusal : public std::enable_shared_from_this<refusal> {
 public:
  refusal(asio::ip::tcp::socket socket, std::shared_ptr<std::atomic<std::size_t> > waiting)
      : socket_(std::move(socket)), timer_(socket_.get_executor()), waiting_(waiting) {}
  ~refusal() {
    if (waiting_) --*waiting_;
  }

  // Without a waiting slot: answer what has arrived, close at once.
  static void at_once(asio::ip::tcp::socket& socket) {
    std::error_code ec;
    socket.non_blocking(true, ec);
    bool answered = false, closed = false;
    std::size_t total = 0;
    receive(socket, answered, closed, total);
    socket.shutdown(asio::ip::tcp::socket::shutdown_send, ec);
    socket.close(ec);
  }

  void start() {
    std::error_code ec;
    socket_.non_blocking(true, ec);
    std::shared_ptr<refusal> self = shared_from_this();
    timer_.expires_after(std::chrono::milliseconds(refusal_wait_ms));
    timer_.async_wait([self](const std::error_code& e) {
      if (!e) self->close();
    });
    wait();
  }

 private:
  // Reads what is there; the first bytes decide the answer (an alert to a TLS record, nothing
  // to anything else: a refused connection is no reflector). Sets closed at EOF or error.
  static void receive(asio::ip::tcp::socket& s, bool& answered, bool& closed, std::size_t& total) {
    std::uint8_t sink[2048];
    for (;;) {
      std::error_code ec;
      std::size_t n = s.receive(asio::buffer(sink), 0, ec);
      if (ec == asio::error::would_block || ec == asio::error::try_again) return;
      if (ec || n == 0) {
        closed = true;
        return;
      }
      if (!answered) {
        answered = true;
        if (sink[0] == tls_handshake_record) {
          const std::string alert = tls::plain_alert_record(tls::alert_user_canceled);
          s.send(asio::buffer(alert), 0, ec);
        }
        s.shutdown(asio::ip::tcp::socket::shutdown_send, ec);
      }
      total += n;
      if (total > drain_max) {
        closed = true;
        return;
      }
    }
  }

  void wait() {
    std::shared_ptr<refusal> self = shared_from_this();
    socket_.async_wait(asio::ip::tcp::socket::wait_read, [self](const std::error_code& ec) {
      if (ec) return self->close();
      receive(self->socket_, self->answered_, self->closed_, self->total_);
      if (self->closed_) return self->close();
      self->wait();
    });
  }

  void close() {
    std::error_code ec;
    timer_.cancel();
    socket_.close(ec);
  }

  asio::ip::tcp::socket socket_;
  asio::steady_timer timer_;
  std::shared_ptr<std::atomic<std::size_t> > waiting_;
  bool answered_ = false, closed_ = false;
  std::size_t total_ = 0;
};

}  // namespace

void refuser::refuse(asio::ip::tcp::socket socket, std::size_t max_waiting) {
  if (++*waiting_ > max_waiting) {
    --*waiting_;
    return refusal::at_once(socket);
  }
  std::make_shared<refusal>(std::move(socket), waiting_)->start();
}

}  // namespace server
}  // namespace tlsmux
