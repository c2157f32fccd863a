// SPDX-License-Identifier: GPL-2.0-or-later
// tlsmux: dispatch to the subcommands.
#include "app/commands.hpp"

#include <cstdio>
#include <cstring>

namespace {

const char* const usage_text =
    "usage: tlsmux COMMAND [options]\n"
    "\n"
    "commands:\n"
    "  server [-c FILE] [options]   run the TLSMUX daemon (default port 4430)\n"
    "  connect [opts] HOST[:PORT] SERVICE   pipe stdin/stdout to SERVICE (ssh ProxyCommand)\n"
    "  forward [opts] -L [BIND:]LPORT:SERVICE ... HOST[:PORT]   local port forwards\n"
    "  socks [opts] -D [BIND:]PORT HOST[:PORT]   local SOCKS5 server carried over TLSMUX\n"
    "  list [opts] HOST[:PORT]      the services this client may use on the server\n"
    "  known-hosts list [HOST] | remove HOST   the remembered server keys (like ssh-keygen -R)\n"
    "  keygen [--cert F --key F]    make an ECDSA P-256 key and self-signed certificate\n"
    "  fingerprint FILE             print a certificate's SPKI pin (sha256:...)\n"
    "  passwd FILE USER             add or change a user in a password file\n"
    "  status [-c FILE | --state-dir DIR] [--json]   sessions, limits and counters of the\n"
    "                               running server (its control socket)\n"
    "  bench MODE [opts] HOST[:PORT] SERVICE   load generator (bulk, rate, latency, idle, serve)\n"
    "  service install|start|stop|status|reload|uninstall [--name NAME]   Windows service:\n"
    "                               the server, or forward|socks after install\n"
    "  --version                    print versions of tlsmux, wolfSSL, Asio and the reactor\n"
    "\n"
    "\n"
    "client options: --pin sha256:... | --ca FILE | (default) trust on first use in\n"
    "  ~/.tlsmux/known_hosts with --accept-new; --insecure; --user NAME with\n"
    "  --password-file FILE, $TLSMUX_PASSWORD or a prompt; --cert/--key; --timeout 15s\n"
    "\n"
    "See tlsmux(1) and tlsmux.conf(5).\n";

const char* const command_usage[][2] = {
    {"server", "usage: tlsmux server [-c FILE] [--check | --daemon | --inetd] [options]\n"
               "Every option but -c, --check, --daemon and --inetd is a configuration key of the\n"
               "same name (tlsmux.conf(5)).\n"},
    {"connect", "usage: tlsmux connect [options] HOST[:PORT] SERVICE\n"},
    {"forward", "usage: tlsmux forward [-f] [--no-check] [options] -L [BIND:]LPORT:SERVICE ... HOST[:PORT]\n"},
    {"socks", "usage: tlsmux socks [-f] [--no-check] [options] -D [BIND:]PORT ... HOST[:PORT]\n"},
    {"list", "usage: tlsmux list [options] HOST[:PORT]\n"
             "Prints the catalog names this client may use, with the login each needs.\n"},
    {"known-hosts", "usage: tlsmux known-hosts list [HOST[:PORT]] | remove HOST[:PORT] [--known-hosts FILE]\n"},
    {"keygen", "usage: tlsmux keygen [--cert FILE --key FILE] [options]\n"
               "Writes exactly the two files named (by default the zero-config identity in the\n"
               "state directory); refuses to replace either without --force.\n"},
    {"fingerprint", "usage: tlsmux fingerprint CERTIFICATE.pem\n"},
    {"status", "usage: tlsmux status [-c FILE | --state-dir DIR] [--json]\n"
               "Asks the server that runs with that state directory, through its control socket\n"
               "STATE-DIR/control (the server's user and root only).\n"},
    {"passwd", "usage: tlsmux passwd [options] FILE USER  (password from the terminal or stdin)\n"},
    {"bench", "usage: tlsmux bench bulk|rate|latency|idle [options] HOST[:PORT] SERVICE\n"
              "       tlsmux bench ... --raw HOST[:PORT]     TLS only, for a fixed-target relay\n"
              "       tlsmux bench serve --help              the targets' options\n"},
    {"bench serve", "usage: tlsmux bench serve [--echo A:P] [--discard A:P] [--source A:P] [--duration S]\n"},
    {"service", "usage: tlsmux service install [--name NAME] [server options]\n"
                "       tlsmux service install [--name NAME] forward|socks [client options] HOST[:PORT]\n"
                "       tlsmux service start|stop|status|reload|uninstall [--name NAME]\n"
                "       (Windows; NAME defaults to tlsmux, tlsmux-forward or tlsmux-socks;\n"
                "       `tlsmux server --help`, `tlsmux forward --help` list the options)\n"}};

}  // namespace

namespace tlsmux {
namespace app {

bool options_of(const std::string& name, command_options& out) {
  out = command_options();
  bool found = false;
  for (std::size_t i = 0; i < sizeof command_usage / sizeof command_usage[0]; ++i)
    if (name == command_usage[i][0]) {
      out.usage = command_usage[i][1];
      found = true;
    }
  if (name == "server") out.options = server_options();
  else if (name == "connect" || name == "forward" || name == "socks" || name == "list") out.options = client_options(name);
  else if (name == "known-hosts") out.options = known_hosts_options();
  else if (name == "keygen") out.options = keygen_options();
  else if (name == "passwd") out.options = passwd_options();
  else if (name == "bench") out.options = bench_options();
  else if (name == "bench serve") out.options = bench_serve_options();
  else if (name == "status") out.options = status_options();
  return found;
}

}  // namespace app
}  // namespace tlsmux

namespace {

// `tlsmux CMD --help`; `tlsmux --options CMD` lists the option names alone (for tests and
// shell completion).
int print_help(const std::string& cmd, bool names_only) {
  tlsmux::app::command_options co;
  if (!tlsmux::app::options_of(cmd, co)) {
    std::fprintf(stderr, "tlsmux: unknown command '%s'\n", cmd.c_str());
    return tlsmux::app::exit_usage;
  }
  if (!names_only) std::fputs(tlsmux::config::help_text(co.usage, co.options).c_str(), stdout);
  for (std::size_t i = 0; names_only && i < co.options.size(); ++i)
    std::printf("%s\n", co.options[i].name.c_str());
  return tlsmux::app::exit_ok;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace tlsmux::app;
  if (argc < 2) {
    std::fputs(usage_text, stderr);
    return exit_usage;
  }
  std::string cmd = argv[1];
  std::vector<std::string> args(argv + 2, argv + argc);
  if (cmd == "--version" || cmd == "-V" || cmd == "version") {
    print_version();
    return exit_ok;
  }
  if (cmd == "--help" || cmd == "-h" || cmd == "help") {
    std::fputs(usage_text, stdout);
    return exit_ok;
  }
  if (cmd == "--options") {
    std::string name;
    for (std::size_t i = 0; i < args.size(); ++i) name += (i ? " " : "") + args[i];
    return print_help(name, true);
  }
  std::string help_for = cmd == "bench" && !args.empty() && args[0] == "serve" ? "bench serve" : cmd;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--") break;
    if (args[i] == "--help" || args[i] == "-h") return print_help(help_for, false);
  }
  if (cmd == "server") return cmd_server(args);
  if (cmd == "connect") return cmd_connect(args);
  if (cmd == "forward") return cmd_forward(args);
  if (cmd == "socks") return cmd_socks(args);
  if (cmd == "status") return cmd_status(args);
  if (cmd == "list") return cmd_list(args);
  if (cmd == "known-hosts") return cmd_known_hosts(args);
  if (cmd == "keygen") return cmd_keygen(args);
  if (cmd == "fingerprint") return cmd_fingerprint(args);
  if (cmd == "passwd") return cmd_passwd(args);
  if (cmd == "bench") return cmd_bench(args);
  if (cmd == "service") return cmd_service(args);
  std::fprintf(stderr, "tlsmux: unknown command '%s'\n\n%s", cmd.c_str(), usage_text);
  return exit_usage;
}
