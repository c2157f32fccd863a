# SPDX-License-Identifier: GPL-2.0-or-later
# wolfSSL in portable C (armhf, MIPS, SPARC, POWER, and any CPU without a port of its own).
# Without AES instructions tlsmux prefers ChaCha20-Poly1305 (tls/suite_order.hpp), so its
# C code carries the bulk data: at -O3 GCC vectorises the keystream XOR and unrolls the block
# loop (measured on x86-64 in portable C: ChaCha20 2.2 -> 1.6 CPU-s/GB, docs/performance.md).
# Poly1305 gained nothing at -O3 and stays at the build type's level. The cross presets
# (Release) already compile all of wolfSSL at CMake's -O3; this is for RelWithDebInfo (-O2),
# the default build type and what a native build on such a CPU gets.
if(CMAKE_C_COMPILER_ID MATCHES "GNU|Clang")
  set_source_files_properties("${_wsrc}/wolfcrypt/src/chacha.c" PROPERTIES COMPILE_OPTIONS -O3)
endif()
