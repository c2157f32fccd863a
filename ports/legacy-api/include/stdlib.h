/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Legacy API profile (ports/legacy-api): <stdlib.h> without mkostemp(), reallocarray(),
 * secure_getenv() and arc4random(). C++'s <cstdlib> reaches glibc's header past this one
 * (#include_next), so in C++ this catches direct <stdlib.h> includes only. */
#ifndef TLSMUX_LEGACY_STDLIB_H
#define TLSMUX_LEGACY_STDLIB_H
#define mkostemp tlsmux_legacy_hidden_mkostemp
#define mkostemps tlsmux_legacy_hidden_mkostemps
#define reallocarray tlsmux_legacy_hidden_reallocarray
#define secure_getenv tlsmux_legacy_hidden_secure_getenv
#define arc4random tlsmux_legacy_hidden_arc4random
#define arc4random_buf tlsmux_legacy_hidden_arc4random_buf
#define arc4random_uniform tlsmux_legacy_hidden_arc4random_uniform
#include_next <stdlib.h>
#undef mkostemp
#undef mkostemps
#undef reallocarray
#undef secure_getenv
#undef arc4random
#undef arc4random_buf
#undef arc4random_uniform
#endif
