// SPDX-License-Identifier: GPL-2.0-or-later
// `tlsmux service`: the server as a Windows service (install, start, stop, status, reload,
// uninstall, and `run`, which the Service Control Manager starts).
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

const char* const service_name = "tlsmux";

const char* const usage_text =
    "usage: tlsmux service install [server options]   register the server (auto-start)\n"
    "       tlsmux service start|stop|status|reload|uninstall\n"
    "       tlsmux service run [server options]       (started by the service manager)\n";

// Server options naming files: made absolute at install time, because a service starts in
// the system folder.
bool is_path_option(const std::string& name) {
  static const char* const names[] = {"config", "cert", "key", "state-dir", "passwd-file",
                                      "client-ca", "log-file", "pid-file", "next-cert", "next-key"};
  for (std::size_t i = 0; i < sizeof names / sizeof names[0]; ++i)
    if (name == names[i]) return true;
  return false;
}

std::vector<std::string> absolute_server_args(const std::vector<std::string>& args) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    bool has_next = i + 1 < args.size();
    if (a == "--") {
      out.insert(out.end(), args.begin() + static_cast<long>(i), args.end());
      break;
    }
    if (a == "-c" && has_next) {
      out.push_back(a);
      out.push_back(platform::absolute_path(args[++i]));
    } else if (a.size() > 2 && a.compare(0, 2, "-c") == 0) {
      out.push_back("-c" + platform::absolute_path(a.substr(2)));
    } else if (a.compare(0, 2, "--") == 0) {
      std::string::size_type eq = a.find('=');
      std::string name = a.substr(2, eq == std::string::npos ? std::string::npos : eq - 2);
      if (!is_path_option(name)) {
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

/// ServiceMain's side: runs the server and hands the manager's controls to its event loop.
class service_runner : public platform::service_handler, public server_remote {
 public:
  explicit service_runner(const std::vector<std::string>& args) : args_(args) {}

  int run() override {
    int code = run_server(args_, this);
    if (code != exit_ok && !started_) {
      // Configuration errors went to a stderr nobody reads.
      platform::system_log_open(service_name);
      platform::system_log_write(0, "tlsmux service: the server did not start (exit code " +
                                        std::to_string(code) + "); check its arguments with "
                                        "`tlsmux server --check ...`");
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
  std::vector<std::string> args_;
  std::mutex mutex_;
  std::function<void(platform::control)> post_;
  bool started_ = false, stop_requested_ = false;
};

int fail(const std::string& step, const std::error_code& ec, const std::string& what) {
  std::fprintf(stderr, "tlsmux service %s: %s: %s\n", step.c_str(), what.c_str(),
               ec.message().c_str());
  return exit_runtime;
}

int install(const std::vector<std::string>& server_args) {
  std::vector<std::string> args = absolute_server_args(server_args);
  // Refuse what the service could never run, before registering it.
  std::vector<std::string> check = args;
  check.push_back("--check");
  int rc = cmd_server(check);
  if (rc != exit_ok) return rc;
  platform::service_definition def;
  def.name = service_name;
  def.display_name = "tlsmux TLS multiplexer";
  def.description = "TLS access to the cleartext services of this host (TLSMUX).";
  def.args.push_back("service");
  def.args.push_back("run");
  def.args.insert(def.args.end(), args.begin(), args.end());
  std::string what;
  std::error_code ec = platform::service_install(def, what);
  if (ec) return fail("install", ec, what);
  std::printf("installed service %s; start it with `tlsmux service start`\n", service_name);
  return exit_ok;
}

int status() {
  platform::service_state st;
  std::string what;
  std::error_code ec = platform::service_query(service_name, st, what);
  if (ec) return fail("status", ec, what);
  std::printf("service %s: %s\n", service_name, st.state.c_str());
  if (st.pid != 0) std::printf("pid: %lu\n", st.pid);
  if (st.state == "stopped" && st.exit_code != 0) std::printf("exit code: %lu\n", st.exit_code);
  std::printf("command: %s\n", st.command.c_str());
  if (st.state == "running") {
    // The server answers like SIGUSR2: a session summary in its log.
    ec = platform::service_send(service_name, platform::control::status, what);
    if (ec) return fail("status", ec, what);
    std::printf("sessions: summary written to the service's log\n");
  }
  return st.state == "running" ? exit_ok : exit_runtime;
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
  if (sub == "install") return install(rest);
  if (sub == "run") {
    service_runner runner(rest);
    int code = exit_ok;
    std::string what;
    if (!platform::service_dispatch(service_name, runner, code, what)) {
      std::fprintf(stderr, "tlsmux service run: %s\n", what.c_str());
      return exit_usage;
    }
    return code;
  }
  if (!rest.empty()) {
    std::fprintf(stderr, "tlsmux service %s: unexpected argument '%s'\n", sub.c_str(), rest[0].c_str());
    return exit_usage;
  }
  std::string what;
  std::error_code ec;
  if (sub == "status") return status();
  if (sub == "uninstall") ec = platform::service_uninstall(service_name, what);
  else if (sub == "start") ec = platform::service_start(service_name, what);
  else if (sub == "stop") ec = platform::service_stop(service_name, what);
  else if (sub == "reload") ec = platform::service_send(service_name, platform::control::reload, what);
  else {
    std::fprintf(stderr, "tlsmux service: unknown command '%s'\n%s", sub.c_str(), usage_text);
    return exit_usage;
  }
  if (ec) return fail(sub, ec, what);
  std::printf("service %s: %s done\n", service_name, sub.c_str());
  return exit_ok;
}

}  // namespace app
}  // namespace tlsmux
