// SPDX-License-Identifier: GPL-2.0-or-later
// The subcommands of the single tlsmux binary and their documented exit codes.
#ifndef TLSMUX_APP_COMMANDS_HPP
#define TLSMUX_APP_COMMANDS_HPP

#include "config/flags.hpp"

#include <string>
#include <vector>

namespace tlsmux {
namespace app {

/// Exit codes (tlsmux(1), EXIT STATUS).
enum exit_code {
  exit_ok = 0,
  exit_config = 1,   ///< the configuration or an input file is invalid
  exit_usage = 2,    ///< bad command line
  exit_start = 3,    ///< cannot start: bind, certificates, entropy, daemonising
  exit_runtime = 4   ///< failed while running (client: connection or TLS failure)
};

/// A subcommand's usage and options: its parser and its --help read the same table.
struct command_options {
  std::string usage;
  config::option_table options;
};
/// The options of subcommand name ("server", "connect", "bench serve", ...); false when
/// there is no such subcommand.
bool options_of(const std::string& name, command_options& out);
config::option_table server_options();
config::option_table client_options(const std::string& command);
config::option_table keygen_options();
config::option_table passwd_options();
config::option_table bench_options();
config::option_table bench_serve_options();
config::option_table status_options();

/// `tlsmux server`.
int cmd_server(const std::vector<std::string>& args);
/// `tlsmux keygen`.
int cmd_keygen(const std::vector<std::string>& args);
/// `tlsmux fingerprint FILE`.
int cmd_fingerprint(const std::vector<std::string>& args);
/// `tlsmux passwd FILE USER`.
int cmd_passwd(const std::vector<std::string>& args);
/// `tlsmux connect HOST[:PORT] SERVICE`.
int cmd_connect(const std::vector<std::string>& args);
/// `tlsmux forward -L ... HOST[:PORT]`.
int cmd_forward(const std::vector<std::string>& args);
/// `tlsmux socks -D ... HOST[:PORT]`.
int cmd_socks(const std::vector<std::string>& args);
/// `tlsmux list HOST[:PORT]`: the services this client may use.
int cmd_list(const std::vector<std::string>& args);
/// `tlsmux known-hosts list [HOST[:PORT]]` and `tlsmux known-hosts remove HOST[:PORT]`.
int cmd_known_hosts(const std::vector<std::string>& args);
config::option_table known_hosts_options();
/// `tlsmux service install|uninstall|start|stop|status|reload|run` (Windows only).
int cmd_service(const std::vector<std::string>& args);
/// `tlsmux bench MODE ...` (load generator) and `tlsmux bench serve` (its targets).
int cmd_bench(const std::vector<std::string>& args);
int cmd_status(const std::vector<std::string>& args);
/// Prints the version block of `tlsmux --version`.
void print_version();

}  // namespace app
}  // namespace tlsmux

#endif
