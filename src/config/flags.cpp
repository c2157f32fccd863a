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
  const option_table& table;
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
  const option_spec* find(const std::string& name) const {
    for (std::size_t k = 0; k < table.size(); ++k)
      if (table[k].name == name) return &table[k];
    return nullptr;
  }

  void option(const std::string& name, bool has_value, const std::string& value,
              const std::string& spelling) {
    const option_spec* spec = find(name);
    if (spec == nullptr) return fail("unknown option " + text::quote(spelling));
    if (spec->value.empty()) {
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

  void short_option(const std::string& arg) {
    char letter = arg[1];
    std::string name;
    for (std::size_t k = 0; k < table.size(); ++k)
      if (table[k].letter == letter) name = table[k].name;
    if (name.empty()) return fail("unknown option " + text::quote(arg.substr(0, 2)));
    bool attached = arg.size() > 2;
    option(name, attached, attached ? arg.substr(2) : std::string(), arg.substr(0, 2));
  }
};

}  // namespace

void add_option(option_table& table, const std::string& name, char letter, const std::string& value,
                const std::string& default_value, const std::string& help) {
  option_spec o = {name, letter, value, default_value, help};
  table.push_back(o);
}

bool parse_flags(const std::vector<std::string>& args, const option_table& table,
                 command_line& out, std::vector<error>& errors) {
  const std::size_t before = errors.size();
  splitter s = {args, table, out, errors, 0};
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
      s.short_option(arg);
    }
  }
  return errors.size() == before;
}

std::string help_text(const std::string& usage, const option_table& table) {
  std::string out = usage;
  if (!table.empty()) out += "\noptions:\n";
  for (std::size_t i = 0; i < table.size(); ++i) {
    const option_spec& o = table[i];
    std::string left = "  ";
    if (o.letter != 0) left += std::string("-") + o.letter + (o.value.empty() ? ", " : " " + o.value + ", ");
    left += "--" + o.name + (o.value.empty() ? "" : " " + o.value);
    if (left.size() < 32) left.append(32 - left.size(), ' ');
    else left += "\n" + std::string(32, ' ');
    out += left + o.help;
    if (!o.default_value.empty()) out += (o.help.empty() ? "" : " ") + std::string("(default: ") + o.default_value + ")";
    out += "\n";
  }
  return out;
}

}  // namespace config
}  // namespace tlsmux
