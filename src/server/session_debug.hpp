// SPDX-License-Identifier: GPL-2.0-or-later
// The session's --log-level debug lines, in the log-field grammar (text/log_fields.hpp): one
// per handshake (version, suite, group, resumption) and one per policy decision (the rule
// that matched, the address the request was rewritten to, the authentication required and
// the one given). Built here so session.cpp stays the state machine.
#ifndef TLSMUX_SERVER_SESSION_DEBUG_HPP
#define TLSMUX_SERVER_SESSION_DEBUG_HPP

#include "policy/decider.hpp"
#include "policy/rules.hpp"
#include "tls/engine.hpp"

#include <asio/ip/address.hpp>
#include <string>

namespace tlsmux {
namespace server {

/// "tls client=1.2.3.4:5 version=TLSv1.3 suite=TLS_AES_128_GCM_SHA256 group=X25519 resumed=no"
std::string tls_debug_line(const std::string& client, const tls::engine& e);

/// What the decision was about.
struct decision_facts {
  std::string client;   ///< "1.2.3.4:5"
  std::string command;  ///< "CONNECT"
  std::string request;  ///< the destination as requested
  std::string auth;     ///< how the session authenticated: anonymous, password, certificate
  asio::ip::address arrival;
};

/// "policy client=... command=CONNECT request=localhost:22 verdict=allowed
/// rule=expose=same-address rewrite=... targets=192.0.2.7:22 auth-required=any auth=anonymous"
std::string policy_debug_line(const decision_facts& f, const policy::rules& r, const policy::verdict& v);

}  // namespace server
}  // namespace tlsmux

#endif
