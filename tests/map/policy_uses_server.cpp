// SPDX-License-Identifier: GPL-2.0-or-later
// Must NOT compile: policy reaching up into the server (tests/map/CMakeLists.txt).
#include "server/server.hpp"
