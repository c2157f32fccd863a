// SPDX-License-Identifier: GPL-2.0-or-later
// Must NOT compile: the text module depends on nothing, not even Asio (tests/map/CMakeLists.txt).
#include <asio/ip/address.hpp>
