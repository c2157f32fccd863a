// SPDX-License-Identifier: GPL-2.0-or-later
// Server configuration from INI entries: one handler per key, then cross-field checks.
#include "config/server_config.hpp"

#include "config/catalog_builder.hpp"
#include "config/value_syntax.hpp"
#include "policy/address_class.hpp"
#include "text/escape.hpp"

#include <set>

namespace tlsmux {
namespace config {

namespace {

typedef bool (*setter)(const std::string& value, server_config& cfg, std::string& why);

struct key_handler {
  const char* key;
  setter set;
};

bool set_bool(const std::string& v, bool& field, std::string& why) {
  if (parse_bool(v, field)) return true;
  why = "expected yes or no, not " + text::quote(v);
  return false;
}

bool set_duration(const std::string& v, std::uint32_t& field, std::string& why) {
  if (parse_duration(v, field)) return true;
  why = "expected a duration such as 10s, 500ms, 2m or 1h, not " + text::quote(v);
  return false;
}

bool set_count(const std::string& v, std::uint64_t min, std::uint64_t max, std::size_t& field,
               std::string& why) {
  std::uint64_t n = 0;
  if (parse_number(v, min, max, n)) {
    field = static_cast<std::size_t>(n);
    return true;
  }
  why = "expected a number " + std::to_string(min) + "-" + std::to_string(max) + ", not " +
        text::quote(v);
  return false;
}

bool set_choice(const std::string& v, const char* a, const char* b, const char* c,
                std::string& field, std::string& why) {
  const char* options[] = {a, b, c};
  for (std::size_t i = 0; i < 3; ++i)
    if (options[i] && v == options[i]) {
      field = v;
      return true;
    }
  why = std::string("expected ") + a + (c ? std::string(", ") + b + " or " + c
                                          : std::string(" or ") + b) + ", not " + text::quote(v);
  return false;
}

bool set_log_level(const std::string& v, server_config& c, std::string& why) {
  const char* levels[] = {"error", "warning", "notice", "info", "debug"};
  for (std::size_t i = 0; i < 5; ++i)
    if (v == levels[i]) {
      c.log_level = v;
      return true;
    }
  why = "expected error, warning, notice, info or debug, not " + text::quote(v);
  return false;
}

bool set_expose(const std::string& v, server_config& c, std::string& why) {
  if (policy::parse_expose(v, c.rules.expose)) return true;
  why = "expected same-address, local or catalog, not " + text::quote(v);
  return false;
}

// Keys whose values need no context; listen, service and config are handled by the loop.
const key_handler handlers[] = {
    {"cert", [](const std::string& v, server_config& c, std::string&) {
       c.cert = v;
       return true;
     }},
    {"key", [](const std::string& v, server_config& c, std::string&) {
       c.key = v;
       return true;
     }},
    {"next-cert", [](const std::string& v, server_config& c, std::string&) {
       c.next_cert = v;
       return true;
     }},
    {"next-key", [](const std::string& v, server_config& c, std::string&) {
       c.next_key = v;
       return true;
     }},
    {"service-list", [](const std::string& v, server_config& c, std::string& w) {
       return set_bool(v, c.service_list, w);
     }},
    {"state-dir", [](const std::string& v, server_config& c, std::string&) {
       c.state_dir = v;
       return true;
     }},
    {"tls-profile", [](const std::string& v, server_config& c, std::string& w) {
       return set_choice(v, "intermediate", "modern", nullptr, c.tls_profile, w);
     }},
    {"cipher-preference", [](const std::string& v, server_config& c, std::string& w) {
       return set_choice(v, "auto", "aes-gcm", "chacha20", c.cipher_preference, w);
     }},
    {"anonymous", [](const std::string& v, server_config& c, std::string& w) {
       return set_bool(v, c.anonymous, w);
     }},
    {"passwd-file", [](const std::string& v, server_config& c, std::string&) {
       c.passwd_file = v;
       return true;
     }},
    {"client-ca", [](const std::string& v, server_config& c, std::string&) {
       c.client_ca = v;
       return true;
     }},
    {"require-client-cert", [](const std::string& v, server_config& c, std::string& w) {
       return set_bool(v, c.require_client_cert, w);
     }},
    {"crl", [](const std::string& v, server_config& c, std::string&) {
       c.crl = v;
       return true;
     }},
    {"allow-from", [](const std::string& v, server_config& c, std::string& w) {
       return policy::parse_network_list(v, c.rules.clients.allow, w);
     }},
    {"deny-from", [](const std::string& v, server_config& c, std::string& w) {
       return policy::parse_network_list(v, c.rules.clients.deny, w);
     }},
    {"expose", set_expose},
    {"udp", [](const std::string& v, server_config& c, std::string& w) {
       return set_bool(v, c.rules.udp, w);
     }},
    {"bind", [](const std::string& v, server_config& c, std::string& w) {
       return set_bool(v, c.rules.bind, w);
     }},
    {"log-file", [](const std::string& v, server_config& c, std::string&) {
       c.log_file = v;
       return true;
     }},
    {"syslog", [](const std::string& v, server_config& c, std::string& w) {
       return set_bool(v, c.syslog, w);
     }},
    {"log-level", set_log_level},
    {"pid-file", [](const std::string& v, server_config& c, std::string&) {
       c.pid_file = v;
       return true;
     }},
    {"user", [](const std::string& v, server_config& c, std::string&) {
       c.user = v;
       return true;
     }},
    {"group", [](const std::string& v, server_config& c, std::string&) {
       c.group = v;
       return true;
     }},
    {"chroot", [](const std::string& v, server_config& c, std::string&) {
       c.chroot_dir = v;
       return true;
     }},
    {"max-sessions", [](const std::string& v, server_config& c, std::string& w) {
       return set_count(v, 0, 1000000, c.max_sessions, w);
     }},
    {"max-sessions-per-client", [](const std::string& v, server_config& c, std::string& w) {
       return set_count(v, 0, 1000000, c.max_sessions_per_client, w);
     }},
    {"max-extra-sockets-per-client", [](const std::string& v, server_config& c, std::string& w) {
       return set_count(v, 1, 1000000, c.max_extra_sockets_per_client, w);
     }},
    {"udp-idle-timeout", [](const std::string& v, server_config& c, std::string& w) {
       return set_duration(v, c.udp_idle_timeout, w);
     }},
    {"max-lookups", [](const std::string& v, server_config& c, std::string& w) {
       return set_count(v, 1, 256, c.max_lookups, w);
     }},
    {"max-lookups-per-client", [](const std::string& v, server_config& c, std::string& w) {
       return set_count(v, 1, 256, c.max_lookups_per_client, w);
     }},
    {"max-startups", [](const std::string& v, server_config& c, std::string& w) {
       return set_count(v, 1, 1000000, c.max_startups, w);
     }},
    {"max-startups-per-client", [](const std::string& v, server_config& c, std::string& w) {
       return set_count(v, 1, 1000000, c.max_startups_per_client, w);
     }},
    {"client-prefix-v4", [](const std::string& v, server_config& c, std::string& w) {
       return set_count(v, 1, 32, c.client_prefix_v4, w);
     }},
    {"client-prefix-v6", [](const std::string& v, server_config& c, std::string& w) {
       return set_count(v, 1, 128, c.client_prefix_v6, w);
     }},
    {"auth-max-failures", [](const std::string& v, server_config& c, std::string& w) {
       return set_count(v, 0, 1000000, c.auth_max_failures, w);
     }},
    {"auth-user-max-failures", [](const std::string& v, server_config& c, std::string& w) {
       return set_count(v, 0, 1000000, c.auth_user_max_failures, w);
     }},
    {"auth-lockout", [](const std::string& v, server_config& c, std::string& w) {
       return set_duration(v, c.auth_lockout, w);
     }},
    {"handshake-timeout", [](const std::string& v, server_config& c, std::string& w) {
       return set_duration(v, c.handshake_timeout, w);
     }},
    {"negotiation-timeout", [](const std::string& v, server_config& c, std::string& w) {
       return set_duration(v, c.negotiation_timeout, w);
     }},
    {"bind-timeout", [](const std::string& v, server_config& c, std::string& w) {
       return set_duration(v, c.bind_timeout, w);
     }},
    {"connect-timeout", [](const std::string& v, server_config& c, std::string& w) {
       return set_duration(v, c.connect_timeout, w);
     }},
    {"idle-timeout", [](const std::string& v, server_config& c, std::string& w) {
       return set_duration(v, c.idle_timeout, w);
     }},
    {"keepalive", [](const std::string& v, server_config& c, std::string& w) {
       return set_duration(v, c.keepalive, w);
     }},
    {"drain-timeout", [](const std::string& v, server_config& c, std::string& w) {
       return set_duration(v, c.drain_timeout, w);
     }},
    {"buffer-size", [](const std::string& v, server_config& c, std::string& w) {
       return set_count(v, 1024, 1048576, c.buffer_size, w);
     }},
    {"daemon", [](const std::string& v, server_config& c, std::string& w) {
       return set_bool(v, c.daemon, w);
     }},
    {"threads", [](const std::string& v, server_config& c, std::string& w) {
       return set_count(v, 1, 64, c.threads, w);
     }},
};

const key_handler* find_handler(const std::string& key) {
  for (std::size_t i = 0; i < sizeof handlers / sizeof handlers[0]; ++i)
    if (key == handlers[i].key) return &handlers[i];
  return nullptr;
}

void fail(const std::string& file, int line, const std::string& message,
          std::vector<error>& errors) {
  error e;
  e.file = file;
  e.line = line;
  e.message = message;
  errors.push_back(e);
}

void fail(const entry& e, const std::string& message, std::vector<error>& errors) {
  fail(e.file, e.line, message, errors);
}

std::vector<std::string> all_keys() {
  std::vector<std::string> keys(1, "listen");
  for (std::size_t i = 0; i < sizeof handlers / sizeof handlers[0]; ++i)
    keys.push_back(handlers[i].key);
  keys.push_back("service");
  keys.insert(keys.end(), identity_keys().begin(), identity_keys().end());
  return keys;
}

}  // namespace

bool any_client_ca(const server_config& cfg) {
  if (!cfg.client_ca.empty()) return true;
  for (std::size_t i = 0; i < cfg.rules.catalog.size(); ++i)
    if (!cfg.rules.catalog[i].client_ca.empty()) return true;
  return false;
}

bool apply_entries(const std::vector<entry>& entries, server_config& cfg,
                   std::vector<error>& errors) {
  const std::size_t before = errors.size();
  catalog_builder services(cfg.rules.catalog);
  bool listen_seen = false;
  std::string listen_source;
  std::set<std::string> bad_sections;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const entry& e = entries[i];
    if (e.section.compare(0, 8, "service ") == 0) {
      services.section_entry(e.section.substr(8), e, errors);
      continue;
    }
    if (!e.section.empty() && e.section != "server") {
      if (bad_sections.insert(e.section).second)
        fail(e, "unknown section [" + e.section + "]", errors);
      continue;
    }
    const std::string key = normalise_key(e.key);
    if (key == "config") continue;  // the caller reads the file it names
    if (key == "service") {
      services.flag_entry(e, errors);
      continue;
    }
    if (key == "listen") {
      // Listen addresses accumulate within one source; a later source replaces them.
      if (!listen_seen || e.file != listen_source) cfg.listen.clear();
      listen_seen = true;
      listen_source = e.file;
      if (valid_listen(e.value))
        cfg.listen.push_back(e.value);
      else
        fail(e, "listen: expected ADDR:PORT, [ADDR]:PORT, *:PORT or PORT, not " + text::quote(e.value),
             errors);
      continue;
    }
    const key_handler* h = find_handler(key);
    std::string why;
    if (!h && apply_identity_key(key, e.value, cfg, why)) {
      if (!why.empty()) fail(e, key + ": " + why, errors);
      continue;
    }
    if (!h)
      fail(e, e.file == "command line" ? "unknown option --" + key : "unknown key " + text::quote(key),
           errors);
    else if (!h->set(e.value, cfg, why))
      fail(e, key + ": " + why, errors);
  }
  services.finish(cfg.rules.catalog, errors);
  return errors.size() == before;
}

bool validate(const server_config& cfg, std::vector<error>& errors) {
  const std::size_t before = errors.size();
  const std::string none;
  const policy::rules& r = cfg.rules;
  if (r.expose == policy::expose_mode::catalog && r.catalog.empty())
    fail(none, 0, "expose = catalog but no [service] is defined", errors);
  if (cfg.next_cert.empty() != cfg.next_key.empty())
    fail(none, 0, "next-cert and next-key must be given together", errors);
  if (!cfg.crl.empty() && !any_client_ca(cfg))
    fail(none, 0, "crl needs client-ca (globally or in a [service])", errors);
  if (cfg.require_client_cert && cfg.client_ca.empty())
    fail(none, 0, "require-client-cert needs client-ca", errors);
  if (!cfg.anonymous && cfg.passwd_file.empty() && cfg.client_ca.empty())
    fail(none, 0, "anonymous = no needs passwd-file or client-ca, or nobody can log in", errors);
  if (cfg.max_sessions_per_client == 0)
    fail(none, 0, "max-sessions-per-client must be at least 1", errors);
  if ((cfg.auth_max_failures > 0 || cfg.auth_user_max_failures > 0) && cfg.auth_lockout == 0)
    fail(none, 0, "auth-lockout must not be 0 (auth-max-failures = 0 and auth-user-max-failures = 0 turn the limits off)", errors);
  if (cfg.handshake_timeout == 0 || cfg.negotiation_timeout == 0 || cfg.connect_timeout == 0)
    fail(none, 0, "handshake-, negotiation- and connect-timeout must not be 0", errors);
  if (cfg.buffer_size < 1024 || cfg.buffer_size > 1048576)
    fail(none, 0, "buffer-size must be 1024-1048576", errors);
  if (cfg.threads < 1 || cfg.threads > 64) fail(none, 0, "threads must be 1-64", errors);
  for (std::size_t i = 0; i < r.catalog.size(); ++i) {
    const policy::service& s = r.catalog[i];
    const std::string name = "service '" + s.name + "'";
    if (s.port == 0) fail(none, 0, name + " needs a port", errors);
    if (s.auth == policy::service_auth::password && cfg.passwd_file.empty())
      fail(none, 0, name + " has auth = password but passwd-file is not set", errors);
    if (s.auth == policy::service_auth::certificate && cfg.client_ca.empty() && s.client_ca.empty())
      fail(none, 0, name + " has auth = certificate but client-ca is not set", errors);
    if ((!s.allow_users.empty() || !s.allow_groups.empty()) && cfg.passwd_file.empty())
      fail(none, 0, name + " has allow-users or allow-groups but passwd-file is not set", errors);
    if (!s.allow_cert.empty() && cfg.client_ca.empty() && s.client_ca.empty())
      fail(none, 0, name + " has allow-cert but neither it nor the server has a client-ca", errors);
    bool v4 = policy::canonical(s.address).is_v4();
    if (s.has_source && policy::canonical(s.source).is_v4() != v4)
      fail(none, 0, name + ": source and address must be the same IP version", errors);
    for (std::size_t j = 0; j < i; ++j)
      if (lower(r.catalog[j].name) == lower(s.name))
        fail(none, 0, "duplicate " + name, errors);
  }
  return errors.size() == before;
}

const std::vector<std::string>& server_keys() {
  static const std::vector<std::string> keys = all_keys();
  return keys;
}

}  // namespace config
}  // namespace tlsmux
