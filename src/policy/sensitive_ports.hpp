// SPDX-License-Identifier: GPL-2.0-or-later
// Ports of services that commonly trust connections from localhost (docs/security.md).
#ifndef TLSMUX_POLICY_SENSITIVE_PORTS_HPP
#define TLSMUX_POLICY_SENSITIVE_PORTS_HPP

#include "policy/rules.hpp"

#include <string>
#include <vector>

namespace tlsmux {
namespace policy {

/// A port range known to host a localhost-trusting service, with its usual name.
struct sensitive_port {
  std::uint16_t first;
  std::uint16_t last;
  const char* what;  ///< e.g. "smtp (open relay for localhost)"
};

/// The built-in table: 25, 111, 2375, 3128, 3306, 5432, 6000-6063, 6379, 11211, ...
const std::vector<sensitive_port>& sensitive_ports();

/// The table row that holds port, or null.
const sensitive_port* find_sensitive(std::uint16_t port);

/// Warning lines for the trust-sensitive ports that anonymous clients can reach under these
/// rules and that have a listener on this host now (`listening`: ports, any order; the
/// caller passes the TCP ports, and the UDP ports when UDP ASSOCIATE is on). One line per
/// port: in catalog mode for entries with auth = any on such a port, in the other modes for
/// every such port that no catalog entry protects, then one line of advice. Empty with
/// anonymous off.
/// In the open modes also a line on the source address of anonymous sessions, whatever
/// listens: anonymous_v4 / anonymous_v6 are `source-anonymous` / `-v6` as text, empty when
/// unset (then connections to the host's own addresses come from that address: the host).
std::vector<std::string> exposure_warnings(const rules& r, bool anonymous_enabled,
                                           const std::vector<std::uint16_t>& listening,
                                           const std::string& anonymous_v4 = std::string(),
                                           const std::string& anonymous_v6 = std::string());

}  // namespace policy
}  // namespace tlsmux

#endif
