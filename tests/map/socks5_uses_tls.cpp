// SPDX-License-Identifier: GPL-2.0-or-later
// Must NOT compile: a codec reaching for wolfSSL (tests/map/CMakeLists.txt).
#include <wolfssl/ssl.h>
