# SPDX-License-Identifier: GPL-2.0-or-later
# wolfSSL assembly for x86-64 (AT&T syntax, System V ABI), as --enable-aesni --enable-intelasm
# --enable-sp-asm would build it. Every routine is chosen at run time by CPUID.
list(APPEND TLSMUX_WOLFSSL_PORT_SOURCES
  wolfcrypt/src/sp_x86_64.c
  wolfcrypt/src/aes_asm.S wolfcrypt/src/aes_gcm_asm.S wolfcrypt/src/chacha_asm.S
  wolfcrypt/src/poly1305_asm.S wolfcrypt/src/sha256_asm.S wolfcrypt/src/sha512_asm.S
  wolfcrypt/src/fe_x25519_asm.S wolfcrypt/src/sp_x86_64_asm.S)
# aes.c uses AES-NI intrinsics for key setup (wolfSSL's configure adds the same flag).
list(APPEND TLSMUX_WOLFSSL_PORT_C_OPTIONS -maes)
# aes_asm.S does not read user_settings.h.
list(APPEND TLSMUX_WOLFSSL_PORT_ASM_DEFINITIONS WOLFSSL_X86_64_BUILD)
