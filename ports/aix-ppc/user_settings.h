/* SPDX-License-Identifier: GPL-2.0-or-later */
/* wolfSSL configuration for AIX 7.1 on POWER (tier 3: written down, not built here; see README.md):
 * the portable linux-generic list (C only, WOLFSSL_SP_INT_DIGIT_ALIGN) plus what this OS needs.
 * Preprocessor lines only. */
#ifndef TLSMUX_WOLFSSL_USER_SETTINGS_PORT_H
#define TLSMUX_WOLFSSL_USER_SETTINGS_PORT_H

#include "../linux-generic/user_settings.h"

/* xlC and Open XL predefine no __SIZEOF_LONG__ in every mode: state the sizes. */
#if !defined(SIZEOF_LONG)
  #if defined(__64BIT__)
    #define SIZEOF_LONG 8
  #else
    #define SIZEOF_LONG 4
  #endif
  #define SIZEOF_LONG_LONG 8
#endif
#ifndef BIG_ENDIAN_ORDER
  #define BIG_ENDIAN_ORDER
#endif

#endif /* TLSMUX_WOLFSSL_USER_SETTINGS_PORT_H */
