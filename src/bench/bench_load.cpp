// SPDX-License-Identifier: GPL-2.0-or-later
// tlsmux bench: the shared run plumbing, the session-rate mode and the idle-sessions mode.
#include "bench/bench_internal.hpp"

#include "text/log_fields.hpp"
#include "tlsmux/platform/signals.hpp"

#include <asio/post.hpp>
#include <algorithm>
#include <cstdio>

namespace tlsmux {
namespace bench {

bench_run::bench_run(asio::io_context& io, const bench_options& o)
    : io_(io), o_(o), timer_(io), progress_timer_(io), signals_(io) {}

bool bench_run::run() {
  std::shared_ptr<bench_run> self = shared_from_this();
  platform::add_control_signals(signals_);
  wait_signal();
  asio::post(io_, [self]() { self->start(); });
  io_.run();
  return !failed_;
}

void bench_run::wait_signal() {
  std::shared_ptr<bench_run> self = shared_from_this();
  signals_.async_wait([self](const std::error_code& ec, int signo) {
    if (ec) return;
    if (platform::control_for_signal(signo) != platform::control::stop) return self->wait_signal();
    if (self->reported_) self->finish("");
    else self->abort("interrupted");
  });
}

void bench_run::connect(std::function<void(const dial_result&)> cb) {
  std::shared_ptr<bench_run> self = shared_from_this();
  ++dialing_;
  bench_connect(io_, o_, [self, cb](const dial_result& r) {
    --self->dialing_;
    if (!self->stopped_) return cb(r);
    if (r.stream) r.stream->close();
    self->stop_when_idle();
  });
}

bool bench_run::keep(const dial_result& r) {
  if (r.ec) {
    abort(r.message);
    return false;
  }
  note_tls(*r.stream);
  held_.push_back(r.stream);
  return true;
}

void bench_run::note_tls(transport::tls_stream& s) {
  if (!version_.empty()) return;
  version_ = s.engine().version();
  cipher_ = s.engine().cipher();
}

std::string bench_run::tls_info() const {
  return " tls=" + (version_.empty() ? std::string("none") : version_) +
         " cipher=" + (cipher_.empty() ? std::string("none") : cipher_) + (o_.raw ? " socks=no" : " socks=yes");
}

void bench_run::start_clock(std::function<void()> on_end) {
  t0_ = std::chrono::steady_clock::now();
  std::shared_ptr<bench_run> self = shared_from_this();
  timer_.expires_after(std::chrono::milliseconds(static_cast<long long>(o_.seconds * 1000)));
  timer_.async_wait([self, on_end](const std::error_code& ec) {
    if (!ec && !self->stopped_) on_end();
  });
  if (o_.progress) tick();
}

void bench_run::tick() {
  std::shared_ptr<bench_run> self = shared_from_this();
  progress_timer_.expires_after(std::chrono::seconds(1));
  progress_timer_.async_wait([self](const std::error_code& ec) {
    if (ec || self->stopped_) return;
    std::fprintf(stderr, "\relapsed %6.1fs  %s %llu (+%llu/s)    ", seconds_since(self->t0_), self->unit_,
                 static_cast<unsigned long long>(self->count_),
                 static_cast<unsigned long long>(self->count_ - self->last_count_));
    self->last_count_ = self->count_;
    self->tick();
  });
}

void bench_run::abort(const std::string& why) {
  failed_ = true;
  finish("error=" + text::quoted_value(why));
}

void bench_run::report(const std::string& line) {
  if (reported_ || line.empty()) return;
  reported_ = true;
  if (o_.progress) std::fputs("\r\n", stderr);
  if (report_) report_(line);
}

void bench_run::finish(const std::string& line) {
  if (stopped_) return;
  stopped_ = true;
  timer_.cancel();
  progress_timer_.cancel();
  signals_.cancel();
  for (std::size_t i = 0; i < held_.size(); ++i)
    if (held_[i]) held_[i]->close();
  report(line);
  // A dial still in flight owns its stream and the stream its handlers, a cycle that only
  // the dial's completion breaks: stopping the loop now would leak it. Let the dials finish
  // (their timeout bounds that); the timer is the last resort.
  if (dialing_ > 0) {
    std::shared_ptr<bench_run> self = shared_from_this();
    timer_.expires_after(std::chrono::milliseconds(o_.req.timeout_ms + 1000));
    timer_.async_wait([self](const std::error_code& ec) {
      if (!ec) self->io_.stop();
    });
  }
  stop_when_idle();
}

void bench_run::stop_when_idle() {
  if (!stopped_ || dialing_ > 0) return;
  timer_.cancel();
  io_.stop();
}

namespace {

// Each client loops: dial, send one byte, read the echo, close.
class rate_run : public bench_run {
 public:
  rate_run(asio::io_context& io, const bench_options& o) : bench_run(io, o), in_(o.clients) {
    unit_ = "sessions";
    held_.resize(o.clients);
    // The byte to echo goes right behind the SOCKS request, as `tlsmux connect` sends what
    // is already on its stdin (raw mode: it follows the TLS Finished anyway).
    const std::uint8_t out = out_;
    o_.req.first_bytes = [out](std::size_t) { return std::vector<std::uint8_t>(1, out); };
  }

  void start() override {
    std::shared_ptr<rate_run> self = std::static_pointer_cast<rate_run>(shared_from_this());
    start_clock([self]() { self->done(); });
    for (unsigned w = 0; w < o_.clients; ++w) next(w);
  }

 private:
  void next(unsigned w) {
    if (stopped_) return;
    std::shared_ptr<rate_run> self = std::static_pointer_cast<rate_run>(shared_from_this());
    std::chrono::steady_clock::time_point t = std::chrono::steady_clock::now();
    connect([self, w, t](const dial_result& r) {
      if (r.ec) return self->failed(w, r.message);
      self->note_tls(*r.stream);
      self->held_[w] = r.stream;
      if (!r.leftover.empty()) return self->echoed(w, t);  // the echo came with the reply
      if (r.first_bytes_sent == 1) return self->read_echo(w, t);
      r.stream->async_write(&self->out_, 1, [self, w, t](const std::error_code& ec) {
        if (self->stopped_) return;
        if (ec) return self->failed(w, "write: " + ec.message());
        self->read_echo(w, t);
      });
    });
  }

  void read_echo(unsigned w, std::chrono::steady_clock::time_point t) {
    std::shared_ptr<rate_run> self = std::static_pointer_cast<rate_run>(shared_from_this());
    held_[w]->async_read_some(&in_[w], 1, [self, w, t](const std::error_code& e, std::size_t n) {
      if (self->stopped_) return;
      if (e || n != 1) return self->failed(w, "echo: " + e.message());
      self->echoed(w, t);
    });
  }

  void echoed(unsigned w, std::chrono::steady_clock::time_point t) {
    samples_.push_back(seconds_since(t) * 1e3);
    ++count_;
    keep_session(*held_[w]);
    held_[w]->close();
    held_[w].reset();
    next(w);
  }

  // Resumption: remember the newest session (its ticket came with the echo at the latest).
  void keep_session(transport::tls_stream& s) {
    if (s.engine().resumed()) ++resumed_;
    if (!o_.req.resume) return;
    std::shared_ptr<WOLFSSL_SESSION> session = s.engine().session();
    if (session) o_.req.resume->session = session;
  }

  void failed(unsigned w, const std::string& why) {
    ++errors_;
    last_error_ = why;
    if (held_[w]) held_[w]->close();
    held_[w].reset();
    next(w);
  }

  void done() {
    double t = seconds_since(t0_);
    std::sort(samples_.begin(), samples_.end());
    std::string err = last_error_;
    finish("mode=rate clients=" + std::to_string(o_.clients) + " sessions=" + std::to_string(count_) +
           " seconds=" + fixed(t, 3) + " per_second=" + fixed(static_cast<double>(count_) / t, 1) +
           " session_p50_ms=" + fixed(quantile(samples_, 0.5), 2) +
           " session_p99_ms=" + fixed(quantile(samples_, 0.99), 2) +
           " errors=" + std::to_string(errors_) + " resumed=" + std::to_string(resumed_) + tls_info() +
           (err.empty() ? std::string() : " last_error=" + text::quoted_value(err)));
  }

  std::uint8_t out_ = 'r';
  std::vector<std::uint8_t> in_;
  std::vector<double> samples_;
  std::uint64_t errors_ = 0, resumed_ = 0;
  std::string last_error_;
};

// Opens o.sessions sessions (a few at a time), checks each with a one-byte echo, reports
// how many are held, then holds them for o.seconds.
class idle_run : public bench_run {
 public:
  idle_run(asio::io_context& io, const bench_options& o) : bench_run(io, o) { unit_ = "sessions held"; }

  void start() override {
    t0_ = std::chrono::steady_clock::now();
    for (unsigned i = 0; i < parallel && i < o_.sessions; ++i) launch();
  }

 private:
  static const unsigned parallel = 16;

  void launch() {
    if (stopped_ || launched_ >= o_.sessions) return;
    ++launched_;
    std::shared_ptr<idle_run> self = std::static_pointer_cast<idle_run>(shared_from_this());
    connect([self](const dial_result& r) {
      if (r.ec) return self->settle(std::shared_ptr<transport::tls_stream>(), r.message);
      self->note_tls(*r.stream);
      std::shared_ptr<transport::tls_stream> s = r.stream;
      s->async_write(&self->out_, 1, [self, s](const std::error_code& ec) {
        if (self->stopped_) return;
        if (ec) return self->settle(s, "write: " + ec.message());
        s->async_read_some(&self->in_, 1, [self, s](const std::error_code& e, std::size_t n) {
          if (self->stopped_) return;
          if (e || n != 1) return self->settle(s, "echo: " + e.message());
          self->held_.push_back(s);
          ++self->count_;
          self->settle(std::shared_ptr<transport::tls_stream>(), "");
        });
      });
    });
  }

  void settle(const std::shared_ptr<transport::tls_stream>& failed_stream, const std::string& why) {
    if (!why.empty()) {
      ++failed_count_;
      last_error_ = why;
      if (failed_stream) failed_stream->close();
    }
    if (held_.size() + failed_count_ < o_.sessions) return launch();
    if (held_.empty()) return abort("no session established: " + last_error_);
    std::string err = last_error_;
    report("mode=idle sessions=" + std::to_string(o_.sessions) + " held=" + std::to_string(held_.size()) +
           " failed=" + std::to_string(failed_count_) + " setup_seconds=" + fixed(seconds_since(t0_), 3) +
           tls_info() + (err.empty() ? std::string() : " last_error=" + text::quoted_value(err)));
    std::shared_ptr<idle_run> self = std::static_pointer_cast<idle_run>(shared_from_this());
    start_clock([self]() { self->finish(""); });
  }

  std::uint8_t out_ = 'i', in_ = 0;
  unsigned launched_ = 0;
  std::size_t failed_count_ = 0;
  std::string last_error_;
};

}  // namespace

std::shared_ptr<bench_run> make_rate_run(asio::io_context& io, const bench_options& o) {
  return std::make_shared<rate_run>(io, o);
}

std::shared_ptr<bench_run> make_idle_run(asio::io_context& io, const bench_options& o) {
  return std::make_shared<idle_run>(io, o);
}

}  // namespace bench
}  // namespace tlsmux
