/* SPDX-License-Identifier: GPL-2.0-or-later */
/* wolfSSL configuration for Solaris 10/11 on SPARC (tier 3: written down, not built here; see README.md):
 * the portable linux-generic list (C only, WOLFSSL_SP_INT_DIGIT_ALIGN) plus what this OS needs.
 * Preprocessor lines only. */
#ifndef TLSMUX_WOLFSSL_USER_SETTINGS_PORT_H
#define TLSMUX_WOLFSSL_USER_SETTINGS_PORT_H

#include "../linux-generic/user_settings.h"

/* wolfSSL defines WOLFSSL_SOLARIS itself from __sun/__SVR4 (settings.h). Sun Studio does not
 * predefine __SIZEOF_LONG__: types.h then derives SIZEOF_LONG from _LP64. */

#endif /* TLSMUX_WOLFSSL_USER_SETTINGS_PORT_H */
