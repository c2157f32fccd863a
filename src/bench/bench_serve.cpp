// SPDX-License-Identifier: GPL-2.0-or-later
// tlsmux bench serve: plain TCP echo, discard and source services on loopback, the
// targets of the benchmark modes.
#include "bench/bench.hpp"
#include "socks5/protocol.hpp"
#include "text/ip_text.hpp"

#include "tlsmux/platform/signals.hpp"

#include <asio/ip/tcp.hpp>
#include <asio/signal_set.hpp>
#include <asio/steady_timer.hpp>
#include <asio/write.hpp>
#include <cstdio>

namespace tlsmux {
namespace bench {

namespace {

const std::size_t chunk = 65536;

// One accepted connection of a target service.
class target_conn : public std::enable_shared_from_this<target_conn> {
 public:
  target_conn(asio::ip::tcp::socket s, const std::string& kind)
      : socket_(std::move(s)), kind_(kind), buf_(chunk, 's') {}

  void start() {
    std::error_code ignored;
    socket_.set_option(asio::ip::tcp::no_delay(true), ignored);
    if (kind_ == "source") {
      send_all();
      drain();  // notices the peer closing
    } else {
      read();
    }
  }

 private:
  void read() {
    std::shared_ptr<target_conn> self = shared_from_this();
    socket_.async_read_some(asio::buffer(buf_), [self](const std::error_code& ec, std::size_t n) {
      if (ec) return self->close();
      if (self->kind_ == "discard") return self->read();
      asio::async_write(self->socket_, asio::buffer(self->buf_.data(), n),
                        [self](const std::error_code& e, std::size_t) {
                          if (e) return self->close();
                          self->read();
                        });
    });
  }

  void send_all() {
    std::shared_ptr<target_conn> self = shared_from_this();
    asio::async_write(socket_, asio::buffer(buf_), [self](const std::error_code& ec, std::size_t) {
      if (ec) return self->close();
      self->send_all();
    });
  }

  void drain() {
    std::shared_ptr<target_conn> self = shared_from_this();
    socket_.async_read_some(asio::buffer(sink_), [self](const std::error_code& ec, std::size_t) {
      if (ec) return self->close();
      self->drain();
    });
  }

  void close() {
    std::error_code ignored;
    socket_.close(ignored);
  }

  asio::ip::tcp::socket socket_;
  std::string kind_;
  std::vector<std::uint8_t> buf_;
  std::uint8_t sink_[512];
};

// Accepts connections for one service.
class target_listener : public std::enable_shared_from_this<target_listener> {
 public:
  target_listener(asio::io_context& io, const serve_spec& spec) : acceptor_(io), spec_(spec) {}

  bool open(std::string& error) {
    std::error_code ec;
    asio::ip::address a;
    if (!text::parse_ip(spec_.host, a)) ec = asio::error::invalid_argument;
    asio::ip::tcp::endpoint ep(a, spec_.port);
    if (!ec) acceptor_.open(ep.protocol(), ec);
    if (!ec) acceptor_.set_option(asio::ip::tcp::acceptor::reuse_address(true), ec);
    if (!ec) acceptor_.bind(ep, ec);
    if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) error = "cannot listen on " + spec_.host + ":" + std::to_string(spec_.port) + " (" + spec_.kind + "): " + ec.message();
    return !ec;
  }

  /// "echo on 127.0.0.1:7000 (sends back what it receives)": what a user can point bench at.
  std::string describe() const {
    std::error_code ec;
    const char* what = spec_.kind == "echo" ? "sends back what it receives"
                       : spec_.kind == "discard" ? "reads and drops everything; for bulk --direction up"
                                                 : "sends endless bytes; for bulk --direction down";
    return spec_.kind + " on " + text::endpoint_text(acceptor_.local_endpoint(ec)) + " (" + what + ")";
  }

  void accept() {
    std::shared_ptr<target_listener> self = shared_from_this();
    acceptor_.async_accept([self](const std::error_code& ec, asio::ip::tcp::socket s) {
      if (!ec) std::make_shared<target_conn>(std::move(s), self->spec_.kind)->start();
      if (ec == asio::error::operation_aborted) return;
      self->accept();
    });
  }

 private:
  asio::ip::tcp::acceptor acceptor_;
  serve_spec spec_;
};

}  // namespace

bool run_serve(const std::vector<serve_spec>& specs, double seconds, std::string& error) {
  asio::io_context io(1);
  std::vector<std::shared_ptr<target_listener> > listeners;
  for (std::size_t i = 0; i < specs.size(); ++i) {
    if (specs[i].kind != "echo" && specs[i].kind != "discard" && specs[i].kind != "source") {
      error = "unknown service kind '" + specs[i].kind + "'";
      return false;
    }
    std::shared_ptr<target_listener> l = std::make_shared<target_listener>(io, specs[i]);
    if (!l->open(error)) return false;
    std::fprintf(stderr, "tlsmux bench serve: %s\n", l->describe().c_str());
    l->accept();
    listeners.push_back(l);
  }
  asio::signal_set sigs(io);
  platform::add_control_signals(sigs);
  std::function<void(const std::error_code&, int)> on_signal;
  on_signal = [&](const std::error_code& ec, int signo) {
    if (ec) return;
    if (platform::control_for_signal(signo) == platform::control::stop) return io.stop();
    sigs.async_wait(on_signal);
  };
  sigs.async_wait(on_signal);
  asio::steady_timer timer(io);
  if (seconds > 0) {
    timer.expires_after(std::chrono::milliseconds(static_cast<long long>(seconds * 1000)));
    timer.async_wait([&io](const std::error_code& ec) {
      if (!ec) io.stop();
    });
  }
  io.run();
  platform::hold_control_signals();
  return true;
}

}  // namespace bench
}  // namespace tlsmux
