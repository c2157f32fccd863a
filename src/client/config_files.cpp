// SPDX-License-Identifier: GPL-2.0-or-later
// Reading the client configuration files.
#include "client/config_files.hpp"

#include "tlsmux/platform/files.hpp"
#include "tlsmux/platform/paths.hpp"

#include <cstdlib>

namespace tlsmux {
namespace client {

std::string user_config_file() {
  return platform::join_path(platform::join_path(platform::home_dir(), ".tlsmux"), "config");
}

std::string system_config_file() { return platform::join_path(platform::system_config_dir(), "client.conf"); }

bool load_config_files(const std::string& explicit_file, std::vector<client_config_file>& out,
                       std::vector<std::string>& errors) {
  std::vector<std::string> names;
  if (!explicit_file.empty()) {
    if (explicit_file != "none") names.push_back(explicit_file);
  } else {
    names.push_back(user_config_file());
    names.push_back(system_config_file());
  }
  const std::size_t before = errors.size();
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (explicit_file.empty() && !platform::file_exists(names[i])) continue;
    std::string text;
    if (std::error_code ec = platform::read_file(names[i], text)) {
      errors.push_back("cannot read " + names[i] + ": " + ec.message());
      continue;
    }
    client_config_parser p(names[i]);
    p.feed(text.data(), text.size());
    p.finish();
    errors.insert(errors.end(), p.errors().begin(), p.errors().end());
    out.push_back(p.result());
  }
  return errors.size() == before;
}

void merge_config(const std::vector<config::entry>& file, config::command_line& cl, std::string& host,
                  std::uint16_t& port, bool port_given) {
  bool cl_has[2] = {false, false};
  for (std::size_t i = 0; i < cl.entries.size(); ++i) {
    if (cl.entries[i].key == "forward") cl_has[0] = true;
    if (cl.entries[i].key == "dynamic") cl_has[1] = true;
  }
  std::vector<config::entry> merged;
  for (std::size_t i = 0; i < file.size(); ++i) {
    const config::entry& e = file[i];
    if (e.key == "hostname") host = e.value;
    else if (e.key == "port") {
      if (!port_given) port = static_cast<std::uint16_t>(std::atoi(e.value.c_str()));  // checked by the parser
    } else if (e.key == "no-check") cl.switches.insert("no-check");
    else if ((e.key == "forward" && cl_has[0]) || (e.key == "dynamic" && cl_has[1])) continue;
    else merged.push_back(e);
  }
  merged.insert(merged.end(), cl.entries.begin(), cl.entries.end());
  cl.entries.swap(merged);
}

}  // namespace client
}  // namespace tlsmux
