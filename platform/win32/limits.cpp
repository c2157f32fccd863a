// SPDX-License-Identifier: GPL-2.0-or-later
// Descriptor limits for Windows: there is no per-process socket limit, and Winsock's fd_set
// is an array of handles rather than a bitmap indexed by descriptor value.
#include <tlsmux/platform/limits.hpp>

namespace tlsmux {
namespace platform {

namespace {

// Windows has no per-process socket limit; report the cap POSIX uses for "unlimited".
const std::size_t descriptor_cap = 65536;

}  // namespace

std::size_t raise_descriptor_limit() { return descriptor_cap; }

std::size_t select_descriptor_limit() {
  return 0;  // Winsock's fd_set is an array of handles, sized by FD_SETSIZE at compile time
}

}  // namespace platform
}  // namespace tlsmux
