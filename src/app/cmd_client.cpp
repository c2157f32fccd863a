// SPDX-License-Identifier: GPL-2.0-or-later
// The client commands: connect (stdio), forward (-L) and socks (-D).
#include "app/commands.hpp"
#include "app/server_run.hpp"

#include "client/config_files.hpp"
#include "client/forwarder.hpp"
#include "client/key_rotation.hpp"
#include "client/stdio_tunnel.hpp"
#include "client/verify.hpp"
#include "config/flags.hpp"
#include "config/server_config.hpp"
#include "log/logger.hpp"
#include "text/ip_text.hpp"
#include "text/log_fields.hpp"
#include "tls/context.hpp"
#include "tls/pin.hpp"
#include "tlsmux/platform/process.hpp"
#include "tlsmux/platform/signals.hpp"
#include "tlsmux/platform/terminal.hpp"

#include <asio/io_context.hpp>
#include <asio/post.hpp>
#include <asio/signal_set.hpp>
#include <cstdio>
#include <cstdlib>

namespace tlsmux {
namespace app {

namespace {

struct client_command {
  config::command_line cl;
  client::client_options opt;
  client::dial_request req;
};

}  // namespace

config::option_table client_options(const std::string& command) {
  config::option_table t;
  if (command == "forward")
    config::add_option(t, "forward", 'L', "[BIND:]LPORT:SERVICE", "", "a local forward (repeatable)");
  if (command == "socks")
    config::add_option(t, "dynamic", 'D', "[BIND:]PORT", "", "a local SOCKS5, SOCKS4/4a and HTTP proxy port (repeatable)");
  if (command == "forward" || command == "socks") {
    config::add_option(t, "no-check", 0, "", "", "start without first checking the server");
    config::add_option(t, "background", 'f', "", "", "go to the background once listening");
    config::add_option(t, "log-file", 0, "FILE", "stderr; the event log as a service", "append the log to FILE");
  }
  config::add_option(t, "config", 'F', "FILE", "~/.tlsmux/config", "client configuration file (none: no file)");
  config::add_option(t, "pin", 0, "sha256:...", "", "trust exactly this server key");
  config::add_option(t, "ca", 0, "FILE", "", "trust servers signed by this CA");
  config::add_option(t, "known-hosts", 0, "FILE", "~/.tlsmux/known_hosts", "trust on first use");
  config::add_option(t, "accept-new", 0, "", "", "accept and record an unknown server key");
  config::add_option(t, "insecure", 0, "", "", "do not verify the server (testing only)");
  config::add_option(t, "server-name", 0, "NAME", "HOST", "name to verify and send as SNI");
  config::add_option(t, "user", 0, "NAME", "", "log in with a password");
  config::add_option(t, "password-file", 0, "FILE", "$TLSMUX_PASSWORD", "the password (else asked on the terminal)");
  config::add_option(t, "cert", 0, "FILE", "", "client certificate (with --key)");
  config::add_option(t, "key", 0, "FILE", "", "client key (with --cert)");
  config::add_option(t, "timeout", 0, "DURATION", "15s", "connect, TLS and SOCKS, each");
  config::add_option(t, "keepalive", 0, "DURATION", "2m",
                     "TCP keepalive: probe a quiet connection this often, give up after 3; 0: off");
  config::add_option(t, "tls-profile", 0, "intermediate|modern", "intermediate", "TLS 1.2+1.3, or 1.3 only");
  config::add_option(t, "cipher-preference", 0, "auto|aes-gcm|chacha20", "auto",
                     "AEAD offered first; auto: ChaCha20 where AES has no hardware support");
  config::add_option(t, "log-level", 0, "LEVEL", "info", "error, warning, notice, info or debug");
  config::add_option(t, "verbose", 'v', "", "", "each step (DNS, TCP, TLS, verification, SOCKS) with its time and outcome on stderr");
  return t;
}

namespace {

// The configuration files (tlsmux_config(5)) for the HOST of the command line, under the
// command line's own options. cc.opt.port is 0 when HOST had no :PORT.
bool apply_config_files(client_command& cc, std::vector<std::string>& problems) {
  std::string explicit_file;
  for (std::size_t i = 0; i < cc.cl.entries.size(); ++i)
    if (cc.cl.entries[i].key == "config") explicit_file = cc.cl.entries[i].value;
  std::vector<client::client_config_file> files;
  if (!client::load_config_files(explicit_file, files, problems)) return false;
  const bool port_given = cc.opt.port != 0;
  if (!port_given) cc.opt.port = config::default_port;
  client::merge_config(client::resolve_host(files, cc.opt.host), cc.cl, cc.opt.host, cc.opt.port, port_given);
  return true;
}

// Parses the shared client flags and the HOST[:PORT] at positional index host_index.
// Returns exit_ok, exit_usage (bad command line) or exit_config (a named file is unusable).
int prepare(const std::vector<std::string>& args, const char* name, std::size_t positionals,
            client_command& cc) {
  std::vector<config::error> errors;
  std::vector<std::string> problems;
  if (!config::parse_flags(args, client_options(name), cc.cl, errors)) {
    for (std::size_t i = 0; i < errors.size(); ++i) problems.push_back(errors[i].message);
  } else if (cc.cl.positional.size() != positionals) {
    problems.push_back("expected " + std::to_string(positionals) + " argument(s)");
  } else if (!client::parse_host_port(cc.cl.positional[0], 0, cc.opt.host, cc.opt.port)) {
    problems.push_back("bad server address '" + cc.cl.positional[0] + "'");
  } else if (!apply_config_files(cc, problems)) {
    for (std::size_t i = 0; i < problems.size(); ++i) std::fprintf(stderr, "tlsmux %s: %s\n", name, problems[i].c_str());
    return exit_config;
  }
  cc.opt.accept_new = cc.cl.switches.count("accept-new") > 0;
  cc.opt.insecure = cc.cl.switches.count("insecure") > 0;
  client::apply_client_entries(cc.cl.entries, cc.opt, problems);
  for (std::size_t i = 0; i < cc.cl.entries.size(); ++i) {
    const std::string& k = cc.cl.entries[i].key;
    if (k == "log-level") {
      log::level l;
      if (log::parse_level(cc.cl.entries[i].value, l)) log::set_level(l);
      else problems.push_back("bad --log-level");
    }
  }
  // -v: the dialer's step lines, the codes behind every error (--log-level debug).
  if (cc.cl.switches.count("verbose")) log::set_level(log::level::debug);
  if (!cc.opt.user.empty() && cc.opt.password_file.empty() && !std::getenv("TLSMUX_PASSWORD") &&
      !platform::have_terminal())
    problems.push_back("--user needs a password: --password-file FILE, $TLSMUX_PASSWORD, or a terminal to ask on");
  if (!cc.opt.pin.empty() && !tls::is_valid_pin(cc.opt.pin))
    problems.push_back("bad --pin '" + cc.opt.pin + "': expected sha256: and the base64 of 32 bytes");
  std::string error;
  int code = problems.empty() ? exit_ok : exit_usage;
  if (problems.empty()) {
    cc.req.tls = client::make_client_context(cc.opt, error);
    if (!cc.req.tls) problems.push_back(error);
    else if (!client::configure_credentials(cc.opt, cc.req, error)) problems.push_back(error);
    if (!problems.empty()) code = exit_config;
  }
  for (std::size_t i = 0; i < problems.size(); ++i) std::fprintf(stderr, "tlsmux %s: %s\n", name, problems[i].c_str());
  if (code != exit_ok) return code;
  cc.req.host = cc.opt.host;
  cc.req.port = cc.opt.port;
  cc.req.timeout_ms = cc.opt.timeout_ms;
  cc.req.keepalive_s = (cc.opt.keepalive_ms + 999) / 1000;
  client::configure_verification(cc.opt, cc.req);
  return exit_ok;
}

bool init_tls() {
  std::string error;
  if (tls::library_init(error)) return true;
  std::fprintf(stderr, "tlsmux: %s\n", error.c_str());
  return false;
}

void stop_on_signal(asio::signal_set& sigs, asio::io_context& io) {
  platform::add_control_signals(sigs);
  sigs.async_wait([&io](const std::error_code& ec, int signo) {
    if (!ec && platform::control_for_signal(signo) == platform::control::stop) io.stop();
  });
}

}  // namespace

int cmd_connect(const std::vector<std::string>& args) {
  client_command cc;
  if (!init_tls()) return exit_start;
  if (int code = prepare(args, "connect", 2, cc)) return code;
  if (!client::parse_service(cc.cl.positional[1], cc.req.target)) {
    std::fprintf(stderr, "tlsmux connect: bad service '%s'\n", cc.cl.positional[1].c_str());
    return exit_usage;
  }
  platform::ignore_broken_pipe();
  asio::io_context io(1);
  int status = exit_runtime;
  // No background key announcement here (forward, socks and list read it): a one-shot tunnel
  // that ends first would leave that listing session half-open at exit.
  client::stdio_tunnel tunnel(io, cc.req);
  tunnel.start([&](bool clean, const std::string& error) {
    if (clean) status = exit_ok;
    else std::fprintf(stderr, "tlsmux connect: %s\n", error.c_str());
    io.stop();
  });
  asio::signal_set sigs(io);
  stop_on_signal(sigs, io);
  io.run();
  platform::hold_control_signals();
  return status;
}

namespace {

// The -L or -D arguments, parsed before anything starts.
bool parse_specs(const client_command& cc, const char* name, bool socks_mode, std::vector<client::forward_spec>& specs) {
  for (std::size_t i = 0; i < cc.cl.entries.size(); ++i) {
    const config::entry& e = cc.cl.entries[i];
    if (e.key != (socks_mode ? "dynamic" : "forward")) continue;
    client::forward_spec spec;
    bool ok = socks_mode ? client::parse_listen_port(e.value, spec.bind, spec.port)
                         : client::parse_forward(e.value, spec);
    if (!ok) {
      std::fprintf(stderr, "tlsmux %s: bad %s '%s'\n", name, socks_mode ? "-D" : "-L", e.value.c_str());
      return false;
    }
    specs.push_back(spec);
  }
  if (specs.empty())
    std::fprintf(stderr, "tlsmux %s: give at least one %s\n", name, socks_mode ? "-D [BIND:]PORT" : "-L [BIND:]LPORT:SERVICE");
  return !specs.empty();
}

// The start-up check (ssh's ExitOnForwardFailure): one TLS connection, the server verified
// (CA, pin or known_hosts) before any listener opens; "" when it passed.
std::string check_server(const client_command& cc) {
  asio::io_context io(1);
  client::dial_request req = cc.req;
  req.verify_only = true;
  std::string error;
  client::dial(io, req, [&error](const client::dial_result& r) {
    if (r.ec) error = r.message.empty() ? r.ec.message() : r.message;
    if (r.stream) r.stream->close();
  });
  io.run();
  return error;
}

// Start-up failures after -f reach the waiting parent (platform::daemon_report); a service's
// go to its log.
int start_failed(const char* name, const std::string& error, int code, server_remote* remote) {
  if (remote != nullptr) log::error(error);
  else if (platform::daemon_starting()) platform::daemon_report(std::string(name) + ": " + error);
  else std::fprintf(stderr, "tlsmux %s: %s\n", name, error.c_str());
  return code;
}

// A service manager's control, on the event loop: stop ends the run; status logs the
// listeners; a client has nothing to reload.
void service_control(asio::io_context& io, const std::vector<std::string>& listeners, platform::control c) {
  if (c == platform::control::stop) {
    log::notice("stopping: the service manager asked");
    io.stop();
  } else if (c == platform::control::status) {
    for (std::size_t i = 0; i < listeners.size(); ++i) log::notice("status: " + listeners[i]);
  } else if (c == platform::control::reload) {
    log::notice("reload: a client has nothing to reload; restart the service to change its options");
  }
}

// --log-file FILE, else the system log as ident for a service, else stderr.
bool setup_client_log(const client_command& cc, const char* name, server_remote* remote, const std::string& ident) {
  std::string file, error;
  for (std::size_t i = 0; i < cc.cl.entries.size(); ++i)
    if (cc.cl.entries[i].key == "log-file") file = cc.cl.entries[i].value;
  std::unique_ptr<log::sink> s;
  if (!file.empty()) s = log::make_file_sink(file, error);
  else if (remote != nullptr) s = log::make_system_sink(ident);
  else return true;
  if (!s) {
    std::fprintf(stderr, "tlsmux %s: %s\n", name, error.c_str());
    return false;
  }
  log::set_sink(std::move(s));
  return true;
}

int run_proxies(client_command& cc, const char* name, bool socks_mode, server_remote* remote) {
  std::vector<client::forward_spec> specs;
  if (!parse_specs(cc, name, socks_mode, specs)) return exit_usage;
  if (cc.cl.switches.count("no-check") == 0) {
    std::string error = check_server(cc);
    if (!error.empty())
      return start_failed(name, "cannot use the server " + cc.opt.host + ":" + std::to_string(cc.opt.port) + ": " +
                                    error + " (--no-check starts anyway)", exit_runtime, remote);
  }
  if (remote == nullptr && cc.cl.switches.count("background") > 0) {
    std::string what;
    if (std::error_code ec = platform::daemonize(what))
      return start_failed(name, "cannot go to the background: " + what + ": " + ec.message(), exit_start, remote);
  }
  asio::io_context io(1);
  // Signals first: a SIGTERM right after the "forwarding" lines must still drain and exit 0.
  asio::signal_set sigs(io);
  stop_on_signal(sigs, io);
  client::watch_next_keys(io, cc.opt, cc.req);
  std::vector<std::unique_ptr<client::local_proxy> > proxies;
  std::vector<std::string> listeners;
  for (std::size_t i = 0; i < specs.size(); ++i) {
    const client::forward_spec& spec = specs[i];
    std::unique_ptr<client::local_proxy> p(new client::local_proxy(io, cc.req, socks_mode, spec.service));
    std::string error;
    if (!p->open(spec.bind, spec.port, error)) return start_failed(name, error, exit_start, remote);
    listeners.push_back(std::string(socks_mode ? "SOCKS5 on " : "forwarding ") + text::endpoint_text(p->endpoint()) +
                        (socks_mode ? "" : " to " + text::field_value(spec.service.to_string())) + " via " +
                        cc.opt.host + ":" + std::to_string(cc.opt.port));
    log::notice(listeners.back());
    p->start();
    proxies.push_back(std::move(p));
  }
  platform::daemon_ready();  // -f: the parent exits 0 now that every listener accepts
  platform::ignore_broken_pipe();
  if (remote != nullptr) {  // controls arrive on the service manager's thread: post only
    remote->started([&io, &listeners](platform::control c) {
      asio::post(io, [&io, &listeners, c] { service_control(io, listeners, c); });
    });
  }
  io.run();
  if (remote != nullptr) remote->stopped();
  platform::hold_control_signals();
  return exit_ok;
}

}  // namespace

int cmd_forward(const std::vector<std::string>& args) {
  client_command cc;
  if (!init_tls()) return exit_start;
  if (int code = prepare(args, "forward", 1, cc)) return code;
  if (!setup_client_log(cc, "forward", nullptr, "")) return exit_config;
  return run_proxies(cc, "forward", false, nullptr);
}

int cmd_socks(const std::vector<std::string>& args) {
  client_command cc;
  if (!init_tls()) return exit_start;
  if (int code = prepare(args, "socks", 1, cc)) return code;
  if (!setup_client_log(cc, "socks", nullptr, "")) return exit_config;
  return run_proxies(cc, "socks", true, nullptr);
}

int run_client_service(const std::string& command, const std::vector<std::string>& args, server_remote* remote,
                       const std::string& ident, bool check_only) {
  const bool socks_mode = command == "socks";
  const char* name = socks_mode ? "socks" : "forward";
  client_command cc;
  if (!init_tls()) return exit_start;
  if (int code = prepare(args, name, 1, cc)) return code;
  std::vector<client::forward_spec> specs;
  if (!parse_specs(cc, name, socks_mode, specs)) return exit_usage;
  if (cc.cl.switches.count("background") > 0) {
    std::fprintf(stderr, "tlsmux %s: -f has no use in a service (the service manager runs it)\n", name);
    return exit_usage;
  }
  if (check_only) return exit_ok;
  if (!setup_client_log(cc, name, remote, ident)) return exit_config;
  return run_proxies(cc, name, socks_mode, remote);
}

// `tlsmux list HOST`: the service listing (RFC 1078 HELP over SOCKS5, docs/protocol.md); it
// also records the next key the server announces (key rotation).
int cmd_list(const std::vector<std::string>& args) {
  client_command cc;
  if (!init_tls()) return exit_start;
  if (int code = prepare(args, "list", 1, cc)) return code;
  platform::ignore_broken_pipe();
  asio::io_context io(1);
  int status = exit_runtime;
  const std::string server = cc.opt.host + ":" + std::to_string(cc.opt.port);
  const client::client_options opt = cc.opt;
  const bool learn = !opt.insecure && opt.ca_file.empty();
  client::fetch_help(io, cc.req, [&](bool ok, const client::help_listing& l, const std::string& error) {
    if (!ok) {
      std::fprintf(stderr, "tlsmux list: %s\n", error.c_str());
      return;
    }
    if (learn) client::record_next_pins(opt, l.next_pins);
    std::fputs(client::format_listing(l, server).c_str(), l.off ? stderr : stdout);
    status = l.off ? exit_runtime : exit_ok;
  });
  io.run();
  return status;
}

}  // namespace app
}  // namespace tlsmux
