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

/// One option a subcommand accepts. The parser and the subcommand's --help both read the
/// same table, so an option cannot be accepted without being documented, or the reverse.
struct option_spec {
  std::string name;           ///< long name without "--"
  char letter;                ///< short alias ('L' for -L), 0 for none
  std::string value;          ///< placeholder of the value ("FILE"); empty: a switch
  std::string default_value;  ///< shown as "(default: X)"; empty: none
  std::string help;           ///< one line
};
typedef std::vector<option_spec> option_table;

/// Appends one option to a table (a short way to build tables in C++11).
void add_option(option_table& table, const std::string& name, char letter, const std::string& value,
                const std::string& default_value, const std::string& help);

/// Splits args (without argv[0] and the subcommand) by the table: switches take no value;
/// every other option takes one (`--name value` or `--name=value`). `-X value` and `-Xvalue`
/// both work for letters. `--` ends the options; a lone `-` is positional. Entries carry
/// file "command line" and the 1-based index of the option's argument. Options not in the
/// table, missing values and values given to switches are errors ("unknown option --nmae").
bool parse_flags(const std::vector<std::string>& args, const option_table& table,
                 command_line& out, std::vector<error>& errors);

/// "usage" followed by one line per option of the table with its default.
std::string help_text(const std::string& usage, const option_table& table);

}  // namespace config
}  // namespace tlsmux

#endif
