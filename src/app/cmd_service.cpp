// SPDX-License-Identifier: GPL-2.0-or-later
// `tlsmux service`: the server, or a client `forward` or `socks`, as a Windows service
// (install, start, stop, status, reload, uninstall, and `run`, which the Service Control
// Manager starts). Several services coexist under their own --name.
#include "app/commands.hpp"
#include "app/server_run.hpp"

#include "tlsmux/platform/files.hpp"
#include "tlsmux/platform/service.hpp"
#include "tlsmux/platform/system_log.hpp"

#include <cstdio>
#include <functional>
#include <mutex>

namespace tlsmux {
namespace app {

namespace {

const char* const server_service_name = "tlsmux";

const char* const usage_text =
    "usage: tlsmux service install [--name NAME] [server options]      the server (auto-start)\n"
    "       tlsmux service install [--name NAME] forward|socks [client options] HOST[:PORT]\n"
    "       tlsmux service start|stop|status|reload|uninstall [--name NAME]\n"
    "       tlsmux service run [--name NAME] [forward|socks] [options]  (started by the service manager)\n"
    "NAME: tlsmux for the server, tlsmux-forward or tlsmux-socks for a client, unless given\n";

// What follows install or run: [--name NAME] [forward|socks] ARGS.
struct service_args {
  std::string name;
  std::string mode;  // "" (the server), "forward" or "socks"
  std::vector<std::string> args;
};

bool valid_name(const std::string& n) {
  if (n.empty() || n.size() > 80) return false;
  for (std::size_t i = 0; i < n.size(); ++i) {
    const char c = n[i];
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.'))
      return false;
  }
  return true;
}

// --name NAME or --name=NAME at the front; false with a message on stderr.
bool take_name(const std::string& sub, std::vector<std::string>& rest, std::string& name) {
  if (rest.empty()) return true;
  const std::string& a = rest[0];
  std::size_t used = 0;
  if (a == "--name" && rest.size() > 1) {
    name = rest[1];
    used = 2;
  } else if (a.compare(0, 7, "--name=") == 0) {
    name = a.substr(7);
    used = 1;
  } else if (a == "--name") {
    std::fprintf(stderr, "tlsmux service %s: --name needs a value\n", sub.c_str());
    return false;
  }
  rest.erase(rest.begin(), rest.begin() + static_cast<long>(used));
  if (used != 0 && !valid_name(name)) {
    std::fprintf(stderr, "tlsmux service %s: bad --name '%s' (letters, digits, - _ . only)\n", sub.c_str(), name.c_str());
    return false;
  }
  return true;
}

bool parse_service_args(const std::string& sub, const std::vector<std::string>& in, service_args& out) {
  out.args = in;
  if (!take_name(sub, out.args, out.name)) return false;
  if (!out.args.empty() && (out.args[0] == "forward" || out.args[0] == "socks")) {
    out.mode = out.args[0];
    out.args.erase(out.args.begin());
  }
  if (out.name.empty()) out.name = out.mode.empty() ? server_service_name : "tlsmux-" + out.mode;
  return true;
}

// Options naming files: made absolute at install time, because a service starts in the
// system folder. short_file is the one short option that names a file (-c, -F).
bool is_path_option(const std::string& name, bool client) {
  static const char* const server_names[] = {"config", "cert", "key", "state-dir", "passwd-file",
                                             "client-ca", "log-file", "pid-file", "next-cert", "next-key"};
  static const char* const client_names[] = {"config", "ca", "known-hosts", "password-file", "cert", "key", "log-file"};
  const char* const* names = client ? client_names : server_names;
  const std::size_t n = client ? sizeof client_names / sizeof client_names[0] : sizeof server_names / sizeof server_names[0];
  for (std::size_t i = 0; i < n; ++i)
    if (name == names[i]) return true;
  return false;
}

std::vector<std::string> absolute_args(const std::vector<std::string>& args, bool client) {
  const std::string short_file = client ? "-F" : "-c";
  std::vector<std::string> out;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    bool has_next = i + 1 < args.size();
    if (a == "--") {
      out.insert(out.end(), args.begin() + static_cast<long>(i), args.end());
      break;
    }
    if (a == short_file && has_next) {
      out.push_back(a);
      out.push_back(platform::absolute_path(args[++i]));
    } else if (a.size() > 2 && a.compare(0, 2, short_file) == 0) {
      out.push_back(short_file + platform::absolute_path(a.substr(2)));
    } else if (a.compare(0, 2, "--") == 0) {
      std::string::size_type eq = a.find('=');
      std::string name = a.substr(2, eq == std::string::npos ? std::string::npos : eq - 2);
      if (!is_path_option(name, client)) {
        out.push_back(a);
      } else if (eq != std::string::npos) {
        out.push_back(a.substr(0, eq + 1) + platform::absolute_path(a.substr(eq + 1)));
      } else {
        out.push_back(a);
        if (has_next) out.push_back(platform::absolute_path(args[++i]));
      }
    } else {
      out.push_back(a);
    }
  }
  return out;
}

/// ServiceMain's side: runs the server or the client and hands the manager's controls to
/// its event loop.
class service_runner : public platform::service_handler, public server_remote {
 public:
  explicit service_runner(const service_args& a) : a_(a) {}

  int run() override {
    int code = a_.mode.empty() ? run_server(a_.args, this) : run_client_service(a_.mode, a_.args, this, a_.name, false);
    if (code != exit_ok && !started_) {
      // Configuration errors went to a stderr nobody reads.
      const std::string check = a_.mode.empty() ? "tlsmux server --check ..." : "tlsmux " + a_.mode + " ...";
      platform::system_log_open(a_.name);
      platform::system_log_write(0, "tlsmux service " + a_.name + ": the " + (a_.mode.empty() ? "server" : a_.mode) +
                                        " did not start (exit code " + std::to_string(code) +
                                        "); check its arguments with `" + check + "`");
      platform::system_log_close();
    }
    return code;
  }

  void on_control(platform::control c) override {
    std::lock_guard<std::mutex> lock(mutex_);
    if (post_) post_(c);
    else if (c == platform::control::stop) stop_requested_ = true;
  }

  void started(const std::function<void(platform::control)>& post) override {
    std::lock_guard<std::mutex> lock(mutex_);
    post_ = post;
    started_ = true;
    platform::service_running();
    if (stop_requested_) post_(platform::control::stop);
  }

  void stopped() override {
    std::lock_guard<std::mutex> lock(mutex_);
    post_ = std::function<void(platform::control)>();
  }

 private:
  service_args a_;
  std::mutex mutex_;
  std::function<void(platform::control)> post_;
  bool started_ = false, stop_requested_ = false;
};

int fail(const std::string& step, const std::error_code& ec, const std::string& what) {
  std::fprintf(stderr, "tlsmux service %s: %s: %s\n", step.c_str(), what.c_str(),
               ec.message().c_str());
  return exit_runtime;
}

int install(const service_args& sa) {
  const bool client = !sa.mode.empty();
  std::vector<std::string> args = absolute_args(sa.args, client);
  // Refuse what the service could never run, before registering it.
  int rc = exit_ok;
  if (client) {
    rc = run_client_service(sa.mode, args, nullptr, sa.name, true);
  } else {
    std::vector<std::string> check = args;
    check.push_back("--check");
    rc = cmd_server(check);
  }
  if (rc != exit_ok) return rc;
  platform::service_definition def;
  def.name = sa.name;
  def.display_name = client ? "tlsmux " + sa.mode + " (" + sa.name + ")" : "tlsmux TLS multiplexer";
  def.description = client ? "Local " + std::string(sa.mode == "socks" ? "proxy ports" : "forwards") +
                                 " through a TLSMUX server (tlsmux " + sa.mode + ")."
                           : "TLS access to the cleartext services of this host (TLSMUX).";
  def.args.push_back("service");
  def.args.push_back("run");
  def.args.push_back("--name");
  def.args.push_back(sa.name);
  if (client) def.args.push_back(sa.mode);
  def.args.insert(def.args.end(), args.begin(), args.end());
  std::string what;
  std::error_code ec = platform::service_install(def, what);
  if (ec) return fail("install", ec, what);
  const std::string start = sa.name == server_service_name ? "" : " --name " + sa.name;
  std::printf("installed service %s; start it with `tlsmux service start%s`\n", sa.name.c_str(), start.c_str());
  return exit_ok;
}

int status(const std::string& name) {
  platform::service_state st;
  std::string what;
  std::error_code ec = platform::service_query(name, st, what);
  if (ec) return fail("status", ec, what);
  std::printf("service %s: %s\n", name.c_str(), st.state.c_str());
  if (st.pid != 0) std::printf("pid: %lu\n", st.pid);
  if (st.state == "stopped" && st.exit_code != 0) std::printf("exit code: %lu\n", st.exit_code);
  std::printf("command: %s\n", st.command.c_str());
  if (st.state == "running") {
    // The server answers like SIGUSR2 (a session summary), a client with its listeners: in
    // the service's log.
    ec = platform::service_send(name, platform::control::status, what);
    if (ec) return fail("status", ec, what);
    std::printf("sessions: summary written to the service's log\n");
  }
  return st.state == "running" ? exit_ok : exit_runtime;
}

int run(const std::vector<std::string>& rest) {
  service_args sa;
  if (!parse_service_args("run", rest, sa)) return exit_usage;
  service_runner runner(sa);
  int code = exit_ok;
  std::string what;
  if (!platform::service_dispatch(sa.name, runner, code, what)) {
    std::fprintf(stderr, "tlsmux service run: %s\n", what.c_str());
    return exit_usage;
  }
  return code;
}

}  // namespace

int cmd_service(const std::vector<std::string>& args) {
  if (!platform::service_supported()) {
    std::fprintf(stderr, "tlsmux service: Windows only; on this system run `tlsmux server` "
                         "under the init system (see ports/service/)\n");
    return exit_usage;
  }
  if (args.empty()) {
    std::fputs(usage_text, stderr);
    return exit_usage;
  }
  const std::string& sub = args[0];
  std::vector<std::string> rest(args.begin() + 1, args.end());
  if (sub == "install") {
    service_args sa;
    return parse_service_args(sub, rest, sa) ? install(sa) : exit_usage;
  }
  if (sub == "run") return run(rest);
  std::string name = server_service_name;
  if (!take_name(sub, rest, name)) return exit_usage;
  if (!rest.empty()) {
    std::fprintf(stderr, "tlsmux service %s: unexpected argument '%s'\n", sub.c_str(), rest[0].c_str());
    return exit_usage;
  }
  std::string what;
  std::error_code ec;
  if (sub == "status") return status(name);
  if (sub == "uninstall") ec = platform::service_uninstall(name, what);
  else if (sub == "start") ec = platform::service_start(name, what);
  else if (sub == "stop") ec = platform::service_stop(name, what);
  else if (sub == "reload") ec = platform::service_send(name, platform::control::reload, what);
  else {
    std::fprintf(stderr, "tlsmux service: unknown command '%s'\n%s", sub.c_str(), usage_text);
    return exit_usage;
  }
  if (ec) return fail(sub, ec, what);
  std::printf("service %s: %s done\n", name.c_str(), sub.c_str());
  return exit_ok;
}

}  // namespace app
}  // namespace tlsmux
