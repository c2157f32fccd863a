// SPDX-License-Identifier: GPL-2.0-or-later
// Server verification for the client commands: --ca (chain + name, done by wolfSSL),
// --pin (SPKI pin), or by default trust on first use in ~/.tlsmux/known_hosts.
#ifndef TLSMUX_CLIENT_VERIFY_HPP
#define TLSMUX_CLIENT_VERIFY_HPP

#include "client/dialer.hpp"
#include "client/options.hpp"

#include <memory>
#include <string>

namespace tlsmux {
namespace client {

/// Builds the client TLS context for opt; null with error when a file cannot be loaded.
std::shared_ptr<tls::context> make_client_context(const client_options& opt, std::string& error);

/// Fills the verification part of a dial request from opt (check_name, verify callback).
/// Prints the --insecure warning. The TOFU callback may prompt on the terminal.
void configure_verification(const client_options& opt, dial_request& req);

/// The default known_hosts path (~/.tlsmux/known_hosts).
std::string default_known_hosts();
/// The known_hosts file opt uses (--known-hosts, else the default).
std::string known_hosts_path(const client_options& opt);

/// Fills user/password of a request: password from --password-file, $TLSMUX_PASSWORD, or
/// else asked on the terminal without echo (false with error when there is none).
bool configure_credentials(const client_options& opt, dial_request& req, std::string& error);

}  // namespace client
}  // namespace tlsmux

#endif
