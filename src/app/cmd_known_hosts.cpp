// SPDX-License-Identifier: GPL-2.0-or-later
// `tlsmux known-hosts list [HOST[:PORT]]` and `tlsmux known-hosts remove HOST[:PORT]` (like
// ssh-keygen -R): the client's remembered server keys, current and announced ("@next").
#include "app/commands.hpp"

#include "client/known_hosts.hpp"
#include "client/options.hpp"
#include "client/verify.hpp"
#include "config/flags.hpp"
#include "config/server_config.hpp"
#include "tlsmux/platform/files.hpp"

#include <cstdio>
#include <set>

namespace tlsmux {
namespace app {

config::option_table known_hosts_options() {
  config::option_table t;
  config::add_option(t, "known-hosts", 0, "FILE", "~/.tlsmux/known_hosts", "the file to read and edit");
  return t;
}

namespace {

// The keys of db that HOST[:PORT] names: exactly host:port, or every port of host when the
// port is left out.
std::set<std::string> matching_keys(const client::known_hosts& db, const std::string& arg, bool& ok) {
  std::set<std::string> keys;
  std::string host;
  std::uint16_t port = 0;
  const bool has_port = arg.find("]:") != std::string::npos ||
                        (arg[0] != '[' && arg.find(':') != std::string::npos && arg.find(':') == arg.rfind(':'));
  ok = client::parse_host_port(arg, config::default_port, host, port);
  if (!ok) return keys;
  const std::string exact = client::known_hosts::make_key(host, port);
  const std::string prefix = exact.substr(0, exact.rfind(':') + 1);
  for (std::size_t i = 0; i < db.entries().size(); ++i) {
    const std::string& k = db.entries()[i].key;
    if (has_port ? k == exact : k.compare(0, prefix.size(), prefix) == 0 && k.find(':', prefix.size()) == std::string::npos)
      keys.insert(k);
  }
  return keys;
}

int list_entries(const client::known_hosts& db, const std::vector<std::string>& pos) {
  bool ok = true;
  std::set<std::string> keys;
  if (pos.size() == 2) keys = matching_keys(db, pos[1], ok);
  if (!ok) return std::fprintf(stderr, "tlsmux known-hosts: bad host '%s'\n", pos[1].c_str()), exit_usage;
  int shown = 0;
  for (std::size_t i = 0; i < db.entries().size(); ++i) {
    const client::known_host& h = db.entries()[i];
    if (pos.size() == 2 && !keys.count(h.key)) continue;
    std::printf("%s %s%s\n", h.key.c_str(), h.pin.c_str(), h.next ? " (next: announced by the server)" : "");
    ++shown;
  }
  return shown > 0 || pos.size() == 1 ? exit_ok : exit_config;
}

int remove_entries(const std::string& file, std::string text, const client::known_hosts& db, const std::string& arg) {
  bool ok = true;
  std::set<std::string> keys = matching_keys(db, arg, ok);
  if (!ok) return std::fprintf(stderr, "tlsmux known-hosts: bad host '%s'\n", arg.c_str()), exit_usage;
  int total = 0;
  for (std::set<std::string>::const_iterator k = keys.begin(); k != keys.end(); ++k) {
    int removed = 0;
    text = client::known_hosts::remove(text, *k, removed);
    total += removed;
  }
  if (total == 0) {
    std::fprintf(stderr, "tlsmux known-hosts: no key of %s in %s\n", arg.c_str(), file.c_str());
    return exit_config;
  }
  std::error_code ec = platform::write_private_file(file, text);
  if (ec) {
    std::fprintf(stderr, "tlsmux known-hosts: cannot write %s: %s\n", file.c_str(), ec.message().c_str());
    return exit_config;
  }
  std::printf("removed %d line%s of %s from %s\n", total, total == 1 ? "" : "s", arg.c_str(), file.c_str());
  return exit_ok;
}

}  // namespace

int cmd_known_hosts(const std::vector<std::string>& args) {
  config::command_line cl;
  std::vector<config::error> errors;
  if (!config::parse_flags(args, known_hosts_options(), cl, errors)) {
    for (std::size_t i = 0; i < errors.size(); ++i) std::fprintf(stderr, "tlsmux known-hosts: %s\n", errors[i].message.c_str());
    return exit_usage;
  }
  const std::vector<std::string>& pos = cl.positional;
  const bool list = !pos.empty() && pos[0] == "list" && pos.size() <= 2;
  const bool remove = !pos.empty() && pos[0] == "remove" && pos.size() == 2;
  if (!list && !remove) {
    std::fprintf(stderr, "usage: tlsmux known-hosts list [HOST[:PORT]] | remove HOST[:PORT]\n");
    return exit_usage;
  }
  client::client_options opt;
  for (std::size_t i = 0; i < cl.entries.size(); ++i)
    if (cl.entries[i].key == "known-hosts") opt.known_hosts_file = cl.entries[i].value;
  const std::string file = client::known_hosts_path(opt);
  std::string text;
  if (platform::file_exists(file) && platform::read_file(file, text)) {
    std::fprintf(stderr, "tlsmux known-hosts: cannot read %s\n", file.c_str());
    return exit_config;
  }
  client::known_hosts db;
  std::vector<std::string> warnings;
  db.load(text, file, warnings);
  for (std::size_t i = 0; i < warnings.size(); ++i) std::fprintf(stderr, "tlsmux known-hosts: %s\n", warnings[i].c_str());
  return list ? list_entries(db, pos) : remove_entries(file, text, db, pos[1]);
}

}  // namespace app
}  // namespace tlsmux
