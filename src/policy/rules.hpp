// SPDX-License-Identifier: GPL-2.0-or-later
// The inputs of the local-only policy: exposure mode, catalog, own ports.
#ifndef TLSMUX_POLICY_RULES_HPP
#define TLSMUX_POLICY_RULES_HPP

#include "identity/proxy_header.hpp"
#include "policy/access.hpp"

#include <asio/ip/address.hpp>
#include <cstdint>
#include <string>
#include <vector>

namespace tlsmux {
namespace policy {

/// expose = same-address | local | catalog (docs/security.md).
enum class expose_mode { same_address, local, catalog };
/// Who may use a catalog service.
enum class service_auth { any, password, certificate };

/// One `[service NAME]` section of the configuration.
struct service {
  std::string name;
  std::uint16_t port = 0;
  asio::ip::address address = asio::ip::address_v4::loopback();  ///< where the service listens
  service_auth auth = service_auth::any;
  bool udp = true;    ///< UDP ASSOCIATE may reach it (only if enabled globally too)
  bool bind = true;   ///< BIND may be used for it (only if enabled globally too)
  bool has_source = false;
  asio::ip::address source;  ///< connect from this local address (a loopback alias)
  identity::proxy_version proxy = identity::proxy_version::none;  ///< PROXY header to send first
  std::vector<network> allow_from;        ///< client networks; empty: every client
  std::vector<std::string> allow_users;   ///< password users; with the two below: who may
  std::vector<std::string> allow_groups;  ///< groups of the password file
  std::vector<std::string> allow_cert;    ///< certificate CN or SAN patterns (name_matches)
  std::string client_ca;  ///< a CA file of its own: certificate logins must chain to it
  /// True when allow-users, allow-groups or allow-cert restrict who may use the service.
  bool restricts_identity() const {
    return !allow_users.empty() || !allow_groups.empty() || !allow_cert.empty();
  }
};

/// Everything the policy needs that comes from the configuration.
struct rules {
  expose_mode expose = expose_mode::same_address;
  std::vector<service> catalog;
  std::vector<std::uint16_t> own_ports;  ///< tlsmux's listening ports: always refused
  bool udp = false;   ///< UDP ASSOCIATE enabled globally
  bool bind = false;  ///< BIND enabled globally
  client_filter clients;  ///< allow-from, deny-from: applied at accept, before TLS
};

/// Parses "same-address", "local" or "catalog".
bool parse_expose(const std::string& text, expose_mode& out);
/// The configuration spelling of a mode.
const char* expose_name(expose_mode m);
/// Parses "any", "password" or "certificate".
bool parse_service_auth(const std::string& text, service_auth& out);

}  // namespace policy
}  // namespace tlsmux

#endif
