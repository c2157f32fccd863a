// SPDX-License-Identifier: GPL-2.0-or-later
// Shared plumbing of the `tlsmux bench` modes: one measurement run with its sessions,
// measuring clock, progress line and summary. Internal to src/bench/bench*.cpp.
#ifndef TLSMUX_BENCH_BENCH_INTERNAL_HPP
#define TLSMUX_BENCH_BENCH_INTERNAL_HPP

#include "bench/bench.hpp"

#include <asio/signal_set.hpp>
#include <asio/steady_timer.hpp>

namespace tlsmux {
namespace bench {

/// One measurement: owns the held sessions and ends with exactly one report.
class bench_run : public std::enable_shared_from_this<bench_run> {
 public:
  bench_run(asio::io_context& io, const bench_options& o);
  virtual ~bench_run() {}
  /// Starts connecting; called once from run().
  virtual void start() = 0;
  /// Where the summary goes.
  void set_report(bench_report r) { report_ = r; }
  /// Runs the io_context until the measurement ended; false when it failed.
  bool run();

 protected:
  /// Dials one session (bench_connect). When the run has ended meanwhile, the session is
  /// closed and cb is not called; the loop stops once no dial is left in flight.
  void connect(std::function<void(const dial_result&)> cb);
  /// Keeps a session dialed by connect(); on failure ends the run and returns false.
  bool keep(const dial_result& r);
  /// Notes the TLS version and cipher of an established stream (first one only).
  void note_tls(transport::tls_stream& s);
  /// Starts the measuring clock: on_end runs after o_.seconds.
  void start_clock(std::function<void()> on_end);
  /// Ends the run with an error summary.
  void abort(const std::string& why);
  /// Ends the run: closes everything and reports line.
  void finish(const std::string& line);
  /// Reports line without ending the run (idle: the sessions stay held).
  void report(const std::string& line);
  /// " tls=TLSv1.3 cipher=..." for the summary.
  std::string tls_info() const;

  asio::io_context& io_;
  bench_options o_;
  std::vector<std::shared_ptr<transport::tls_stream> > held_;
  bool stopped_ = false;
  std::uint64_t count_ = 0;  ///< bytes or operations so far, for the progress line
  const char* unit_ = "bytes";  ///< what count_ counts, named on the progress line
  std::chrono::steady_clock::time_point t0_;

 private:
  void tick();
  void wait_signal();
  void stop_when_idle();

  asio::steady_timer timer_, progress_timer_;
  asio::signal_set signals_;
  bench_report report_;
  bool reported_ = false, failed_ = false;
  std::string version_, cipher_;
  std::uint64_t last_count_ = 0;
  std::size_t dialing_ = 0;  ///< dials in flight
};

/// The rate mode: sessions per second with o.clients concurrent clients.
std::shared_ptr<bench_run> make_rate_run(asio::io_context& io, const bench_options& o);
/// The idle mode: holds o.sessions established sessions.
std::shared_ptr<bench_run> make_idle_run(asio::io_context& io, const bench_options& o);
/// A number with a fixed count of decimals.
std::string fixed(double v, int decimals);

}  // namespace bench
}  // namespace tlsmux

#endif
