/* SPDX-License-Identifier: GPL-2.0-or-later */
/* wolfSSL for the small static binary (preset linux-x86_64-static, TLSMUX_PORT=linux-x86_64-small):
 * exactly ports/linux-x86_64/user_settings.h, then the trimming block below. The trimming
 * lives here, apart, so that changes to the x86-64 settings reach this port unchanged.
 *
 * What is trimmed: only the SP (single-precision, precomputed-table) fast paths that tlsmux's
 * own hot path does not use. Every algorithm stays: P-384 and RSA fall back to wolfSSL's
 * generic sp_int code (correct, slower), which only peers presenting such keys pay, once per
 * handshake. tlsmux's own identity is P-256 and its key exchange X25519 or P-256,
 * whose SP code and tables stay. Nothing here changes what can be negotiated. */
#ifndef TLSMUX_WOLFSSL_USER_SETTINGS_SMALL_H
#define TLSMUX_WOLFSSL_USER_SETTINGS_SMALL_H

#include "../linux-x86_64/user_settings.h"

/* ---- Trimming for the small static binary (sizes from nm on the 0.1 static build) ---- */
#undef WOLFSSL_SP_384      /* P-384 SP code and its 343 KB fixed-base table: ~380 KB */
#undef WOLFSSL_HAVE_SP_RSA /* RSA SP code: 2048 ~100 KB, 3072 ~95 KB, 4096 ~66 KB */
#undef WOLFSSL_SP_4096
/* P-256 with the small SP code: a 64-point fixed-base table instead of 2405 points (150 KB
 * less). Base-point multiplications (our ECDSA signature per full handshake, a P-256 key
 * share) cost more; X25519, the default key exchange, and resumed handshakes do not use it. */
#ifndef WOLFSSL_SP_SMALL
#define WOLFSSL_SP_SMALL
#endif
/* sp_x86_64_asm.S tests only these two (one section: --gc-sections cannot drop its parts) */
#ifndef WOLFSSL_SP_NO_2048
#define WOLFSSL_SP_NO_2048
#endif
#ifndef WOLFSSL_SP_NO_3072
#define WOLFSSL_SP_NO_3072
#endif

#endif /* TLSMUX_WOLFSSL_USER_SETTINGS_SMALL_H */
