/* SPDX-License-Identifier: GPL-2.0-or-later */
/* wolfSSL configuration for Solaris 11 / illumos on x86 (tier 3: written down, not built here; see README.md):
 * the portable linux-generic list (C only, WOLFSSL_SP_INT_DIGIT_ALIGN) plus what this OS needs.
 * Preprocessor lines only. */
#ifndef TLSMUX_WOLFSSL_USER_SETTINGS_PORT_H
#define TLSMUX_WOLFSSL_USER_SETTINGS_PORT_H

#include "../linux-generic/user_settings.h"

/* wolfSSL defines WOLFSSL_SOLARIS itself from __sun/__SVR4 (settings.h). Plain C here too:
 * the x86-64 assembly of ports/linux-x86_64 assumes the System V ABI and GNU as, which
 * Solaris' gcc has, but it is not proved; add a wolfssl.cmake when it is. */

#endif /* TLSMUX_WOLFSSL_USER_SETTINGS_PORT_H */
