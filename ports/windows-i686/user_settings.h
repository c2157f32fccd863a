/* SPDX-License-Identifier: GPL-2.0-or-later */
/* wolfSSL configuration for TLSMUX_WOLFSSL=source on Windows x86 (32-bit, mingw-w64, XP and
 * later): portable C with 32-bit SP digits, TLS 1.2/1.3 with AEAD suites only.
 *
 * Included by wolfssl/wolfcrypt/settings.h (WOLFSSL_USER_SETTINGS) in every wolfSSL and
 * tlsmux translation unit: preprocessor lines only, no C.
 * No assembly (aes_gcm_x86_asm.S is not used by 5.5.4's C code on Windows).
 * The protocol, cipher and key lists below are ports/linux-generic/user_settings.h's: keep
 * them in step (tests/ci/windows.sh compares them).
 */
#ifndef TLSMUX_WOLFSSL_USER_SETTINGS_H
#define TLSMUX_WOLFSSL_USER_SETTINGS_H

/* ---- Platform (mingw-w64 gcc, Windows API) ---- */
#if defined(__SIZEOF_LONG__) && defined(__SIZEOF_LONG_LONG__)
#define SIZEOF_LONG __SIZEOF_LONG__           /* 4: Windows is LLP64 */
#define SIZEOF_LONG_LONG __SIZEOF_LONG_LONG__
#endif
#if defined(__GNUC__)
#define HAVE_C___ATOMIC 1          /* reference counts with __atomic, not a mutex each */
#endif
#define HAVE_THREAD_LS             /* per-thread error queue and RNG state (gcc __thread) */
#define ERROR_QUEUE_PER_THREAD
#define HAVE_ERRNO_H
#define WOLFSSL_USE_ALIGN
/* Windows threads and Winsock, not pthreads: settings.h defines USE_WINDOWS_API for _WIN32;
 * said here too so that nobody adds HAVE_PTHREAD. No HAVE_GMTIME_R: msvcrt's gmtime() keeps
 * its result per thread. Entropy: CryptGenRandom (advapi32), wolfSSL's Windows default. */
#ifndef USE_WINDOWS_API
#define USE_WINDOWS_API
#endif
/* No WOLFSSL_SYS_CA_CERTS: a server needs no system trust store, and wolfSSL 5.5.4's
 * `#include <Wincrypt.h>` breaks on case-sensitive hosts (PORTING G5). */

/* ---- Protocol ---- */
#define WOLFSSL_TLS13
#define NO_OLD_TLS                 /* no SSL 3.0, TLS 1.0, TLS 1.1 */
#define WOLFSSL_EXTRA_ALERTS       /* tell refused peers why (handshake_failure, ...) */
#define HAVE_TLS_EXTENSIONS
#define HAVE_SUPPORTED_CURVES
#define HAVE_SNI
#define HAVE_ALPN
#define HAVE_EXTENDED_MASTER
#define HAVE_SERVER_RENEGOTIATION_INFO /* RFC 5746 signal only: OpenSSL 3 clients require it */
#define HAVE_SESSION_TICKET
#define HAVE_ENCRYPT_THEN_MAC      /* harmless: no CBC suite is compiled in */
#define KEEP_PEER_CERT             /* wolfSSL_get_peer_certificate for pins and known_hosts */
#define HAVE_CRL                   /* client certificate revocation: crl = FILE (src/crl.c) */
#define NO_PSK
/* Not defined, so off: HAVE_SECURE_RENEGOTIATION, WOLFSSL_EARLY_DATA, HAVE_LIBZ, WOLFSSL_DTLS,
 * HAVE_NULL_CIPHER, HAVE_ANON, OPENSSL_EXTRA, OPENSSL_ALL, WOLFSSL_QUIC, HAVE_OCSP. */

/* ---- Conformance (issue 13): what an outside TLS test suite found, fixed by configuration.
 * The same block in every port's user_settings.h; tests/abuse/tls_conformance.sh checks each
 * against the real binary, docs/security.md has the table per wolfSSL version. ---- */
#define WOLFSSL_VALIDATE_ECC_IMPORT    /* peer ECDHE points must lie on the curve: RFC 8446
                                          4.2.8.2, RFC 8422 5.11 (off-curve, (0,0), points of
                                          another curve); also checks keys loaded from files */
#define WOLFSSL_ECDHX_SHARED_NOT_ZERO  /* X25519: an all-zero shared secret (a low-order peer
                                          point) is refused, RFC 8446 7.4.2 */
#define MAX_CERTIFICATE_SZ 65536       /* certificate chains (client-ca) up to 64 KiB; the
                                          default is 18 KB, nine 2 KB certificates */
#define MAX_HANDSHAKE_SZ 65536         /* any handshake message, e.g. a padded ClientHello.
                                          wolfSSL allocates an incomplete message's announced
                                          size, so this also bounds memory per handshake */
#define WOLFSSL_MAX_SIGALGO 512        /* bytes: the first 256 signature schemes a peer lists
                                          are read (default 38 bytes: 19 schemes) */
#define WOLFSSL_TLS13_MIDDLEBOX_COMPAT /* RFC 8446 D.4: change_cipher_spec after the
                                          ServerHello when the client sent a session id */
#undef HAVE_ALPN                      /* unused by tlsmux, yet its parser runs on every
                                          ClientHello: CVE-2026-3547 (out-of-bounds read,
                                          wolfSSL <= 5.8.4) is compiled out with it */

/* ---- Ciphers: AEAD only ---- */
#define HAVE_AESGCM
#define GCM_TABLE_4BIT
#define NO_AES_CBC
#define HAVE_CHACHA
#define HAVE_POLY1305
#define HAVE_ONE_TIME_AUTH
#define NO_DES3
#define NO_RC4
#define NO_MD4
#define NO_DSA
#define NO_DH                      /* no DHE suites, no FFDHE groups */

/* ---- Hashes and KDFs ---- */
#define WOLFSSL_SHA384
#define WOLFSSL_SHA512
#define HAVE_HKDF
#define HAVE_PBKDF2                /* password file (wc_PBKDF2 with SHA-256) */
/* SHA-1 stays: certificates and key identifiers still use it. MD5 is not needed by TLS 1.2. */
#define NO_MD5

/* ---- Public key: ECC P-256/P-384, X25519, RSA (verify and sign; peers may use RSA) ---- */
#define HAVE_ECC
#define ECC_USER_CURVES            /* exactly these curves: P-256 (default on) and P-384 */
#define HAVE_ECC384
#define ECC_SHAMIR
#define ECC_TIMING_RESISTANT
#define HAVE_CURVE25519
#define WC_RSA_BLINDING
#define WC_RSA_PSS
#define WOLFSSL_PSS_LONG_SALT
#define TFM_TIMING_RESISTANT
#define WOLFSSL_SP_MATH_ALL        /* sp_int for everything; no tfm.c/integer.c */
#define WOLFSSL_HAVE_SP_ECC
#define WOLFSSL_HAVE_SP_RSA
#define WOLFSSL_SP_384
#define WOLFSSL_SP_4096
#define WOLFSSL_SP_LARGE_CODE

/* ---- Certificates and keys ---- */
#define WOLFSSL_KEY_GEN
#define WOLFSSL_CERT_GEN
#define WOLFSSL_CERT_EXT
#define WOLFSSL_ALT_NAMES
#define WOLFSSL_IP_ALT_NAME        /* IP addresses in subjectAltName: --pin/--ca to 127.0.0.1 */
#define WOLFSSL_BASE64_ENCODE
#define HAVE_HASHDRBG

#endif /* TLSMUX_WOLFSSL_USER_SETTINGS_H */
