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
    "  keygen [--cert F --key F]    make an ECDSA P-256 key and self-signed certificate\n"
    "  fingerprint FILE             print a certificate's SPKI pin (sha256:...)\n"
    "  passwd FILE USER             add or change a user in a password file\n"
    "  --version                    print versions of tlsmux, wolfSSL, Asio and the reactor\n"
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
  if (cmd == "server") return cmd_server(args);
  if (cmd == "keygen") return cmd_keygen(args);
  if (cmd == "fingerprint") return cmd_fingerprint(args);
  if (cmd == "passwd") return cmd_passwd(args);
  std::fprintf(stderr, "tlsmux: unknown command '%s'\n\n%s", cmd.c_str(), usage_text);
  return exit_usage;
}
