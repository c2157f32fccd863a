// SPDX-License-Identifier: GPL-2.0-or-later
// Scratch paths for platform tests, unique per test process, inside the build tree.
#ifndef TLSMUX_TESTS_PLATFORM_SCRATCH_HPP
#define TLSMUX_TESTS_PLATFORM_SCRATCH_HPP

#include <tlsmux/platform/files.hpp>
#include <tlsmux/platform/process.hpp>

#include <string>

namespace tlsmux {
namespace test {

/// A path in the test build directory that no other test process uses.
inline std::string scratch_path(const std::string& name) {
  return platform::join_path(TLSMUX_TEST_TMP, "plat_" + std::to_string(platform::process_id()) +
                                                  "_" + name);
}

}  // namespace test
}  // namespace tlsmux

#endif
