// SPDX-License-Identifier: GPL-2.0-or-later
// tlsmux bench: the session connector, bulk throughput and round-trip latency.
#include "bench/bench.hpp"

#include "bench/bench_internal.hpp"

#include <asio/connect.hpp>
#include <asio/steady_timer.hpp>
#include <algorithm>
#include <cstdio>

namespace tlsmux {
namespace bench {

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

double quantile(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) return 0;
  std::size_t i = static_cast<std::size_t>(q * static_cast<double>(sorted.size() - 1) + 0.5);
  return sorted[std::min(i, sorted.size() - 1)];
}

std::string fixed(double v, int decimals) {
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", decimals, v);
  return text;
}

namespace {

// Raw mode: TCP connect and TLS handshake only, for relays with a fixed target (stunnel).
class raw_dial : public std::enable_shared_from_this<raw_dial> {
 public:
  raw_dial(asio::io_context& io, const bench_options& o, std::function<void(const dial_result&)> done)
      : o_(o), done_(done), resolver_(io), socket_(io) {}

  void start() {
    std::shared_ptr<raw_dial> self = shared_from_this();
    resolver_.async_resolve(o_.req.host, std::to_string(o_.req.port),
                            [self](const std::error_code& ec, asio::ip::tcp::resolver::results_type r) {
                              if (ec) return self->fail(ec, "cannot resolve " + self->o_.req.host);
                              self->connect(r);
                            });
  }

 private:
  void connect(const asio::ip::tcp::resolver::results_type& r) {
    std::shared_ptr<raw_dial> self = shared_from_this();
    asio::async_connect(socket_, r, [self](const std::error_code& ec, const asio::ip::tcp::endpoint&) {
      if (ec) return self->fail(ec, "cannot connect: " + ec.message());
      std::error_code ignored;
      self->socket_.set_option(asio::ip::tcp::no_delay(true), ignored);
      self->handshake();
    });
  }

  void handshake() {
    std::shared_ptr<transport::tls_stream> s =
        std::make_shared<transport::tls_stream>(std::move(socket_), o_.req.tls);
    s->engine().set_server_name(o_.req.server_name.empty() ? o_.req.host : o_.req.server_name,
                                o_.req.check_name);
    if (o_.req.resume && o_.req.resume->session) s->engine().set_session(o_.req.resume->session);
    std::shared_ptr<raw_dial> self = shared_from_this();
    s->async_handshake([self, s](const std::error_code& ec) {
      if (ec) {
        s->close();
        return self->fail(ec, "TLS handshake failed: " + s->engine().error_string());
      }
      std::string message;
      if (self->o_.req.verify && !s->engine().resumed() &&
          !self->o_.req.verify(s->engine().peer_certificate(), message)) {
        s->close();
        return self->fail(std::make_error_code(std::errc::permission_denied), message);
      }
      dial_result r;
      r.stream = s;
      self->done_(r);
    });
  }

  void fail(const std::error_code& ec, const std::string& message) {
    dial_result r;
    r.ec = ec;
    r.message = message;
    done_(r);
  }

  bench_options o_;
  std::function<void(const dial_result&)> done_;
  asio::ip::tcp::resolver resolver_;
  asio::ip::tcp::socket socket_;
};

// N streams writing to a discard service or reading from a source service.
class bulk_run : public bench_run {
 public:
  bulk_run(asio::io_context& io, const bench_options& o) : bench_run(io, o), wbuf_(o.size, 'x') {
    rbuf_.resize(o.streams, std::vector<std::uint8_t>(std::max<std::size_t>(o.size, 16384)));
    sent_.resize(o.streams);
    for (unsigned i = 0; i < o.streams; ++i) pace_.push_back(std::make_shared<asio::steady_timer>(io));
  }

  void start() override {
    std::shared_ptr<bulk_run> self = std::static_pointer_cast<bulk_run>(shared_from_this());
    for (unsigned i = 0; i < o_.streams; ++i) {
      connect([self](const dial_result& r) {
        if (!self->keep(r)) return;
        if (self->held_.size() == self->o_.streams) self->begin();
      });
    }
  }

 private:
  void begin() {
    std::shared_ptr<bulk_run> self = std::static_pointer_cast<bulk_run>(shared_from_this());
    start_clock([self]() { self->done(); });
    for (std::size_t i = 0; i < held_.size(); ++i) o_.upload ? send(i) : receive(i);
  }

  void send(std::size_t i) {
    std::shared_ptr<bulk_run> self = std::static_pointer_cast<bulk_run>(shared_from_this());
    held_[i]->async_write(wbuf_.data(), wbuf_.size(), [self, i](const std::error_code& ec) {
      if (self->stopped_) return;
      if (ec) return self->abort("stream failed: " + ec.message());
      self->count_ += self->wbuf_.size();
      self->sent_[i] += self->wbuf_.size();
      self->o_.rate_mbps > 0 ? self->paced_send(i) : self->send(i);
    });
  }

  // --rate: each stream writes its next block when its share of the rate allows it, like a
  // client that produces data more slowly than the relay can move it.
  void paced_send(std::size_t i) {
    const double per_stream = o_.rate_mbps * 1e6 / o_.streams;  // bytes per second
    const double due = static_cast<double>(sent_[i]) / per_stream;
    const double wait = due - seconds_since(t0_);
    if (wait <= 0) return send(i);
    std::shared_ptr<bulk_run> self = std::static_pointer_cast<bulk_run>(shared_from_this());
    pace_[i]->expires_after(std::chrono::microseconds(static_cast<long long>(wait * 1e6)));
    pace_[i]->async_wait([self, i](const std::error_code& ec) {
      if (!ec && !self->stopped_) self->send(i);
    });
  }

  void receive(std::size_t i) {
    std::shared_ptr<bulk_run> self = std::static_pointer_cast<bulk_run>(shared_from_this());
    held_[i]->async_read_some(rbuf_[i].data(), rbuf_[i].size(), [self, i](const std::error_code& ec, std::size_t n) {
      if (self->stopped_) return;
      self->count_ += n;
      if (ec) return self->abort("stream failed: " + ec.message());
      self->receive(i);
    });
  }

  void done() {
    double t = seconds_since(t0_);
    double mb = static_cast<double>(count_) / 1e6;
    std::string line = "mode=bulk dir=" + std::string(o_.upload ? "up" : "down") +
                       " streams=" + std::to_string(o_.streams) + " size=" + std::to_string(o_.size) +
                       " bytes=" + std::to_string(count_) +
                       " seconds=" + fixed(t, 3) + " MB/s=" + fixed(mb / t, 1) + tls_info();
    if (o_.rate_mbps > 0) line += " rate=" + fixed(o_.rate_mbps, 0);
    for (std::size_t i = 0; i < pace_.size(); ++i) pace_[i]->cancel();
    finish(line);
  }

  std::vector<std::uint8_t> wbuf_;
  std::vector<std::uint64_t> sent_;  ///< bytes written per stream
  std::vector<std::shared_ptr<asio::steady_timer> > pace_;  ///< --rate: next write per stream
  std::vector<std::vector<std::uint8_t> > rbuf_;
};

// Round trips of size-byte messages through established sessions to an echo service.
class latency_run : public bench_run {
 public:
  latency_run(asio::io_context& io, const bench_options& o) : bench_run(io, o), msg_(o.size, 'p') {
    unit_ = "round trips";
    rbuf_.resize(o.streams, std::vector<std::uint8_t>(o.size));
    got_.resize(o.streams);
    sent_at_.resize(o.streams);
  }

  void start() override {
    std::shared_ptr<latency_run> self = std::static_pointer_cast<latency_run>(shared_from_this());
    for (unsigned i = 0; i < o_.streams; ++i) {
      connect([self](const dial_result& r) {
        if (!self->keep(r)) return;
        if (self->held_.size() == self->o_.streams) {
          self->start_clock([self]() { self->done(); });
          for (std::size_t j = 0; j < self->held_.size(); ++j) self->ping(j);
        }
      });
    }
  }

 private:
  void ping(std::size_t i) {
    std::shared_ptr<latency_run> self = std::static_pointer_cast<latency_run>(shared_from_this());
    got_[i] = 0;
    sent_at_[i] = std::chrono::steady_clock::now();
    held_[i]->async_write(msg_.data(), msg_.size(), [self, i](const std::error_code& ec) {
      if (self->stopped_) return;
      if (ec) return self->abort("stream failed: " + ec.message());
      self->pong(i);
    });
  }

  void pong(std::size_t i) {
    std::shared_ptr<latency_run> self = std::static_pointer_cast<latency_run>(shared_from_this());
    held_[i]->async_read_some(rbuf_[i].data() + got_[i], rbuf_[i].size() - got_[i],
                              [self, i](const std::error_code& ec, std::size_t n) {
      if (self->stopped_) return;
      if (ec) return self->abort("stream failed: " + ec.message());
      self->got_[i] += n;
      if (self->got_[i] < self->msg_.size()) return self->pong(i);
      if (++self->round_trips_ > warmup) self->samples_.push_back(seconds_since(self->sent_at_[i]) * 1e6);
      self->count_ = self->round_trips_;
      self->ping(i);
    });
  }

  void done() {
    double t = seconds_since(t0_);
    std::sort(samples_.begin(), samples_.end());
    double mean = 0;
    for (std::size_t i = 0; i < samples_.size(); ++i) mean += samples_[i];
    if (!samples_.empty()) mean /= static_cast<double>(samples_.size());
    std::string line = "mode=latency streams=" + std::to_string(o_.streams) + " size=" +
                       std::to_string(o_.size) + " round_trips=" + std::to_string(samples_.size()) +
                       " seconds=" + fixed(t, 3) + " p50_us=" + fixed(quantile(samples_, 0.5), 1) +
                       " p99_us=" + fixed(quantile(samples_, 0.99), 1) + " mean_us=" + fixed(mean, 1) +
                       " max_us=" + fixed(samples_.empty() ? 0.0 : samples_.back(), 1) + tls_info();
    finish(line);
  }

  static const std::uint64_t warmup = 100;
  std::vector<std::uint8_t> msg_;
  std::vector<std::vector<std::uint8_t> > rbuf_;
  std::vector<std::size_t> got_;
  std::vector<std::chrono::steady_clock::time_point> sent_at_;
  std::uint64_t round_trips_ = 0;
  std::vector<double> samples_;
};

}  // namespace

void bench_connect(asio::io_context& io, const bench_options& o,
                   std::function<void(const dial_result&)> done) {
  if (o.raw) std::make_shared<raw_dial>(io, o, done)->start();
  else client::dial(io, o.req, done);
}

bool run_bench(const bench_options& o, bench_report report) {
  asio::io_context io(1);
  std::shared_ptr<bench_run> run;
  switch (o.mode) {
    case bench_mode::bulk: run = std::make_shared<bulk_run>(io, o); break;
    case bench_mode::latency: run = std::make_shared<latency_run>(io, o); break;
    case bench_mode::rate: run = make_rate_run(io, o); break;
    case bench_mode::idle: run = make_idle_run(io, o); break;
  }
  run->set_report(report);
  return run->run();
}

}  // namespace bench
}  // namespace tlsmux
