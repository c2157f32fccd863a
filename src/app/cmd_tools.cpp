// SPDX-License-Identifier: GPL-2.0-or-later
// The small subcommands: keygen, fingerprint, passwd, --version.
#include "app/commands.hpp"

#include "auth/password_file.hpp"
#include "config/flags.hpp"
#include "tls/context.hpp"
#include "tls/keygen.hpp"
#include "tls/pin.hpp"
#include "tlsmux/platform/files.hpp"
#include "tlsmux/platform/host.hpp"
#include "tlsmux/platform/paths.hpp"

#include "tlsmux/version.hpp"

#include <asio/version.hpp>
#include <cstdio>
#include <cstdlib>
#include <iostream>

namespace tlsmux {
namespace app {

namespace {

bool parse(const std::vector<std::string>& args, const config::option_table& table,
           config::command_line& cl) {
  std::vector<config::error> errors;
  if (config::parse_flags(args, table, cl, errors)) return true;
  for (std::size_t i = 0; i < errors.size(); ++i)
    std::fprintf(stderr, "tlsmux: %s\n", errors[i].to_string().c_str());
  return false;
}

bool has_option(const config::command_line& cl, const std::string& key) {
  for (std::size_t i = 0; i < cl.entries.size(); ++i)
    if (cl.entries[i].key == key) return true;
  return false;
}

std::string option(const config::command_line& cl, const std::string& key, const std::string& def) {
  std::string value = def;
  for (std::size_t i = 0; i < cl.entries.size(); ++i)
    if (cl.entries[i].key == key) value = cl.entries[i].value;
  return value;
}

// "a,b,c" -> {a, b, c}; empty items are kept, so make_entry rejects "a,,b".
std::vector<std::string> split_groups(const std::string& list) {
  std::vector<std::string> out(1);
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (list[i] == ',') out.push_back(std::string());
    else out.back() += list[i];
  }
  return out;
}

}  // namespace

config::option_table keygen_options() {
  config::option_table t;
  config::add_option(t, "cert", 0, "FILE", "STATE-DIR/server.crt", "certificate to write (with --key)");
  config::add_option(t, "key", 0, "FILE", "STATE-DIR/server.key", "private key to write (with --cert)");
  config::add_option(t, "name", 0, "HOST", "this host's name", "subject and DNS name");
  config::add_option(t, "days", 0, "N", "3650", "validity in days");
  config::add_option(t, "force", 0, "", "", "replace existing files");
  config::add_option(t, "next", 0, "", "", "the next identity: STATE-DIR/next.crt and next.key");
  return t;
}

config::option_table passwd_options() {
  config::option_table t;
  config::add_option(t, "iterations", 0, "N", std::to_string(auth::default_iterations),
                     "PBKDF2 iterations");
  config::add_option(t, "groups", 0, "LIST", "kept", "the user's groups, comma-separated (\"\" for none)");
  return t;
}

int cmd_keygen(const std::vector<std::string>& args) {
  config::command_line cl;
  if (!parse(args, keygen_options(), cl)) return exit_usage;
  if (!cl.positional.empty()) {
    std::fprintf(stderr, "tlsmux keygen: unexpected argument '%s'\n", cl.positional[0].c_str());
    return exit_usage;
  }
  // Only the files named: --cert alone once replaced the server's live key in the state
  // directory.
  if (has_option(cl, "cert") != has_option(cl, "key")) {
    std::fprintf(stderr, "tlsmux keygen: give --cert and --key together (keygen writes exactly "
                         "the files it names)\n");
    return exit_usage;
  }
  std::string dir = platform::default_state_dir();
  const bool next = cl.switches.count("next") > 0;
  std::string cert = option(cl, "cert", platform::join_path(dir, next ? "next.crt" : "server.crt"));
  std::string key = option(cl, "key", platform::join_path(dir, next ? "next.key" : "server.key"));
  std::string name = option(cl, "name", platform::host_name());
  int days = std::atoi(option(cl, "days", "3650").c_str());
  if (days <= 0) {
    std::fprintf(stderr, "tlsmux keygen: --days must be a positive number\n");
    return exit_usage;
  }
  if (!cl.switches.count("force") && (platform::file_exists(cert) || platform::file_exists(key))) {
    std::fprintf(stderr, "tlsmux keygen: %s exists; use --force to replace it\n",
                 (platform::file_exists(cert) ? cert : key).c_str());
    return exit_config;
  }
  std::string error, key_pem, cert_pem;
  std::vector<std::string> dns(1, name), ips;
  if (name != "localhost") dns.push_back("localhost");
  ips.push_back("127.0.0.1");
  ips.push_back("::1");
  for (std::size_t i = 0; i < 2; ++i) {
    const std::string& file = i == 0 ? key : cert;
    std::string::size_type slash = file.find_last_of("/\\");
    if (slash != std::string::npos && slash > 0 && !platform::file_exists(file.substr(0, slash)))
      platform::make_private_dir(file.substr(0, slash));
  }
  if (!tls::library_init(error) ||
      !tls::generate_self_signed(name, dns, ips, days, key_pem, cert_pem, error)) {
    std::fprintf(stderr, "tlsmux keygen: %s\n", error.c_str());
    return exit_start;
  }
  std::error_code ec = platform::write_private_file(key, key_pem);
  if (!ec) ec = platform::write_file(cert, cert_pem);
  if (ec) {
    std::fprintf(stderr, "tlsmux keygen: cannot write %s / %s: %s\n", key.c_str(), cert.c_str(), ec.message().c_str());
    return exit_start;
  }
  std::cout << "wrote " << key << " and " << cert << "\npin: " << tls::spki_pin_of_pem_file(cert, error) << std::endl;
  if (next)
    std::cout << "announce it with next-cert = " << cert << " and next-key = " << key
              << " in tlsmux.conf; clients learn it before you make it the current key (tlsmux(1), KEY ROTATION)"
              << std::endl;
  return exit_ok;
}

int cmd_fingerprint(const std::vector<std::string>& args) {
  config::command_line cl;
  if (!parse(args, config::option_table(), cl) || cl.positional.size() != 1) {
    std::fprintf(stderr, "usage: tlsmux fingerprint CERTIFICATE.pem\n");
    return exit_usage;
  }
  std::string error;
  std::string pin = tls::spki_pin_of_pem_file(cl.positional[0], error);
  if (pin.empty()) {
    std::fprintf(stderr, "tlsmux fingerprint: %s\n", error.c_str());
    return exit_config;
  }
  std::cout << pin << std::endl;
  return exit_ok;
}

namespace {

bool read_password(std::string& password) {
  if (platform::stdin_is_tty()) {
    std::string again;
    if (!platform::read_secret("New password: ", password) ||
        !platform::read_secret("Repeat password: ", again))
      return false;
    if (password != again) {
      std::fprintf(stderr, "tlsmux passwd: the passwords differ\n");
      return false;
    }
    return true;
  }
  if (!std::getline(std::cin, password)) return false;
  if (!password.empty() && password[password.size() - 1] == '\r') password.erase(password.size() - 1);
  return true;
}

}  // namespace

int cmd_passwd(const std::vector<std::string>& args) {
  config::command_line cl;
  if (!parse(args, passwd_options(), cl) || cl.positional.size() != 2) {
    std::fprintf(stderr, "usage: tlsmux passwd [--iterations N] [--groups LIST] FILE USER  (password from the terminal or stdin)\n");
    return exit_usage;
  }
  const std::string& file = cl.positional[0];
  const std::string& user = cl.positional[1];
  unsigned long iterations = std::strtoul(option(cl, "iterations", std::to_string(auth::default_iterations)).c_str(), nullptr, 10);
  std::string password, line, error, text;
  if (!read_password(password) || password.empty()) {
    std::fprintf(stderr, "tlsmux passwd: no password given\n");
    return exit_usage;
  }
  if (platform::file_exists(file) && platform::read_file(file, text)) {
    std::fprintf(stderr, "tlsmux passwd: cannot read %s\n", file.c_str());
    return exit_config;
  }
  // Without --groups a password change keeps the user's groups.
  const std::string groups = has_option(cl, "groups") ? option(cl, "groups", "") : auth::groups_field(text, user);
  if (!tls::library_init(error) ||
      !auth::make_entry(user, password, static_cast<std::uint32_t>(iterations), line, error,
                        groups.empty() ? std::vector<std::string>() : split_groups(groups))) {
    std::fprintf(stderr, "tlsmux passwd: %s\n", error.c_str());
    return exit_config;
  }
  std::error_code ec = platform::write_private_file(file, auth::upsert_entry(text, user, line));
  if (ec) {
    std::fprintf(stderr, "tlsmux passwd: cannot write %s: %s\n", file.c_str(), ec.message().c_str());
    return exit_config;
  }
  std::printf("updated %s for user %s\n", file.c_str(), user.c_str());
  return exit_ok;
}

void print_version() {
  std::printf("tlsmux %s\n", TLSMUX_VERSION);
  std::printf("%s\n", tls::library_version().c_str());
  std::printf("Asio %d.%d.%d (standalone)\n", ASIO_VERSION / 100000, ASIO_VERSION / 100 % 1000,
              ASIO_VERSION % 100);
  std::printf("reactor: %s\n", TLSMUX_REACTOR_NAME);
}

}  // namespace app
}  // namespace tlsmux
