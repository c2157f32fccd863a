// SPDX-License-Identifier: GPL-2.0-or-later
// Command-line flags in the config's own terms: `--key value` or `--key=value` becomes an
// INI entry in section "" (`--service "NAME port=25 auth=password"` stays one entry with
// key "service"; apply_entries expands it). Switches without a value are listed by the caller.
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
/// every other `--name` takes one (`--name value` or `--name=value`). `-c FILE` is returned
/// as key "config". Short aliases map one letter to a long name (e.g. 'L' -> "forward");
/// `-X value` and `-Xvalue` both work. `--` ends the options; a lone `-` is positional.
/// Entries carry file "command line" and the 1-based index of the option's argument.
/// Unknown short options, missing values and values given to switches are errors.
bool parse_flags(const std::vector<std::string>& args, const std::set<std::string>& switch_names,
                 const std::vector<std::pair<char, std::string> >& short_aliases,
                 command_line& out, std::vector<error>& errors);

}  // namespace config
}  // namespace tlsmux

#endif
