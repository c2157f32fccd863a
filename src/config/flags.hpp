// SPDX-License-Identifier: GPL-2.0-or-later
// Command-line flags in the config's own terms: `--key value` or `--key=value` becomes an
// INI entry in section "" (or `--service "NAME port=25 auth=password"` becomes entries in
// section "service NAME"). Switches without a value are listed by the caller.
#ifndef TLSMUX_CONFIG_FLAGS_HPP
#define TLSMUX_CONFIG_FLAGS_HPP

#include "config/ini.hpp"

#include <set>
#include <string>
#include <vector>

namespace tlsmux {
namespace config {

/// Parsed command line.
struct command_line {
  std::vector<entry> entries;          ///< keyed options, in order
  std::set<std::string> switches;      ///< value-less switches that were given (e.g. "daemon")
  std::vector<std::string> positional; ///< everything that is not an option
};

/// Splits args (without argv[0] and the subcommand). Names in switch_names take no value;
/// every other `--name` takes one. `-c FILE` is returned as key "config".
/// Short aliases map one letter to a long name (e.g. 'L' -> "forward").
bool parse_flags(const std::vector<std::string>& args, const std::set<std::string>& switch_names,
                 const std::vector<std::pair<char, std::string> >& short_aliases,
                 command_line& out, std::vector<error>& errors);

}  // namespace config
}  // namespace tlsmux

#endif
