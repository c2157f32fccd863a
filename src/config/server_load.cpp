// SPDX-License-Identifier: GPL-2.0-or-later
// server_load: the server's configuration from file and flags, with the rules across keys.
#include "config/server_load.hpp"

namespace tlsmux {
namespace config {

namespace {

const char* const default_cert = "server.crt";
const char* const default_key = "server.key";

const char* const command_line_file = "command line";

}  // namespace

bool is_path_key(const std::string& key) {
  static const char* const keys[] = {"cert", "key", "state-dir", "passwd-file", "client-ca",
                                     "log-file", "pid-file", "chroot", "next-cert", "next-key",
                                     "crl"};
  for (std::size_t i = 0; i < sizeof keys / sizeof keys[0]; ++i)
    if (key == keys[i]) return true;
  return false;
}

void resolve_entry_paths(std::vector<entry>& entries, const path_rules& paths) {
  for (std::size_t i = 0; i < entries.size(); ++i) {
    entry& e = entries[i];
    const bool service = e.section.compare(0, 8, "service ") == 0;
    if (service ? e.key != "client-ca" : !e.section.empty() || !is_path_key(e.key)) continue;
    if (e.value.empty()) continue;
    e.value = e.file == command_line_file ? paths.absolute(e.value)
                                          : paths.absolute_in(paths.directory_of(e.file), e.value);
  }
}

bool load_server_config(const server_sources& src, const path_rules& paths, server_config& cfg,
                        std::vector<error>& errors) {
  std::vector<entry> entries;
  if (!src.file.empty()) parse_ini_file(src.file, entries, errors);
  for (std::size_t i = 0; i < src.flags.size(); ++i)
    if (src.flags[i].key != "config") entries.push_back(src.flags[i]);
  if (!errors.empty()) return false;
  return build_server_config(src.name(), entries, paths, cfg, errors);
}

bool build_server_config(const std::string& source, const std::vector<entry>& entries,
                         const path_rules& paths, server_config& cfg, std::vector<error>& errors) {
  const std::size_t before = errors.size();
  cfg = server_config();
  std::vector<entry> resolved = entries;
  resolve_entry_paths(resolved, paths);
  apply_entries(resolved, cfg, errors);
  if (cfg.listen.empty()) cfg.listen.push_back("*:" + std::to_string(default_port));
  if (cfg.state_dir.empty()) cfg.state_dir = paths.default_state_dir();
  if (cfg.cert.empty() != cfg.key.empty()) {
    error e;
    e.file = source;
    e.message = "cert and key must be given together";
    errors.push_back(e);
  }
  if (cfg.cert.empty()) {
    cfg.cert = paths.join(cfg.state_dir, default_cert);
    cfg.key = paths.join(cfg.state_dir, default_key);
  }
  std::string* files[] = {&cfg.cert, &cfg.key, &cfg.state_dir, &cfg.passwd_file, &cfg.client_ca,
                          &cfg.log_file, &cfg.pid_file, &cfg.chroot_dir, &cfg.next_cert, &cfg.next_key};
  for (std::size_t i = 0; i < sizeof files / sizeof files[0]; ++i) *files[i] = paths.absolute(*files[i]);
  cfg.crl = paths.absolute(cfg.crl);
  for (std::size_t i = 0; i < cfg.rules.catalog.size(); ++i)  // the flag form: against the start directory
    cfg.rules.catalog[i].client_ca = paths.absolute(cfg.rules.catalog[i].client_ca);
  validate(cfg, errors);
  return errors.size() == before;
}

bool default_identity(const server_config& cfg, const path_rules& paths) {
  return cfg.cert == paths.join(cfg.state_dir, default_cert) &&
         cfg.key == paths.join(cfg.state_dir, default_key);
}

}  // namespace config
}  // namespace tlsmux
