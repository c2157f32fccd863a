/* SPDX-License-Identifier: GPL-2.0-or-later */
/* wolfSSL configuration for HP-UX 11i on PA-RISC (tier 3: written down, not built here; see README.md):
 * the portable linux-generic list (C only, WOLFSSL_SP_INT_DIGIT_ALIGN) plus what this OS needs.
 * Preprocessor lines only. */
#ifndef TLSMUX_WOLFSSL_USER_SETTINGS_PORT_H
#define TLSMUX_WOLFSSL_USER_SETTINGS_PORT_H

#include "../linux-generic/user_settings.h"

/* aCC predefines no __SIZEOF_LONG__: state the sizes (__LP64__ in +DD64 mode). */
#if !defined(SIZEOF_LONG)
  #if defined(__LP64__)
    #define SIZEOF_LONG 8
  #else
    #define SIZEOF_LONG 4
  #endif
  #define SIZEOF_LONG_LONG 8
#endif
#ifndef BIG_ENDIAN_ORDER
  #define BIG_ENDIAN_ORDER
#endif
/* /dev/urandom needs the KRNG11i product on HP-UX 11.11 (wolfcrypt/src/random.c says so). */

#endif /* TLSMUX_WOLFSSL_USER_SETTINGS_PORT_H */
