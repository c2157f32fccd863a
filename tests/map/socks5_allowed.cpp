// SPDX-License-Identifier: GPL-2.0-or-later
// Must compile: what a codec may use (the control case of tests/map/CMakeLists.txt).
#include "socks5/protocol.hpp"
#include "text/escape.hpp"

#include <asio/ip/address.hpp>
