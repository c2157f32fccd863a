// SPDX-License-Identifier: GPL-2.0-or-later
// The server's configuration from its sources: defaults, then the file, then command-line
// flags; then the defaults that depend on other keys, the rules across keys and absolute
// paths. The file-system facts come from the caller, so config/ stays free of the OS.
#ifndef TLSMUX_CONFIG_SERVER_LOAD_HPP
#define TLSMUX_CONFIG_SERVER_LOAD_HPP

#include "config/ini.hpp"
#include "config/server_config.hpp"

#include <functional>
#include <string>
#include <vector>

namespace tlsmux {
namespace config {

/// How the host places files (the app passes the platform's functions).
struct path_rules {
  std::function<std::string()> default_state_dir;  ///< asked only when state-dir is not set
  std::function<std::string(const std::string& path)> absolute;  ///< against the working directory
  std::function<std::string(const std::string& dir, const std::string& name)> join;
  /// path made absolute against dir (an absolute path stays as it is)
  std::function<std::string(const std::string& dir, const std::string& path)> absolute_in;
  /// the directory part of a file's path
  std::function<std::string(const std::string& path)> directory_of;
};

/// True for the keys whose value names a file or directory (cert, key, state-dir, ...).
bool is_path_key(const std::string& key);

/// Makes the value of every path entry absolute, once: an entry from a configuration file
/// against that file's directory, a command-line entry against the current directory. A
/// reload re-reads the file, so its paths resolve the same way after --daemon's chdir("/");
/// the caller resolves command-line entries at start-up and keeps them.
void resolve_entry_paths(std::vector<entry>& entries, const path_rules& paths);

/// Where a server configuration comes from.
struct server_sources {
  std::string file;           ///< the configuration file, absolute; empty: none
  std::vector<entry> flags;   ///< command-line entries, applied after the file ("config" skipped)
  /// The file's name, or "command line" without one: for messages.
  std::string name() const { return file.empty() ? "command line" : file; }
};

/// Reads the file and builds the configuration (build_server_config). Returns false with
/// errors (file:line where known).
bool load_server_config(const server_sources& src, const path_rules& paths, server_config& cfg,
                        std::vector<error>& errors);

/// The configuration from entries already read, in order (file first, then flags), as
/// load_server_config does after reading: listen defaults to *:4430, state-dir to the
/// platform's; cert and key go together, and default to the zero-config identity in the
/// state directory; every path becomes absolute (resolve_entry_paths, then the rest against
/// the current directory); then validate(). `source` names the origin in messages.
bool build_server_config(const std::string& source, const std::vector<entry>& entries,
                         const path_rules& paths, server_config& cfg, std::vector<error>& errors);

/// True when cert and key are the zero-config identity in the state directory, the only
/// files a first start may generate (configured paths are never filled in behind the
/// administrator's back).
bool default_identity(const server_config& cfg, const path_rules& paths);

}  // namespace config
}  // namespace tlsmux

#endif
