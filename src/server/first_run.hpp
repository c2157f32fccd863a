// SPDX-License-Identifier: GPL-2.0-or-later
// The zero-config first start: a key and a self-signed certificate in the state directory.
#ifndef TLSMUX_SERVER_FIRST_RUN_HPP
#define TLSMUX_SERVER_FIRST_RUN_HPP

#include "config/server_config.hpp"

#include <string>

namespace tlsmux {
namespace server {

/// The lock file in the state directory that one key generation at a time holds.
const char* const keygen_lock_file = "keygen.lock";

/// When cfg's cert and key are the zero-config identity (`default_identity`, see
/// config::default_identity) and not both there, creates the state directory (0700), takes
/// its keygen lock, looks again, and if still needed makes an ECDSA P-256 key and a
/// certificate for this host, localhost, 127.0.0.1 and ::1 (key first, then certificate,
/// each renamed into place) and logs it. Safe for processes starting at once (inetd).
/// Returns false with error when that fails; true when there was nothing to do.
bool ensure_identity(const config::server_config& cfg, bool default_identity, std::string& error);

}  // namespace server
}  // namespace tlsmux

#endif
