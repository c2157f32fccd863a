// SPDX-License-Identifier: GPL-2.0-or-later
// Must NOT compile: the configuration reaching for the TLS module (tests/map/CMakeLists.txt).
#include "tls/context.hpp"
