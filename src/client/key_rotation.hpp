// SPDX-License-Identifier: GPL-2.0-or-later
// The service listing as a client fetches it, and key rotation in the spirit of OpenSSH's
// UpdateHostKeys: after a connection verified with the server's current key (pin or
// known_hosts), the client reads the listing over such a connection and records the next
// key the server announces as an "@next" line of known_hosts (docs/security.md).
#ifndef TLSMUX_CLIENT_KEY_ROTATION_HPP
#define TLSMUX_CLIENT_KEY_ROTATION_HPP

#include "client/dialer.hpp"
#include "client/help_listing.hpp"
#include "client/options.hpp"

#include <functional>
#include <string>
#include <vector>

namespace tlsmux {
namespace client {

/// Called once: ok with the listing, or an error for the user.
typedef std::function<void(bool ok, const help_listing& listing, const std::string& error)> help_handler;

/// Dials req with the listing as its target (verification, credentials and timeout as given)
/// and reads the listing to its end.
void fetch_help(asio::io_context& io, dial_request req, help_handler done);

/// Makes pins the "@next" lines of opt's server in known_hosts (a pin that already is a
/// current key of that server is left out); logs what it learned. Returns false when the
/// file cannot be written.
bool record_next_pins(const client_options& opt, const std::vector<std::string>& pins);

/// Wraps req.verify: after the first connection it verified with a pin or known_hosts, one
/// listing is fetched in the background and its next keys recorded. Nothing with --ca or
/// --insecure (no pin to rotate).
void watch_next_keys(asio::io_context& io, const client_options& opt, dial_request& req);

}  // namespace client
}  // namespace tlsmux

#endif
