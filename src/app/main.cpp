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
    "  keygen [--cert F --key F]    make an ECDSA P-256 key and self-signed certificate\n"
    "  fingerprint FILE             print a certificate's SPKI pin (sha256:...)\n"
    "  passwd FILE USER             add or change a user in a password file\n"
    "  bench MODE [opts] HOST[:PORT] SERVICE   load generator (bulk, rate, latency, idle, serve)\n"
    "  service install|start|stop|status|reload|uninstall   Windows service (server options\n"
    "                               follow install)\n"
    "  --version                    print versions of tlsmux, wolfSSL, Asio and the reactor\n"
    "\n"
    "\n"
    "client options: --pin sha256:... | --ca FILE | (default) trust on first use in\n"
    "  ~/.tlsmux/known_hosts with --accept-new; --insecure; --user NAME with\n"
    "  --password-file FILE or $TLSMUX_PASSWORD; --cert/--key; --timeout 15s\n"
    "\n"
    "See tlsmux(1) and tlsmux.conf(5).\n";

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
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--") break;
    if (args[i] == "--help" || args[i] == "-h") {
      std::fputs(usage_text, stdout);
      return exit_ok;
    }
  }
  if (cmd == "server") return cmd_server(args);
  if (cmd == "connect") return cmd_connect(args);
  if (cmd == "forward") return cmd_forward(args);
  if (cmd == "socks") return cmd_socks(args);
  if (cmd == "keygen") return cmd_keygen(args);
  if (cmd == "fingerprint") return cmd_fingerprint(args);
  if (cmd == "passwd") return cmd_passwd(args);
  if (cmd == "bench") return cmd_bench(args);
  if (cmd == "service") return cmd_service(args);
  std::fprintf(stderr, "tlsmux: unknown command '%s'\n\n%s", cmd.c_str(), usage_text);
  return exit_usage;
}
