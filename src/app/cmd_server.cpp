// SPDX-License-Identifier: GPL-2.0-or-later
// `tlsmux server`: configuration, zero-config identity, logging, signals and the event loop.
#include "app/commands.hpp"
#include "app/explain.hpp"
#include "app/server_control.hpp"
#include "app/server_run.hpp"
#include "app/startup_log.hpp"

#include "config/flags.hpp"
#include "config/server_load.hpp"
#include "log/logger.hpp"
#include "server/control_server.hpp"
#include "server/first_run.hpp"
#include "server/reach_address.hpp"
#include "server/server.hpp"
#include "tls/context.hpp"
#include "tls/pin.hpp"
#include "tlsmux/version.hpp"
#include "tlsmux/platform/activation.hpp"
#include "tlsmux/platform/control_socket.hpp"
#include "tlsmux/platform/files.hpp"
#include "tlsmux/platform/host.hpp"
#include "tlsmux/platform/local_addresses.hpp"
#include "tlsmux/platform/paths.hpp"
#include "tlsmux/platform/privileges.hpp"
#include "tlsmux/platform/process.hpp"
#include "tlsmux/platform/signals.hpp"
#include "tlsmux/platform/sockets.hpp"

#include <asio/io_context.hpp>
#include <asio/post.hpp>
#include <asio/signal_set.hpp>
#include <cstdio>
#include <iostream>

namespace tlsmux {
namespace app {

namespace {

struct server_run_options {
  config::server_sources sources;
  bool check = false, daemon = false, inetd = false, explain = false, json = false;
};

void print_errors(const std::vector<config::error>& errors) {
  for (std::size_t i = 0; i < errors.size(); ++i)
    std::fprintf(stderr, "tlsmux: %s\n", errors[i].to_string().c_str());
}

// OpenSSH's StrictModes for the state directory: whoever can write there can replace the
// key and certificate the server loads from it.
bool state_dir_safe(const config::server_config& cfg, std::string& error) {
  const std::string why = platform::unsafe_dir_reason(cfg.state_dir, cfg.user);
  if (why.empty()) return true;
  error = "state directory " + cfg.state_dir + " " + why +
          ": whoever can write there can replace the server's key; make it owned by the "
          "service user and not writable by others (chmod go-w)";
  return false;
}

bool load_config(const server_run_options& opt, config::server_config& cfg, std::vector<config::error>& errors) {
  return config::load_server_config(opt.sources, host_paths(), cfg, errors);
}

bool setup_logging(const config::server_config& cfg, bool detached, bool daemon, std::string& error) {
  log::level lvl = log::level::info;
  log::parse_level(cfg.log_level, lvl);
  log::set_level(lvl);
  std::unique_ptr<log::sink> s;
  if (!cfg.log_file.empty()) {
    s = log::make_file_sink(cfg.log_file, error);
    if (!s) return false;
  } else if (cfg.syslog || detached) {
    // Under inetd stderr may be the client's socket, and a daemon's stderr is /dev/null.
    s = log::make_system_sink("tlsmux");
  }
  if (s && daemon) s = make_startup_sink(std::move(s));
  if (s) log::set_sink(std::move(s));
  return true;
}

// `pin` is computed before privileges are dropped: after a chroot the certificate's path
// no longer resolves, and after setuid() it may no longer be readable.
void print_pin(const std::string& pin, const server::server& srv) {
  std::vector<asio::ip::tcp::endpoint> eps = srv.endpoints();
  asio::ip::tcp::endpoint first(asio::ip::address_v4::any(), config::default_port);
  if (!eps.empty()) first = eps[0];
  std::vector<asio::ip::address> own;
  std::string what;
  if (first.address().is_unspecified()) platform::local_addresses(own, what);
  std::cout << "server pin: " << pin << "\n"
            << "client command: tlsmux connect --pin " << pin << " "
            << server::reach_address(first, platform::host_name(), own) << " SERVICE" << std::endl;
}

void watch_signals(asio::signal_set& sigs, server::server& srv) {
  sigs.async_wait([&sigs, &srv](const std::error_code& ec, int signo) {
    if (ec) return;
    apply_control(srv, platform::control_for_signal(signo));
    watch_signals(sigs, srv);
  });
}

bool parse_server_args(const std::vector<std::string>& args, server_run_options& opt) {
  std::vector<config::error> errors;
  config::command_line cl;
  if (!config::parse_flags(args, server_options(), cl, errors) || !cl.positional.empty()) {
    print_errors(errors);
    if (!cl.positional.empty())
      std::fprintf(stderr, "tlsmux server: unexpected argument '%s'\n", cl.positional[0].c_str());
    return false;
  }
  for (std::size_t i = 0; i < cl.entries.size(); ++i)
    if (cl.entries[i].key == "config") opt.sources.file = platform::absolute_path(cl.entries[i].value);
  // Flags name files against the directory the server was started in, once: a reload after
  // --daemon (which changes to "/") re-reads them as they are now.
  config::resolve_entry_paths(cl.entries, host_paths());
  opt.sources.flags = cl.entries;
  opt.check = cl.switches.count("check") > 0;
  opt.daemon = cl.switches.count("daemon") > 0;
  opt.inetd = cl.switches.count("inetd") > 0;
  opt.explain = cl.switches.count("explain") > 0;
  opt.json = cl.switches.count("json") > 0;
  if ((opt.explain && !opt.check) || (opt.json && !opt.explain)) {
    std::fprintf(stderr, "tlsmux server: --explain goes with --check, and --json with --explain\n");
    return false;
  }
  return true;
}

int run(const server_run_options& opt, const config::server_config& cfg, server_remote* remote);

// What one process per connection gives up, and what it keeps (docs/security.md section 5).
void warn_inetd(const config::server_config& cfg) {
  std::printf("warning: under --inetd every connection is a process of its own: max-sessions, max-startups and "
              "max-sessions-per-client do not apply; set the limits in the super-server (xinetd: "
              "instances, per_source; systemd: MaxConnections=, MaxConnectionsPerSource=)\n");
  if (!cfg.passwd_file.empty())
    std::printf("note: under --inetd the login throttle is shared by the processes through %s\n",
                platform::join_path(cfg.state_dir, server::inetd_throttle_file).c_str());
}

// --check: the configuration, and what it names unless the first start is to generate it.
int check_only(const server_run_options& opt, const config::server_config& cfg) {
  const std::string name = opt.sources.name();
  if (opt.explain) return explain_exposure(cfg, opt.json);
  if (opt.inetd) warn_inetd(cfg);
  std::vector<std::string> bind_errors;
  bool can = opt.inetd || server::can_listen(cfg.listen, bind_errors);
  if (can && !opt.inetd && cfg.ident) {  // the responder's port, as the start would bind it
    asio::io_context probe(1);
    identity::ident_registry none;
    server::ident_responder responder(probe, none);
    can = responder.open(cfg.ident_listen, bind_errors);
  }
  if (!can) {
    for (std::size_t i = 0; i < bind_errors.size(); ++i)
      std::fprintf(stderr, "tlsmux: %s\n", bind_errors[i].c_str());
    return exit_start;
  }
  if (config::default_identity(cfg, host_paths()) && !platform::file_exists(cfg.cert)) {
    std::printf("%s: configuration OK; the first start generates a key and certificate in %s\n",
                name.c_str(), cfg.state_dir.c_str());
    return exit_ok;
  }
  std::vector<std::string> errors;
  if (!server::load_snapshot(cfg, std::vector<std::uint16_t>(), errors)) {
    for (std::size_t i = 0; i < errors.size(); ++i) std::fprintf(stderr, "tlsmux: %s\n", errors[i].c_str());
    return exit_config;
  }
  std::printf("%s: configuration OK\n", name.c_str());
  return exit_ok;
}

}  // namespace

// config/ places files with the platform's rules.
config::path_rules host_paths() {
  config::path_rules p;
  p.default_state_dir = platform::default_state_dir;
  p.absolute = platform::absolute_path;
  p.join = platform::join_path;
  p.absolute_in = platform::absolute_path_in;
  p.directory_of = platform::directory_of;
  return p;
}

int cmd_server(const std::vector<std::string>& args) { return run_server(args, nullptr); }

int run_server(const std::vector<std::string>& args, server_remote* remote) {
  server_run_options opt;
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
  if (!state_dir_safe(cfg, error)) {
    std::fprintf(stderr, "tlsmux: %s\n", error.c_str());
    return exit_config;
  }
  if (opt.check) return check_only(opt, cfg);
  if (!setup_logging(cfg, opt.inetd || opt.daemon || remote != nullptr, opt.daemon, error) ||
      !server::ensure_identity(cfg, config::default_identity(cfg, host_paths()), error)) {
    std::fprintf(stderr, "tlsmux: %s\n", error.c_str());
    return exit_start;
  }
  return run(opt, cfg, remote);
}

namespace {

// Listens, or under --inetd serves the connection on stdin. Logs what failed.
bool open_server(const server_run_options& opt, const config::server_config& cfg, asio::io_context& io,
                 server::server& srv) {
  std::vector<std::string> errors;
  bool started = false;
  if (opt.inetd) {
    std::string what;
    platform::socket_handle fd = platform::stdin_socket(what);
    bool have = fd != platform::invalid_socket;
    asio::ip::tcp::socket s(io);
    std::error_code ec;
    if (have) s.assign(platform::socket_family(fd) == 6 ? asio::ip::tcp::v6() : asio::ip::tcp::v4(), fd, ec);
    if (!have || ec) errors.push_back("--inetd: " + (!have ? what : ec.message()));
    else started = srv.start_single(cfg, std::move(s), errors);
  } else {
    // systemd's Accept=no socket activation: the sockets it listens on replace `listen =`.
    std::vector<platform::socket_handle> adopted = platform::inherited_listeners(errors);
    if (errors.empty()) started = srv.start(cfg, errors, adopted);
  }
  for (std::size_t i = 0; i < errors.size(); ++i) log::error(errors[i]);
  return started;
}

// user, group and chroot; then the entropy source must still be reachable.
bool drop_privileges(const config::server_config& cfg) {
  if (cfg.user.empty() && cfg.group.empty() && cfg.chroot_dir.empty()) return true;
  std::string what;
  std::error_code ec = platform::drop_privileges(cfg.user, cfg.group, cfg.chroot_dir, what);
  if (ec) {
    log::error(what + ": " + ec.message());
    return false;
  }
  std::string entropy;
  if (!cfg.chroot_dir.empty() && !tls::entropy_available(entropy)) {
    log::error("after chroot to " + cfg.chroot_dir + ": " + entropy);
    return false;
  }
  return true;
}

std::string format_status(server::server_status st, server::control_command c) {
  st.version = TLSMUX_VERSION;
  st.pid = static_cast<std::uint64_t>(platform::process_id());
  return c == server::control_command::status_json ? server::status_json(st) : server::status_text(st);
}

// `tlsmux status` reaches the daemon here; created before a chroot hides the state directory,
// owned by the account the server drops to. A server runs on without it.
void open_control(const server_run_options& opt, const config::server_config& cfg, server::control_server& c) {
  if (opt.inetd) return;
  std::string what;
  std::error_code ec = platform::make_private_dir(cfg.state_dir);
  if (ec) what = "cannot create state directory " + cfg.state_dir + ": " + ec.message();
  else c.open(platform::join_path(cfg.state_dir, platform::control_socket_name), cfg.user, what);
  if (!what.empty()) log::warning(what + "; tlsmux status will not reach this server");
}

bool detach(asio::io_context& io) {
  std::string what;
  io.notify_fork(asio::io_context::fork_prepare);
  std::error_code ec = platform::daemonize(what);
  if (ec) {
    log::error(what + ": " + ec.message());
    return false;
  }
  io.notify_fork(asio::io_context::fork_child);
  startup_sink_detached();
  return true;
}

int run(const server_run_options& opt, const config::server_config& cfg, server_remote* remote) {
  platform::ignore_broken_pipe();
  asio::io_context io(1);
  server_run_options reload_opt = opt;
  server::server srv(io, [reload_opt](config::server_config& fresh, std::vector<std::string>& out) {
    std::vector<config::error> errors;
    bool ok = load_config(reload_opt, fresh, errors);
    for (std::size_t i = 0; i < errors.size(); ++i) out.push_back(errors[i].to_string());
    return ok;
  });
  if (!open_server(opt, cfg, io, srv)) return exit_start;
  server::control_server control(io, [&srv](server::control_command c,
                                            std::function<void(const std::string&)> reply) {
    srv.collect_status([c, reply](const server::server_status& st) { reply(format_status(st, c)); });
  });
  open_control(opt, cfg, control);
  std::string notify_error;  // before a chroot hides $NOTIFY_SOCKET's path
  if (!platform::open_service_notifier(notify_error) && !notify_error.empty()) log::warning(notify_error);
  std::string pin_error;
  std::string pin = opt.inetd ? std::string() : tls::spki_pin_of_pem_file(cfg.cert, pin_error);
  if (!drop_privileges(cfg)) return exit_start;
  if (remote != nullptr) log::notice("server pin: " + pin);
  else if (!opt.inetd) print_pin(pin, srv);
  if (opt.daemon && !detach(io)) return exit_start;
  if (!cfg.pid_file.empty()) {
    std::string what;
    std::error_code ec = platform::write_pid_file(cfg.pid_file, what);
    if (ec) log::error(what + ": " + ec.message());
  }
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
  platform::daemon_ready();  // the parent exits 0: the daemon listens and serves
  if (!opt.inetd) notify_ready(srv);
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
