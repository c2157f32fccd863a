// SPDX-License-Identifier: GPL-2.0-or-later
// The engine of `tlsmux bench`: bulk throughput, session rate, round-trip latency and idle
// sessions through a TLSMUX server (or, in raw mode, a plain TLS relay such as stunnel),
// plus the loopback target services it measures against (echo, discard, source).
#ifndef TLSMUX_BENCH_BENCH_HPP
#define TLSMUX_BENCH_BENCH_HPP

#include "client/dialer.hpp"

#include <asio/io_context.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace tlsmux {
namespace bench {

using client::dial_request;
using client::dial_result;

/// What `tlsmux bench` measures.
enum class bench_mode { bulk, rate, latency, idle };

/// Settings of one measurement.
struct bench_options {
  bench_mode mode = bench_mode::bulk;
  dial_request req;             ///< server, TLS context, verification and SOCKS target
  bool raw = false;             ///< TLS straight to a fixed-target relay, no SOCKS
  bool upload = true;           ///< bulk: client to service (discard) or back (source)
  unsigned streams = 1;         ///< bulk streams / latency sessions
  unsigned clients = 4;         ///< rate: concurrent clients
  unsigned sessions = 1000;     ///< idle: sessions to hold
  double seconds = 5;           ///< measuring time (idle: how long to hold)
  std::size_t size = 16384;     ///< bulk write size / latency message size
  double rate_mbps = 0;         ///< bulk up: paced writes, MB/s over all streams (0: as fast as possible)
  bool resume = false;          ///< rate: resume TLS sessions (tickets)
  bool progress = false;        ///< print progress on stderr
};

/// Receives the one-line key=value summary (idle: as soon as all sessions are held).
typedef std::function<void(const std::string& summary)> bench_report;

/// Runs one measurement and reports it once. Returns false when it could not run at all
/// (the summary then holds error=...).
bool run_bench(const bench_options& o, bench_report report);

/// The cipher mode: wolfSSL's AES-128-GCM sealing and opening o.size-byte records for
/// o.seconds of CPU time, without sockets; reports CPU-seconds per GB each way.
bool run_cipher_bench(const bench_options& o, bench_report report);

/// Connects one benchmark session: client::dial, or TCP + TLS only in raw mode.
void bench_connect(asio::io_context& io, const bench_options& o,
                   std::function<void(const dial_result&)> done);

/// One loopback target service of `tlsmux bench serve`.
struct serve_spec {
  std::string kind;  ///< "echo", "discard" or "source"
  std::string host;  ///< listening address
  std::uint16_t port = 0;
};

/// Runs the target services until seconds pass (0: until SIGINT/SIGTERM). False with
/// error when one cannot listen.
bool run_serve(const std::vector<serve_spec>& specs, double seconds, std::string& error);

/// Seconds since t0.
double seconds_since(std::chrono::steady_clock::time_point t0);

/// The value at quantile q (0..1) of sorted samples; 0 when empty.
double quantile(const std::vector<double>& sorted, double q);

}  // namespace bench
}  // namespace tlsmux

#endif
