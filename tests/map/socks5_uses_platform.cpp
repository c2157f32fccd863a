// SPDX-License-Identifier: GPL-2.0-or-later
// Must NOT compile: a codec reaching for the OS layer (tests/map/CMakeLists.txt).
#include "tlsmux/platform/files.hpp"
