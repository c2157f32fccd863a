# SPDX-License-Identifier: GPL-2.0-or-later
# The static preset's port: the same x86-64 assembly as ports/linux-x86_64.
include("${CMAKE_CURRENT_LIST_DIR}/../linux-x86_64/wolfssl.cmake")

# Cold wolfSSL code, compiled for size: key and certificate loading, PEM/Base64, PBKDF2 for the
# password file, signature wrappers, error strings, RSA (tlsmux's own keys are ECC; RSA only
# checks a peer's RSA certificate, once per handshake), ASN.1 (certificate generation, and
# parsing the peer's certificate: on a server only with client certificates) and the
# handshake messages' encoding and extensions (tls.c, tls13.c: once per handshake; the
# handshake's cost is the ECC arithmetic, which stays fast). The record layer (internal.c),
# ECC/X25519, the AEAD ciphers, hashes and the RNG keep the build type's -O2.
foreach(_cold wolfcrypt/src/coding.c wolfcrypt/src/error.c wolfcrypt/src/logging.c
              wolfcrypt/src/pwdbased.c wolfcrypt/src/signature.c wolfcrypt/src/wc_encrypt.c
              wolfcrypt/src/rsa.c wolfcrypt/src/wc_port.c wolfcrypt/src/asn.c src/ssl.c
              src/tls.c src/tls13.c src/crl.c)
  set_source_files_properties("${_wsrc}/${_cold}" PROPERTIES COMPILE_OPTIONS -Os)
endforeach()

# No unwind tables for wolfSSL's C code (about 60 KB of .eh_frame): C code never throws, and
# a C++ exception thrown in one of tlsmux's I/O callbacks (only std::bad_alloc can be) now
# ends the process through std::terminate instead of unwinding through wolfSSL frames, which
# would leave that connection's wolfSSL state inconsistent anyway.
list(APPEND TLSMUX_WOLFSSL_PORT_C_OPTIONS -fno-asynchronous-unwind-tables -fno-unwind-tables)
