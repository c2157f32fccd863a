// SPDX-License-Identifier: GPL-2.0-or-later
// The server's side of the service listing (socks5/help.hpp): which catalog names a client
// may use, given how it authenticated, as text lines. Pure.
#ifndef TLSMUX_POLICY_HELP_LISTING_HPP
#define TLSMUX_POLICY_HELP_LISTING_HPP

#include "policy/decider.hpp"
#include "policy/rules.hpp"

#include <string>
#include <vector>

namespace tlsmux {
namespace policy {

/// What the listing holds besides the catalog.
struct help_options {
  bool list_services = true;           ///< service-list = yes
  std::vector<std::string> next_pins;  ///< the pins of the server's next keys
};

/// "tlsmux-help 1", then "service NAME AUTH" for every catalog entry whose auth the session
/// satisfies (AUTH: any, password or certificate), or "listing off"; then "expose MODE" and
/// "next-pin PIN" lines, and "end" (a listing cut short is told from a short one). Each line
/// ends with LF.
std::string format_help(const rules& r, const session_facts& f, const help_options& o);

}  // namespace policy
}  // namespace tlsmux

#endif
