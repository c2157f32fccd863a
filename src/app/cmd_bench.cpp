// SPDX-License-Identifier: GPL-2.0-or-later
// tlsmux bench: the built-in load generator (bulk, rate, latency, idle) and its target
// services (bench serve).
#include "app/commands.hpp"

#include "bench/bench.hpp"
#include "client/options.hpp"
#include "client/verify.hpp"
#include "config/flags.hpp"
#include "config/server_config.hpp"
#include "log/logger.hpp"
#include "tls/context.hpp"
#include "tls/pin.hpp"
#include "tlsmux/platform/signals.hpp"
#include "tlsmux/platform/terminal.hpp"

#include <wolfssl/options.h>
#include <wolfssl/ssl.h>

#include <cstdio>
#include <cstdlib>

namespace tlsmux {
namespace app {

namespace {

const char bench_usage[] =
    "usage: tlsmux bench bulk|rate|latency|idle [options] HOST[:PORT] SERVICE\n"
    "       tlsmux bench cipher [--size BYTES] [--duration S]   AES-128-GCM CPU per GB, no sockets\n"
    "       tlsmux bench ... --raw HOST[:PORT]     TLS only, for a fixed-target relay\n"
    "       tlsmux bench serve [--echo A:P] [--discard A:P] [--source A:P] [--duration S]\n"
    "options: --duration 5s  --streams N (bulk, latency)  --direction up|down (bulk)\n"
    "  --size BYTES (bulk write, latency message)  --clients N (rate)  --sessions N (idle)\n"
    "  --rate MB/s (bulk up: paced writes over all streams)\n"
    "  --cipher LIST (wolfSSL names; default TLS13-AES128-GCM-SHA256, group X25519)\n"
    "  --quiet (no progress)  and the client options (--pin, --ca, --insecure, ...)\n";

bool parse_count(const std::string& v, unsigned long lo, unsigned long hi, unsigned long& out) {
  if (v.empty() || v.find_first_not_of("0123456789") != std::string::npos || v.size() > 9) return false;
  out = std::strtoul(v.c_str(), nullptr, 10);
  return out >= lo && out <= hi;
}

// Bench-only options; returns false for keys it does not know.
bool apply_bench_entry(const config::entry& e, bench::bench_options& b, std::string& cipher,
                       std::vector<std::string>& problems) {
  unsigned long n = 0;
  const std::string& v = e.value;
  std::string bad = "bad --" + e.key + " '" + v + "'";
  if (e.key == "streams" || e.key == "clients" || e.key == "sessions") {
    if (!parse_count(v, 1, 1000000, n)) problems.push_back(bad);
    (e.key == "streams" ? b.streams : e.key == "clients" ? b.clients : b.sessions) = static_cast<unsigned>(n);
  } else if (e.key == "size") {
    if (!parse_count(v, 1, 16 * 1024 * 1024, n)) problems.push_back(bad);
    b.size = n;
  } else if (e.key == "rate") {
    if (!parse_count(v, 1, 1000000, n)) problems.push_back(bad);
    b.rate_mbps = static_cast<double>(n);
  } else if (e.key == "duration") {
    std::uint32_t ms = 0;
    if (!config::parse_duration(v, ms) || ms == 0) problems.push_back(bad);
    b.seconds = ms / 1000.0;
  } else if (e.key == "direction") {
    if (v != "up" && v != "down") problems.push_back(bad);
    b.upload = v == "up";
  } else if (e.key == "cipher") {
    cipher = v;
  } else if (e.key == "log-level") {
    log::level l;
    if (log::parse_level(v, l)) log::set_level(l);
    else problems.push_back(bad);
  } else {
    return false;
  }
  return true;
}

// Restricts the client context to one suite list and X25519 so that every relay is
// measured with the same cryptography.
bool restrict_tls(tls::context& ctx, const std::string& cipher, std::string& error) {
  if (cipher == "any") return true;
  if (wolfSSL_CTX_set_cipher_list(ctx.native(), cipher.c_str()) != WOLFSSL_SUCCESS) {
    error = "bad --cipher '" + cipher + "'";
    return false;
  }
  int groups[] = {WOLFSSL_ECC_X25519};
  if (wolfSSL_CTX_set_groups(ctx.native(), groups, 1) != WOLFSSL_SUCCESS) {
    error = "cannot restrict the key exchange to X25519";
    return false;
  }
  return true;
}

}  // namespace

config::option_table bench_options() {
  config::option_table t;
  config::add_option(t, "duration", 0, "DURATION", "5s", "how long to measure");
  config::add_option(t, "streams", 0, "N", "1", "parallel streams (bulk, latency)");
  config::add_option(t, "direction", 0, "up|down", "up", "bulk: which way the data flows");
  config::add_option(t, "size", 0, "BYTES", "16384", "bulk write size, latency message size");
  config::add_option(t, "rate", 0, "MB/s", "", "bulk up: pace the writes to this rate");
  config::add_option(t, "clients", 0, "N", "4", "rate: parallel clients");
  config::add_option(t, "sessions", 0, "N", "1000", "idle: sessions to hold open");
  config::add_option(t, "cipher", 0, "LIST", "TLS13-AES128-GCM-SHA256", "wolfSSL suite names, or any");
  config::add_option(t, "raw", 0, "", "", "TLS only, for a fixed-target relay");
  config::add_option(t, "resume", 0, "", "", "resume TLS sessions");
  config::add_option(t, "quiet", 0, "", "", "no progress line");
  config::option_table client = client_options("connect");
  t.insert(t.end(), client.begin(), client.end());
  return t;
}

config::option_table bench_serve_options() {
  config::option_table t;
  config::add_option(t, "echo", 0, "ADDR:PORT", "", "an echo target (repeatable)");
  config::add_option(t, "discard", 0, "ADDR:PORT", "", "a discard target (repeatable)");
  config::add_option(t, "source", 0, "ADDR:PORT", "", "a source target (repeatable)");
  config::add_option(t, "duration", 0, "DURATION", "", "stop after this long");
  return t;
}

namespace {

bool prepare_bench(const std::vector<std::string>& args, bench::bench_options& b) {
  config::command_line cl;
  std::vector<config::error> errors;
  std::vector<std::string> problems;
  client::client_options opt;
  std::string cipher = "TLS13-AES128-GCM-SHA256";
  if (!config::parse_flags(args, bench_options(), cl, errors)) {
    for (std::size_t i = 0; i < errors.size(); ++i) problems.push_back(errors[i].message);
  }
  b.raw = cl.switches.count("raw") > 0;
  b.resume = cl.switches.count("resume") > 0;
  if (b.resume) b.req.resume = std::make_shared<client::session_slot>();
  b.progress = cl.switches.count("quiet") == 0 && platform::have_terminal();
  opt.accept_new = cl.switches.count("accept-new") > 0;
  opt.insecure = cl.switches.count("insecure") > 0;
  client::apply_client_entries(cl.entries, opt, problems);
  for (std::size_t i = 0; i < cl.entries.size(); ++i) {
    apply_bench_entry(cl.entries[i], b, cipher, problems);
  }
  std::size_t want = b.raw ? 1 : 2;
  if (problems.empty() && cl.positional.size() != want) {
    problems.push_back(b.raw ? "expected HOST[:PORT]" : "expected HOST[:PORT] SERVICE");
  } else if (problems.empty()) {
    if (!client::parse_host_port(cl.positional[0], config::default_port, opt.host, opt.port))
      problems.push_back("bad server address '" + cl.positional[0] + "'");
    if (!b.raw && !client::parse_service(cl.positional[1], b.req.target))
      problems.push_back("bad service '" + cl.positional[1] + "'");
  }
  if (!opt.pin.empty() && !tls::is_valid_pin(opt.pin)) problems.push_back("bad --pin '" + opt.pin + "'");
  std::string error;
  if (problems.empty()) {
    b.req.tls = client::make_client_context(opt, error);
    if (!b.req.tls) problems.push_back(error);
    else if (!restrict_tls(*b.req.tls, cipher, error)) problems.push_back(error);
    else if (!client::configure_credentials(opt, b.req, error)) problems.push_back(error);
  }
  for (std::size_t i = 0; i < problems.size(); ++i) std::fprintf(stderr, "tlsmux bench: %s\n", problems[i].c_str());
  if (!problems.empty()) {
    std::fputs(bench_usage, stderr);
    return false;
  }
  b.req.host = opt.host;
  b.req.port = opt.port;
  b.req.timeout_ms = opt.timeout_ms;
  client::configure_verification(opt, b.req);
  return true;
}

// bench cipher: --size and --duration only.
int run_cipher_command(const std::vector<std::string>& args) {
  config::option_table t;
  config::add_option(t, "size", 0, "BYTES", "16384", "record size");
  config::add_option(t, "duration", 0, "DURATION", "2s", "CPU time to encrypt for");
  config::command_line cl;
  std::vector<config::error> errors;
  std::vector<std::string> problems;
  config::parse_flags(args, t, cl, errors);
  if (!cl.positional.empty()) problems.push_back("unexpected '" + cl.positional[0] + "'");
  bench::bench_options b;
  b.seconds = 2;
  std::string unused;
  for (std::size_t i = 0; i < cl.entries.size(); ++i) apply_bench_entry(cl.entries[i], b, unused, problems);
  if (b.size > 65536) problems.push_back("--size at most 65536 for cipher");
  for (std::size_t i = 0; i < errors.size(); ++i) problems.push_back(errors[i].message);
  if (!problems.empty()) {
    for (std::size_t i = 0; i < problems.size(); ++i) std::fprintf(stderr, "tlsmux bench cipher: %s\n", problems[i].c_str());
    std::fputs(bench_usage, stderr);
    return exit_usage;
  }
  bool ok = bench::run_cipher_bench(b, [](const std::string& line) { std::printf("%s\n", line.c_str()); });
  return ok ? exit_ok : exit_runtime;
}

int run_serve_command(const std::vector<std::string>& args) {
  config::command_line cl;
  std::vector<config::error> errors;
  if (!config::parse_flags(args, bench_serve_options(), cl, errors) || !cl.positional.empty()) {
    for (std::size_t i = 0; i < errors.size(); ++i)
      std::fprintf(stderr, "tlsmux bench serve: %s\n", errors[i].message.c_str());
    std::fputs(bench_usage, stderr);
    return exit_usage;
  }
  std::vector<bench::serve_spec> specs;
  std::uint32_t ms = 0;
  for (std::size_t i = 0; i < cl.entries.size(); ++i) {
    const config::entry& e = cl.entries[i];
    if (e.key == "duration") {
      if (config::parse_duration(e.value, ms)) continue;
    } else if (e.key == "echo" || e.key == "discard" || e.key == "source") {
      bench::serve_spec s;
      s.kind = e.key;
      if (client::parse_host_port(e.value, 0, s.host, s.port) && s.port != 0) {
        specs.push_back(s);
        continue;
      }
    }
    std::fprintf(stderr, "tlsmux bench serve: bad --%s '%s'\n%s", e.key.c_str(), e.value.c_str(), bench_usage);
    return exit_usage;
  }
  if (specs.empty()) {
    std::fprintf(stderr, "tlsmux bench serve: give --echo, --discard or --source\n");
    return exit_usage;
  }
  platform::ignore_broken_pipe();
  std::string error;
  if (!bench::run_serve(specs, ms / 1000.0, error)) {
    std::fprintf(stderr, "tlsmux bench serve: %s\n", error.c_str());
    return exit_start;
  }
  return exit_ok;
}

}  // namespace

int cmd_bench(const std::vector<std::string>& args) {
  if (args.empty()) {
    std::fputs(bench_usage, stderr);
    return exit_usage;
  }
  std::vector<std::string> rest(args.begin() + 1, args.end());
  if (args[0] == "serve") return run_serve_command(rest);
  if (args[0] == "cipher") return run_cipher_command(rest);
  bench::bench_options b;
  if (args[0] == "bulk") b.mode = bench::bench_mode::bulk;
  else if (args[0] == "rate") b.mode = bench::bench_mode::rate;
  else if (args[0] == "latency") b.mode = bench::bench_mode::latency;
  else if (args[0] == "idle") b.mode = bench::bench_mode::idle;
  else {
    std::fprintf(stderr, "tlsmux bench: unknown mode '%s'\n%s", args[0].c_str(), bench_usage);
    return exit_usage;
  }
  if (b.mode == bench::bench_mode::latency) b.size = 64;
  std::string error;
  if (!tls::library_init(error)) {
    std::fprintf(stderr, "tlsmux bench: %s\n", error.c_str());
    return exit_start;
  }
  if (!prepare_bench(rest, b)) return exit_usage;
  platform::ignore_broken_pipe();
  bool ok = bench::run_bench(b, [](const std::string& line) {
    std::printf("%s\n", line.c_str());
    std::fflush(stdout);
  });
  return ok ? exit_ok : exit_runtime;
}

}  // namespace app
}  // namespace tlsmux
