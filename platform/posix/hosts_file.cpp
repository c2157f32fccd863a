// SPDX-License-Identifier: GPL-2.0-or-later
#include "tlsmux/platform/hosts_file.hpp"

namespace tlsmux {
namespace platform {

std::string hosts_file_path() { return "/etc/hosts"; }

}  // namespace platform
}  // namespace tlsmux
