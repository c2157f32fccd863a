// SPDX-License-Identifier: GPL-2.0-or-later
// `tlsmux server`: configuration, zero-config identity, logging, signals and the event loop.
#include "app/commands.hpp"
#include "app/server_run.hpp"

#include "config/flags.hpp"
#include "config/server_config.hpp"
#include "log/logger.hpp"
#include "server/server.hpp"
#include "tls/context.hpp"
#include "tls/keygen.hpp"
#include "tls/pin.hpp"
#include "tlsmux/platform/files.hpp"
#include "tlsmux/platform/process.hpp"
#include "tlsmux/platform/signals.hpp"

#include <asio/io_context.hpp>
#include <asio/post.hpp>
#include <asio/signal_set.hpp>
#include <cstdio>
#include <iostream>

namespace tlsmux {
namespace app {

namespace {

struct server_options {
  config::command_line cl;
  std::string config_file;
  bool check = false, daemon = false, inetd = false;
};

void print_errors(const std::vector<config::error>& errors) {
  for (std::size_t i = 0; i < errors.size(); ++i)
    std::fprintf(stderr, "tlsmux: %s\n", errors[i].to_string().c_str());
}

// Builds the configuration: defaults, then the file, then command-line flags.
bool load_config(const server_options& opt, config::server_config& cfg,
                 std::vector<config::error>& errors) {
  cfg = config::server_config();
  std::vector<config::entry> entries;
  if (!opt.config_file.empty()) config::parse_ini_file(opt.config_file, entries, errors);
  for (std::size_t i = 0; i < opt.cl.entries.size(); ++i)
    if (opt.cl.entries[i].key != "config") entries.push_back(opt.cl.entries[i]);
  if (!errors.empty()) return false;
  config::apply_entries(entries, cfg, errors);
  if (cfg.listen.empty()) cfg.listen.push_back("*:" + std::to_string(config::default_port));
  if (cfg.state_dir.empty()) cfg.state_dir = platform::default_state_dir();
  if (cfg.cert.empty() != cfg.key.empty()) {
    config::error e;
    e.file = opt.config_file.empty() ? "command line" : opt.config_file;
    e.message = "cert and key must be given together";
    errors.push_back(e);
  }
  if (cfg.cert.empty()) {
    cfg.cert = platform::join_path(cfg.state_dir, "server.crt");
    cfg.key = platform::join_path(cfg.state_dir, "server.key");
  }
  // Absolute paths: a reload after --daemon (which changes to "/") finds the same files.
  std::string* paths[] = {&cfg.cert, &cfg.key, &cfg.state_dir, &cfg.passwd_file, &cfg.client_ca,
                          &cfg.log_file, &cfg.pid_file, &cfg.chroot_dir};
  for (std::size_t i = 0; i < sizeof paths / sizeof paths[0]; ++i) *paths[i] = platform::absolute_path(*paths[i]);
  config::validate(cfg, errors);
  return errors.empty();
}

// The zero-config identity lives in the state directory; explicit cert/key paths are never
// filled in behind the admin's back.
bool default_identity(const config::server_config& cfg) {
  return cfg.cert == platform::join_path(cfg.state_dir, "server.crt") &&
         cfg.key == platform::join_path(cfg.state_dir, "server.key");
}

// Zero-config first run: make a key and certificate in the state directory if missing.
bool ensure_identity(const config::server_config& cfg, std::string& error) {
  if (!default_identity(cfg) || platform::file_exists(cfg.cert) || platform::file_exists(cfg.key))
    return true;
  std::error_code ec = platform::make_private_dir(cfg.state_dir);
  if (ec) {
    error = "cannot create state directory " + cfg.state_dir + ": " + ec.message();
    return false;
  }
  std::string host = platform::host_name(), key_pem, cert_pem;
  std::vector<std::string> dns(1, host), ips;
  if (host != "localhost") dns.push_back("localhost");
  ips.push_back("127.0.0.1");
  ips.push_back("::1");
  if (!tls::generate_self_signed(host, dns, ips, 3650, key_pem, cert_pem, error)) return false;
  ec = platform::write_private_file(cfg.key, key_pem);
  if (!ec) ec = platform::write_file(cfg.cert, cert_pem);
  if (ec) {
    error = "cannot write " + cfg.key + " / " + cfg.cert + ": " + ec.message();
    return false;
  }
  log::notice("generated a new ECDSA P-256 key and self-signed certificate in " + cfg.state_dir);
  return true;
}

bool setup_logging(const config::server_config& cfg, bool detached, std::string& error) {
  log::level lvl = log::level::info;
  log::parse_level(cfg.log_level, lvl);
  log::set_level(lvl);
  if (!cfg.log_file.empty()) {
    std::unique_ptr<log::sink> s = log::make_file_sink(cfg.log_file, error);
    if (!s) return false;
    log::set_sink(std::move(s));
  } else if (cfg.syslog || detached) {
    // Under inetd stderr may be the client's socket, and a daemon's stderr is /dev/null.
    log::set_sink(log::make_system_sink("tlsmux"));
  }
  return true;
}

// `pin` is computed before privileges are dropped: after a chroot the certificate's path
// no longer resolves, and after setuid() it may no longer be readable.
void print_pin(const std::string& pin, const server::server& srv) {
  std::vector<asio::ip::tcp::endpoint> eps = srv.endpoints();
  unsigned port = eps.empty() ? config::default_port : eps[0].port();
  std::cout << "server pin: " << pin << "\n"
            << "client command: tlsmux connect --pin " << pin << " " << platform::host_name()
            << ":" << port << " SERVICE" << std::endl;
}

void apply_control(server::server& srv, platform::control c) {
  switch (c) {
    case platform::control::stop: srv.shutdown(); break;
    case platform::control::reload: srv.reload(); break;
    case platform::control::reopen_log: log::reopen(); break;
    case platform::control::status: srv.dump_status(); break;
    case platform::control::none: break;
  }
}

void watch_signals(asio::signal_set& sigs, server::server& srv) {
  sigs.async_wait([&sigs, &srv](const std::error_code& ec, int signo) {
    if (ec) return;
    apply_control(srv, platform::control_for_signal(signo));
    watch_signals(sigs, srv);
  });
}

bool parse_server_args(const std::vector<std::string>& args, server_options& opt) {
  std::set<std::string> switches;
  switches.insert("check");
  switches.insert("daemon");
  switches.insert("inetd");
  std::vector<std::pair<char, std::string> > aliases;
  aliases.push_back(std::make_pair('c', std::string("config")));
  std::vector<config::error> errors;
  if (!config::parse_flags(args, switches, aliases, opt.cl, errors) || !opt.cl.positional.empty()) {
    print_errors(errors);
    if (!opt.cl.positional.empty())
      std::fprintf(stderr, "tlsmux server: unexpected argument '%s'\n", opt.cl.positional[0].c_str());
    return false;
  }
  for (std::size_t i = 0; i < opt.cl.entries.size(); ++i)
    if (opt.cl.entries[i].key == "config") opt.config_file = platform::absolute_path(opt.cl.entries[i].value);
  opt.check = opt.cl.switches.count("check") > 0;
  opt.daemon = opt.cl.switches.count("daemon") > 0;
  opt.inetd = opt.cl.switches.count("inetd") > 0;
  return true;
}

int run(const server_options& opt, const config::server_config& cfg, server_remote* remote);

}  // namespace

int cmd_server(const std::vector<std::string>& args) { return run_server(args, nullptr); }

int run_server(const std::vector<std::string>& args, server_remote* remote) {
  server_options opt;
  if (!parse_server_args(args, opt)) return exit_usage;
  if (remote != nullptr && (opt.check || opt.daemon || opt.inetd)) {
    std::fprintf(stderr, "tlsmux: --check, --daemon and --inetd do not apply to a service\n");
    return exit_usage;
  }
  config::server_config cfg;
  std::vector<config::error> errors;
  if (!load_config(opt, cfg, errors)) {
    print_errors(errors);
    return exit_config;
  }
  std::string error;
  if (!tls::library_init(error)) {
    std::fprintf(stderr, "tlsmux: %s\n", error.c_str());
    return exit_start;
  }
  if (cfg.daemon && remote == nullptr) opt.daemon = true;
  if (opt.check) {
    if (default_identity(cfg) && !platform::file_exists(cfg.cert)) {
      std::printf("%s: configuration OK; the first start generates a key and certificate in %s\n",
                  opt.config_file.empty() ? "command line" : opt.config_file.c_str(), cfg.state_dir.c_str());
      return exit_ok;
    }
    std::vector<std::string> rerrors;
    if (!server::make_runtime(cfg, std::vector<std::uint16_t>(), rerrors)) {
      for (std::size_t i = 0; i < rerrors.size(); ++i) std::fprintf(stderr, "tlsmux: %s\n", rerrors[i].c_str());
      return exit_config;
    }
    std::printf("%s: configuration OK\n", opt.config_file.empty() ? "command line" : opt.config_file.c_str());
    return exit_ok;
  }
  if (!setup_logging(cfg, opt.inetd || opt.daemon || remote != nullptr, error) ||
      !ensure_identity(cfg, error)) {
    std::fprintf(stderr, "tlsmux: %s\n", error.c_str());
    return exit_start;
  }
  return run(opt, cfg, remote);
}

namespace {

int run(const server_options& opt, const config::server_config& cfg, server_remote* remote) {
  platform::ignore_broken_pipe();
  asio::io_context io(1);
  server_options reload_opt = opt;
  server::server srv(io, [reload_opt](config::server_config& fresh, std::vector<std::string>& out) {
    std::vector<config::error> errors;
    bool ok = load_config(reload_opt, fresh, errors);
    for (std::size_t i = 0; i < errors.size(); ++i) out.push_back(errors[i].to_string());
    return ok;
  });
  std::vector<std::string> errors;
  bool started = false;
  if (opt.inetd) {
    std::string what;
    int fd = platform::stdin_socket(what);
    asio::ip::tcp::socket s(io);
    std::error_code ec;
    if (fd >= 0) s.assign(platform::socket_family(fd) == 6 ? asio::ip::tcp::v6() : asio::ip::tcp::v4(), fd, ec);
    if (fd < 0 || ec) errors.push_back("--inetd: " + (fd < 0 ? what : ec.message()));
    else started = srv.start_single(cfg, std::move(s), errors);
  } else {
    started = srv.start(cfg, errors);
  }
  if (!started) {
    for (std::size_t i = 0; i < errors.size(); ++i) log::error(errors[i]);
    return exit_start;
  }
  std::string pin_error;
  std::string pin = opt.inetd ? std::string() : tls::spki_pin_of_pem_file(cfg.cert, pin_error);
  if (!cfg.user.empty() || !cfg.group.empty() || !cfg.chroot_dir.empty()) {
    std::string what;
    std::error_code ec = platform::drop_privileges(cfg.user, cfg.group, cfg.chroot_dir, what);
    if (ec) {
      log::error(what + ": " + ec.message());
      return exit_start;
    }
    std::string entropy;
    if (!cfg.chroot_dir.empty() && !tls::entropy_available(entropy)) {
      log::error("after chroot to " + cfg.chroot_dir + ": " + entropy);
      return exit_start;
    }
  }
  if (remote != nullptr) log::notice("server pin: " + pin);
  else if (!opt.inetd) print_pin(pin, srv);
  if (opt.daemon) {
    std::string what;
    io.notify_fork(asio::io_context::fork_prepare);
    std::error_code ec = platform::daemonize(what);
    if (ec) {
      log::error(what + ": " + ec.message());
      return exit_start;
    }
    io.notify_fork(asio::io_context::fork_child);
  }
  if (!cfg.pid_file.empty()) {
    std::string what;
    std::error_code ec = platform::write_pid_file(cfg.pid_file, what);
    if (ec) log::error(what + ": " + ec.message());
  }
  platform::daemon_ready();
  asio::signal_set sigs(io);
  platform::add_control_signals(sigs);
  watch_signals(sigs, srv);
  if (remote != nullptr) {  // controls arrive on the service manager's thread: post only
    remote->started([&io, &srv](platform::control c) {
      asio::post(io, [&srv, c] { apply_control(srv, c); });
    });
  }
  std::string thread_error;
  if (!srv.start_threads(cfg.threads, thread_error)) {
    log::error(thread_error);
    srv.stop_threads();
    return exit_start;
  }
  io.run();
  srv.stop_threads();
  platform::hold_control_signals();
  if (remote != nullptr) remote->stopped();
  if (!cfg.pid_file.empty()) platform::remove_pid_file(cfg.pid_file);
  log::notice("exiting");
  return exit_ok;
}

}  // namespace

}  // namespace app
}  // namespace tlsmux
