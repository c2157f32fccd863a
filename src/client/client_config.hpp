// SPDX-License-Identifier: GPL-2.0-or-later
// The client configuration file (tlsmux_config(5)): ~/.tlsmux/config and a system-wide file
// in ssh_config's syntax: `Host PATTERN...` blocks of case-insensitive `Keyword value` lines,
// the first value obtained for a host winning, as in ssh. Pure: the parser is incremental
// (fed in pieces of any size) and the caller reads the files.
#ifndef TLSMUX_CLIENT_CLIENT_CONFIG_HPP
#define TLSMUX_CLIENT_CLIENT_CONFIG_HPP

#include "config/ini.hpp"

#include <string>
#include <vector>

namespace tlsmux {
namespace client {

/// One `Keyword value` line; key is the keyword in lower case.
struct config_setting {
  std::string key, value;
  int line = 0;
};

/// The settings of one `Host` line (patterns empty: the lines before the first Host,
/// which apply to every host).
struct host_block {
  std::vector<std::string> patterns;
  std::vector<config_setting> settings;
};

/// A parsed file.
struct client_config_file {
  std::string name;
  std::vector<host_block> blocks;
};

/// Incremental parser of one file: feed() any split of the text, then finish().
class client_config_parser {
 public:
  explicit client_config_parser(const std::string& file_name);
  void feed(const char* data, std::size_t n);
  /// Parses a last line without a newline; call once at the end.
  void finish();
  const client_config_file& result() const { return out_; }
  /// "FILE:LINE: what is wrong", one per bad line (the line is skipped).
  const std::vector<std::string>& errors() const { return errors_; }

 private:
  void line_done();
  void parse_line(const std::string& text);
  void error(const std::string& what);

  client_config_file out_;
  std::vector<std::string> errors_;
  std::string line_;
  int line_no_ = 0;
  bool too_long_ = false;
};

/// ssh's Host matching: case-insensitive globs with * and ?; the host matches when a
/// positive pattern matches and no !pattern does.
bool host_matches(const std::vector<std::string>& patterns, const std::string& host);
/// One glob against a name (case-insensitive).
bool glob_match(const std::string& pattern, const std::string& name);

/// The options for host from files in order (first obtained value wins; LocalForward and
/// DynamicForward accumulate), as command-line entries: keys as the client options name them
/// ("pin", "password-file", "forward", "dynamic", "no-check", "hostname", "port"), file and
/// line set for messages.
std::vector<config::entry> resolve_host(const std::vector<client_config_file>& files, const std::string& host);

}  // namespace client
}  // namespace tlsmux

#endif
