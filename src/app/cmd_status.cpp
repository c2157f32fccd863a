// SPDX-License-Identifier: GPL-2.0-or-later
// `tlsmux status`: asks the running server on the control socket of its state directory.
#include "app/commands.hpp"
#include "app/server_run.hpp"

#include "config/server_load.hpp"
#include "tlsmux/platform/control_socket.hpp"
#include "tlsmux/platform/files.hpp"

#include <cstdio>

namespace tlsmux {
namespace app {

config::option_table status_options() {
  config::option_table t;
  config::add_option(t, "config", 'c', "FILE", "", "the server's configuration file (for its state-dir and user)");
  config::add_option(t, "state-dir", 0, "DIR", "/var/lib/tlsmux as root, else ~/.tlsmux",
                     "the running server's state directory");
  config::add_option(t, "json", 0, "", "", "print the report as one JSON object");
  return t;
}

namespace {

// The state directory and service user the server would use with the same -c and --state-dir.
bool locate(const config::command_line& cl, config::server_config& cfg) {
  config::server_sources src;
  for (std::size_t i = 0; i < cl.entries.size(); ++i) {
    if (cl.entries[i].key == "config") src.file = platform::absolute_path(cl.entries[i].value);
    else src.flags.push_back(cl.entries[i]);
  }
  config::resolve_entry_paths(src.flags, host_paths());
  std::vector<config::error> errors;
  if (config::load_server_config(src, host_paths(), cfg, errors)) return true;
  for (std::size_t i = 0; i < errors.size(); ++i)
    std::fprintf(stderr, "tlsmux status: %s\n", errors[i].to_string().c_str());
  return false;
}

}  // namespace

int cmd_status(const std::vector<std::string>& args) {
  config::command_line cl;
  std::vector<config::error> errors;
  if (!config::parse_flags(args, status_options(), cl, errors) || !cl.positional.empty()) {
    for (std::size_t i = 0; i < errors.size(); ++i) std::fprintf(stderr, "tlsmux: %s\n", errors[i].to_string().c_str());
    if (!cl.positional.empty()) std::fprintf(stderr, "tlsmux status: unexpected argument '%s'\n", cl.positional[0].c_str());
    return exit_usage;
  }
  config::server_config cfg;
  if (!locate(cl, cfg)) return exit_config;
  // Whoever can write to the directory could put a socket of their own in the server's place.
  const std::string why = platform::unsafe_dir_reason(cfg.state_dir, cfg.user);
  if (!why.empty()) {
    std::fprintf(stderr, "tlsmux status: state directory %s %s: refusing to trust a socket there\n",
                 cfg.state_dir.c_str(), why.c_str());
    return exit_config;
  }
  const std::string path = platform::join_path(cfg.state_dir, platform::control_socket_name);
  std::string reply, what;
  const char* request = cl.switches.count("json") ? "status json\n" : "status\n";
  if (!platform::control_request(path, request, 10000, reply, what)) {
    std::fprintf(stderr, "tlsmux status: %s\n", what.c_str());
    return exit_runtime;
  }
  std::fputs(reply.c_str(), stdout);
  return reply.compare(0, 6, "error:") == 0 ? exit_runtime : exit_ok;
}

}  // namespace app
}  // namespace tlsmux
