// SPDX-License-Identifier: GPL-2.0-or-later
// `tlsmux server --check --explain`: every port that listens on this host now, and who can
// reach it through tlsmux under the configuration (policy/exposure_report.hpp).
#ifndef TLSMUX_APP_EXPLAIN_HPP
#define TLSMUX_APP_EXPLAIN_HPP

#include "app/commands.hpp"
#include "config/server_config.hpp"

namespace tlsmux {
namespace app {

/// Prints the report (a table, or JSON); returns an exit code.
int explain_exposure(const config::server_config& cfg, bool json);

}  // namespace app
}  // namespace tlsmux

#endif
