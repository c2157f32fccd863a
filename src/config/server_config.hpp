// SPDX-License-Identifier: GPL-2.0-or-later
// The server's configuration as plain values, built from INI entries (file first, then
// command-line flags, which override). See tlsmux.conf(5) for every key.
#ifndef TLSMUX_CONFIG_SERVER_CONFIG_HPP
#define TLSMUX_CONFIG_SERVER_CONFIG_HPP

#include "config/ini.hpp"
#include "identity/source_select.hpp"
#include "policy/rules.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace tlsmux {
namespace config {

/// Default TLSMUX port.
const std::uint16_t default_port = 4430;

/// Server settings. Durations are in milliseconds; 0 disables a timeout where noted.
struct server_config {
  std::vector<std::string> listen;   ///< "ADDR:PORT" / "[V6]:PORT" / "PORT"; default: all, 4430
  std::string cert;                  ///< PEM chain; default: state-dir/server.crt (generated)
  std::string key;                   ///< PEM key;   default: state-dir/server.key (generated)
  std::string next_cert, next_key;   ///< the next identity, announced to clients (rotation)
  bool service_list = true;          ///< answer help.tlsmux.invalid with the catalog names
  std::string state_dir;             ///< default: platform default
  std::string tls_profile = "intermediate";  ///< intermediate (TLS 1.2+1.3) or modern (1.3)
  std::string cipher_preference = "auto";    ///< auto, aes-gcm or chacha20 (tls/suite_order.hpp)
  bool anonymous = true;             ///< offer SOCKS method 0x00
  std::string passwd_file;           ///< RFC 1929 users (tlsmux passwd); empty: method 0x02 off
  std::string client_ca;             ///< CA for TLS client certificates; empty: not requested
  bool require_client_cert = false;  ///< refuse handshakes without a valid client certificate
  std::string crl;                   ///< CRL file (PEM or DER) for client certificates; reloaded on SIGHUP
  policy::rules rules;               ///< expose, catalog, udp, bind (own_ports filled at start)
  std::string log_file;              ///< empty: stderr
  bool syslog = false;               ///< log to the system log instead
  std::string log_level = "info";    ///< error, warning, notice, info, debug
  std::string pid_file;
  std::string user, group, chroot_dir;
  std::size_t max_sessions = 0;               ///< 0: computed from the descriptor limit
  std::size_t max_sessions_per_client = 64;   ///< per client network (client-prefix-v4/v6)
  std::size_t max_extra_sockets_per_client = 8;  ///< UDP sockets and BIND listeners per client
  std::size_t max_lookups = 16;               ///< name lookups waiting on the network at once
  std::size_t max_lookups_per_client = 4;     ///< of those, per client
  std::size_t max_startups = 256;             ///< sessions not yet negotiated (TLS + SOCKS)
  std::size_t max_startups_per_client = 32;   ///< the same, per client network
  std::size_t client_prefix_v4 = 32;          ///< bits of an IPv4 address that make one client
  std::size_t client_prefix_v6 = 64;          ///< bits of an IPv6 address that make one client
  std::size_t auth_max_failures = 5;          ///< failed logins per address prefix; 0: off
  std::size_t auth_user_max_failures = 10;    ///< failed logins per user name; 0: off
  std::uint32_t auth_lockout = 60000;         ///< refused for this long after the last one
  std::uint32_t handshake_timeout = 10000;    ///< accept -> TLS done, absolute
  std::uint32_t negotiation_timeout = 10000;  ///< TLS done -> SOCKS request parsed, absolute
  std::uint32_t connect_timeout = 10000;
  std::uint32_t bind_timeout = 60000;         ///< BIND: how long to wait for the peer
  std::uint32_t idle_timeout = 0;             ///< relay with no traffic either way; 0: never (as ssh)
  std::uint32_t keepalive = 120000;           ///< TCP keepalive on both legs: probe after this idle; 0: off
  std::uint32_t udp_idle_timeout = 60000;     ///< UDP association with no datagram either way; 0: never
  std::uint32_t drain_timeout = 30000;        ///< SIGTERM: how long sessions may finish
  std::size_t buffer_size = 65536;            ///< relay buffer per direction (>= 1024)
  bool daemon = false;                        ///< detach from the terminal (`daemon = yes`)
  std::size_t threads = 1;                    ///< event loops (threads); sessions are spread over them
  /// source-anonymous, source-user, source-cert (and -v6): where each identity class
  /// connects to local services from (docs/security.md)
  identity::source_table sources = identity::default_sources();
  bool ident = false;                         ///< run the RFC 1413 ident responder
  std::string ident_listen = "*:113";         ///< where it listens
};

/// Applies one of the identity keys (source-*, ident, ident-listen). False when key is not
/// one of them; otherwise true, with why set when the value is bad.
bool apply_identity_key(const std::string& key, const std::string& value, server_config& cfg,
                        std::string& why);
/// The identity keys, for server_keys().
const std::vector<std::string>& identity_keys();

/// Applies entries in order onto cfg (later entries override; `listen` and services
/// accumulate within one source, and a later source replaces the listen list and any
/// service of the same name). Section "" and "server" hold the global keys; key `service`
/// with value "NAME port=25 auth=password" is the flag form of a `[service NAME]` section;
/// key `config` is ignored (the caller reads that file). Unknown keys and bad values are
/// errors naming file:line. Returns true when no error was found.
bool apply_entries(const std::vector<entry>& entries, server_config& cfg,
                   std::vector<error>& errors);

/// Cross-field checks after all sources are applied (e.g. catalog mode with no services,
/// require-client-cert without client-ca). Appends errors; returns true when valid.
bool validate(const server_config& cfg, std::vector<error>& errors);

/// True when client certificates are requested: a global or a service's client-ca.
bool any_client_ca(const server_config& cfg);

/// Parses "10s", "500ms", "2m", "1h" or a plain number of seconds into milliseconds.
bool parse_duration(const std::string& text, std::uint32_t& ms);
/// Parses "yes/no/true/false/on/off/1/0".
bool parse_bool(const std::string& text, bool& out);

/// Every key the server accepts, for help text and the man page check.
const std::vector<std::string>& server_keys();

}  // namespace config
}  // namespace tlsmux

#endif
