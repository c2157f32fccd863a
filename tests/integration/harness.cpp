// SPDX-License-Identifier: GPL-2.0-or-later
// Loopback harness for the integration tests.
#include "harness.hpp"

#include "log/logger.hpp"
#include "log/rate_limit.hpp"
#include "tls/context.hpp"

#include <asio/read.hpp>
#include <cstdio>
#include <cstdlib>
#include <asio/write.hpp>

namespace tlsmux {
namespace test {

config::server_config test_config() {
  config::server_config cfg;
  cfg.listen.push_back("127.0.0.1:0");
  cfg.cert = std::string(TLSMUX_TEST_DATA) + "/server.crt";
  cfg.key = std::string(TLSMUX_TEST_DATA) + "/server.key";
  cfg.handshake_timeout = 3000;
  cfg.negotiation_timeout = 3000;
  cfg.connect_timeout = 3000;
  cfg.drain_timeout = 1000;
  return cfg;
}

bool run_until(asio::io_context& io, std::function<bool()> done, int ms) {
  std::chrono::steady_clock::time_point end = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
  if (io.stopped()) io.restart();
  while (!done() && std::chrono::steady_clock::now() < end) {
    io.run_for(std::chrono::milliseconds(10));
    if (io.stopped()) io.restart();
  }
  return done();
}

namespace {

struct echo_conn : std::enable_shared_from_this<echo_conn> {
  explicit echo_conn(asio::ip::tcp::socket s) : socket(std::move(s)), buf(65536) {}
  void read() {
    std::shared_ptr<echo_conn> self = shared_from_this();
    socket.async_read_some(asio::buffer(buf), [self](const std::error_code& ec, std::size_t n) {
      if (ec) {
        std::error_code ignored;
        self->socket.shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
        return;
      }
      asio::async_write(self->socket, asio::buffer(self->buf.data(), n),
                        [self](const std::error_code& wec, std::size_t) {
                          if (!wec) self->read();
                        });
    });
  }
  asio::ip::tcp::socket socket;
  std::vector<std::uint8_t> buf;
};

}  // namespace

echo_service::echo_service(asio::io_context& io)
    : acceptor_(io, asio::ip::tcp::endpoint(asio::ip::address_v4::loopback(), 0)) {
  accept();
}

void echo_service::accept() {
  acceptor_.async_accept([this](const std::error_code& ec, asio::ip::tcp::socket s) {
    if (ec) return;
    ++connections_;
    std::make_shared<echo_conn>(std::move(s))->read();
    accept();
  });
}

namespace {

class capture_sink : public log::sink {
 public:
  void write(log::level, const std::string& text) override {
    capture().add(text);
    if (std::getenv("TLSMUX_TEST_LOG")) std::fprintf(stderr, "%s\n", text.c_str());
  }
};

}  // namespace

log_capture& capture() {
  static log_capture c;
  return c;
}

bool log_capture::contains(const std::string& text) const { return !matching(text).empty(); }

void log_capture::add(const std::string& line) {
  std::lock_guard<std::mutex> lock(mutex_);
  lines_.push_back(line);
}

void log_capture::clear() {
  std::lock_guard<std::mutex> lock(mutex_);
  lines_.clear();
}

std::vector<std::string> log_capture::matching(const std::string& text) const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<std::string> out;
  for (std::size_t i = 0; i < lines_.size(); ++i)
    if (lines_[i].find(text) != std::string::npos) out.push_back(lines_[i]);
  return out;
}

bool server_fixture::start() {
  capture().clear();
  log::reset_limits();
  log::set_level(log::level::debug);
  log::set_sink(std::unique_ptr<log::sink>(new capture_sink));
  std::string err;
  tls::library_init(err);
  next = cfg;
  srv.reset(new server::server(io, [this](config::server_config& out, std::vector<std::string>&) {
    out = next;
    return true;
  }));
  std::string thread_error;
  if (srv->start(cfg, errors)) {
    if (srv->start_threads(cfg.threads, thread_error)) return true;
    errors.push_back(thread_error);
  }
  for (std::size_t i = 0; i < errors.size(); ++i) std::fprintf(stderr, "server start: %s\n", errors[i].c_str());
  return false;
}

std::uint16_t server_fixture::port() const { return srv->endpoints().at(0).port(); }

dialed dial_sync(server_fixture& f, const socks5::address& target, socks5::command cmd,
                 const std::string& user, const std::string& password) {
  return dial_sync(f.io, f.port(), target, cmd, user, password);
}

namespace {

dialed dial_sync_with(asio::io_context& io, std::uint16_t port, const socks5::address& target, socks5::command cmd,
                      const std::string& user, const std::string& password,
                      std::function<std::vector<std::uint8_t>(std::size_t)> first);

}  // namespace

dialed dial_sync(asio::io_context& io, std::uint16_t port, const socks5::address& target, socks5::command cmd,
                 const std::string& user, const std::string& password) {
  return dial_sync_with(io, port, target, cmd, user, password, nullptr);
}

dialed dial_sync_first(server_fixture& f, const socks5::address& target, const std::vector<std::uint8_t>& first,
                       const std::string& user, const std::string& password) {
  return dial_sync_with(f.io, f.port(), target, socks5::command::connect, user, password,
                        [first](std::size_t) { return first; });
}

namespace {

dialed dial_sync_with(asio::io_context& io, std::uint16_t port, const socks5::address& target, socks5::command cmd,
                      const std::string& user, const std::string& password,
                      std::function<std::vector<std::uint8_t>(std::size_t)> first) {
  tls::settings ts;
  std::string err;
  client::dial_request req;
  req.tls = tls::context::make_client(ts, err);
  req.host = "127.0.0.1";
  req.port = port;
  req.server_name = "localhost";
  req.cmd = cmd;
  req.target = target;
  req.user = user;
  req.password = password;
  req.timeout_ms = 8000;
  req.first_bytes = first;
  std::shared_ptr<dialed> out = std::make_shared<dialed>();
  client::dial(io, req, [out](const client::dial_result& r) {
    out->result = r;
    out->done = true;
  });
  run_until(io, [out]() { return out->done; });
  return *out;
}

}  // namespace

namespace {

struct pump_state {
  std::vector<std::uint8_t> buf = std::vector<std::uint8_t>(65536);
  bool eof = false, failed = false;
};

void read_all(std::shared_ptr<transport::tls_stream> s, std::shared_ptr<pump_state> st,
              std::vector<std::uint8_t>* back) {
  s->async_read_some(st->buf.data(), st->buf.size(), [s, st, back](const std::error_code& ec, std::size_t n) {
    if (n > 0) back->insert(back->end(), st->buf.begin(), st->buf.begin() + n);
    if (ec) {
      st->eof = true;
      st->failed = ec != asio::error::eof;
      return;
    }
    read_all(s, st, back);
  });
}

}  // namespace

bool echo_round_trips(asio::io_context& io, const std::vector<std::shared_ptr<transport::tls_stream> >& streams,
                      const std::vector<std::vector<std::uint8_t> >& data,
                      std::vector<std::vector<std::uint8_t> >& back, int ms) {
  back.assign(streams.size(), std::vector<std::uint8_t>());
  std::vector<std::shared_ptr<pump_state> > states;
  std::shared_ptr<std::size_t> sent = std::make_shared<std::size_t>(0);
  for (std::size_t i = 0; i < streams.size(); ++i) {
    std::shared_ptr<transport::tls_stream> stream = streams[i];
    states.push_back(std::make_shared<pump_state>());
    read_all(stream, states.back(), &back[i]);
    stream->async_write(data[i].data(), data[i].size(), [stream, sent](const std::error_code& ec) {
      if (!ec) stream->async_shutdown([sent](const std::error_code&) { ++*sent; });
    });
  }
  bool ok = run_until(io, [&states]() {
    for (std::size_t i = 0; i < states.size(); ++i)
      if (!states[i]->eof) return false;
    return true;
  }, ms);
  for (std::size_t i = 0; i < states.size(); ++i) ok = ok && !states[i]->failed;
  return ok && *sent == streams.size();
}

bool echo_round_trip(asio::io_context& io, std::shared_ptr<transport::tls_stream> stream,
                     const std::vector<std::uint8_t>& data, std::vector<std::uint8_t>& back,
                     int ms) {
  std::vector<std::vector<std::uint8_t> > backs;
  bool ok = echo_round_trips(io, std::vector<std::shared_ptr<transport::tls_stream> >(1, stream),
                             std::vector<std::vector<std::uint8_t> >(1, data), backs, ms);
  back.insert(back.end(), backs[0].begin(), backs[0].end());
  return ok;
}

std::vector<std::uint8_t> pattern(std::size_t n, std::uint32_t seed) {
  std::vector<std::uint8_t> out(n);
  std::uint32_t x = seed * 2654435761u + 1;
  for (std::size_t i = 0; i < n; ++i) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    out[i] = static_cast<std::uint8_t>(x);
  }
  return out;
}

}  // namespace test
}  // namespace tlsmux
