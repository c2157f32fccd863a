// SPDX-License-Identifier: GPL-2.0-or-later
// A small INI reader: `key = value` lines, `[section]` and `[service NAME]` headers,
// `#` and `;` comments. Pure; every error names the file and line.
#ifndef TLSMUX_CONFIG_INI_HPP
#define TLSMUX_CONFIG_INI_HPP

#include <string>
#include <vector>

namespace tlsmux {
namespace config {

/// One `key = value` line. section is "" before the first header, else the header text
/// with inner whitespace collapsed ("service smtp").
struct entry {
  std::string section;
  std::string key;    ///< lower-case; '_' normalised to '-'
  std::string value;  ///< trimmed; surrounding double quotes removed
  std::string file;   ///< file name, or "command line"
  int line = 0;       ///< 1-based line, or the argument index for the command line
};

/// A located error message.
struct error {
  std::string file;
  int line = 0;
  std::string message;
  /// "file:line: message" (or "file: message" when line is 0).
  std::string to_string() const;
};

/// Parses text; appends entries and errors. Returns true when no error was found.
/// Rejects: lines without '=', empty keys, malformed headers, NUL bytes, lines > 4096 bytes.
bool parse_ini(const std::string& text, const std::string& file, std::vector<entry>& out,
               std::vector<error>& errors);

/// Reads and parses a file. A missing or unreadable file is one error.
bool parse_ini_file(const std::string& path, std::vector<entry>& out, std::vector<error>& errors);

}  // namespace config
}  // namespace tlsmux

#endif
