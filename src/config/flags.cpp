// SPDX-License-Identifier: GPL-2.0-or-later
// Command-line splitting: long options, short aliases, switches and positional arguments.
#include "config/flags.hpp"

#include "config/value_syntax.hpp"
#include "text/escape.hpp"

namespace tlsmux {
namespace config {

namespace {

const char* const command_line_file = "command line";

struct splitter {
  const std::vector<std::string>& args;
  const std::set<std::string>& switch_names;
  command_line& out;
  std::vector<error>& errors;
  std::size_t i;  // index of the argument being looked at

  void fail(const std::string& message) {
    error e;
    e.file = command_line_file;
    e.line = static_cast<int>(i + 1);
    e.message = message;
    errors.push_back(e);
  }

  void add(const std::string& key, const std::string& value, std::size_t index) {
    entry e;
    e.key = key;
    e.value = value;
    e.file = command_line_file;
    e.line = static_cast<int>(index + 1);
    out.entries.push_back(e);
  }

  // name takes the value attached to it or the next argument.
  void option(const std::string& name, bool has_value, const std::string& value,
              const std::string& spelling) {
    if (switch_names.count(name)) {
      if (has_value) return fail("option " + spelling + " takes no value");
      out.switches.insert(name);
      return;
    }
    if (has_value) return add(name, value, i);
    if (i + 1 >= args.size()) return fail("option " + spelling + " needs a value");
    add(name, args[i + 1], i);
    ++i;
  }

  void long_option(const std::string& arg) {
    std::string::size_type eq = arg.find('=');
    std::string name = normalise_key(arg.substr(2, eq == std::string::npos ? eq : eq - 2));
    if (name.empty()) return fail("malformed option " + text::quote(arg));
    bool has_value = eq != std::string::npos;
    option(name, has_value, has_value ? arg.substr(eq + 1) : std::string(), "--" + name);
  }

  void short_option(const std::string& arg,
                    const std::vector<std::pair<char, std::string> >& aliases) {
    char letter = arg[1];
    std::string name = letter == 'c' ? "config" : std::string();
    for (std::size_t k = 0; k < aliases.size(); ++k)
      if (aliases[k].first == letter) name = aliases[k].second;
    if (name.empty()) return fail("unknown option " + text::quote(arg.substr(0, 2)));
    bool attached = arg.size() > 2;
    option(name, attached, attached ? arg.substr(2) : std::string(), arg.substr(0, 2));
  }
};

}  // namespace

bool parse_flags(const std::vector<std::string>& args, const std::set<std::string>& switch_names,
                 const std::vector<std::pair<char, std::string> >& short_aliases,
                 command_line& out, std::vector<error>& errors) {
  const std::size_t before = errors.size();
  splitter s = {args, switch_names, out, errors, 0};
  bool options_done = false;
  for (; s.i < args.size(); ++s.i) {
    const std::string& arg = args[s.i];
    if (options_done || arg.size() < 2 || arg[0] != '-') {
      out.positional.push_back(arg);
    } else if (arg == "--") {
      options_done = true;
    } else if (arg[1] == '-') {
      s.long_option(arg);
    } else {
      s.short_option(arg, short_aliases);
    }
  }
  return errors.size() == before;
}

}  // namespace config
}  // namespace tlsmux
