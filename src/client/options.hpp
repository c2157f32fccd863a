// SPDX-License-Identifier: GPL-2.0-or-later
// Options shared by the client commands (connect, forward, socks, bench) and the parsing of
// their HOST[:PORT], SERVICE and -L/-D arguments. Pure.
#ifndef TLSMUX_CLIENT_OPTIONS_HPP
#define TLSMUX_CLIENT_OPTIONS_HPP

#include "config/ini.hpp"
#include "socks5/protocol.hpp"
#include "tls/suite_order.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace tlsmux {
namespace client {

/// How the client reaches and verifies the server.
struct client_options {
  std::string host;                 ///< server host
  std::uint16_t port = 4430;        ///< server port
  std::string server_name;          ///< --server-name: SNI and name check (default: host)
  std::string pin;                  ///< --pin sha256:...
  std::string ca_file;              ///< --ca FILE: chain + name verification
  std::string known_hosts_file;     ///< --known-hosts FILE (default ~/.tlsmux/known_hosts)
  bool accept_new = false;          ///< --accept-new: trust an unknown key without asking
  bool insecure = false;            ///< --insecure: no verification at all (warns)
  std::string user;                 ///< --user NAME (RFC 1929)
  std::string password_file;        ///< --password-file FILE (else $TLSMUX_PASSWORD)
  std::string cert_file, key_file;  ///< --cert/--key: a TLS client certificate
  std::uint32_t timeout_ms = 15000; ///< --timeout: connect + TLS + SOCKS
  std::uint32_t keepalive_ms = 120000; ///< --keepalive: TCP keepalive probe interval; 0: off
  std::string tls_profile = "intermediate";
  tls::aead_setting cipher_preference = tls::aead_setting::automatic;  ///< --cipher-preference
};

/// Keys that take a value for every client command.
const std::vector<std::string>& client_keys();
/// Applies command-line entries onto opt; unknown keys are left for the caller (returns
/// false with errors for bad values).
bool apply_client_entries(const std::vector<config::entry>& entries, client_options& opt,
                          std::vector<std::string>& errors);

/// "host", "host:port", "[v6]" or "[v6]:port"; default_port when omitted.
bool parse_host_port(const std::string& text, std::uint16_t default_port, std::string& host,
                     std::uint16_t& port);

/// SERVICE: "25" (127.0.0.1:25), "smtp" (a catalog name), "NAME:PORT" or "ADDR:PORT".
bool parse_service(const std::string& text, socks5::address& out);

/// A -L forward: "[BIND:]LPORT:SERVICE" (BIND defaults to 127.0.0.1).
struct forward_spec {
  std::string bind = "127.0.0.1";
  std::uint16_t port = 0;
  socks5::address service;
};
/// Parses a -L argument.
bool parse_forward(const std::string& text, forward_spec& out);
/// Parses a -D argument "[BIND:]PORT" (BIND defaults to 127.0.0.1).
bool parse_listen_port(const std::string& text, std::string& bind, std::uint16_t& port);

}  // namespace client
}  // namespace tlsmux

#endif
