# SPDX-License-Identifier: GPL-2.0-or-later
# Compiles wolfSSL from an unpacked source tree (ports/wolfssl/fetch-source.sh) into the static
# library tlsmux_wolfssl_lib, configured only by ports/${TLSMUX_PORT}/user_settings.h. Our own
# rules and an explicit file list, not wolfSSL's autotools or CMake, so that cross and vendor
# compilers need nothing but a toolchain file. Written for wolfSSL 5.5.4 and 5.7.2.
#
# Inputs: TLSMUX_WOLFSSL_TREE (dependencies.cmake: the tree of TLSMUX_WOLFSSL_VERSION, or
# TLSMUX_WOLFSSL_SOURCE_DIR), TLSMUX_PORT_DIR. A port may add ${TLSMUX_PORT_DIR}/wolfssl.cmake,
# which appends to TLSMUX_WOLFSSL_PORT_SOURCES (assembly and CPU-specific files, relative to the
# wolfSSL tree), TLSMUX_WOLFSSL_PORT_C_OPTIONS and TLSMUX_WOLFSSL_PORT_ASM_DEFINITIONS.

set(_wsrc "${TLSMUX_WOLFSSL_TREE}")
if(NOT EXISTS "${_wsrc}/wolfssl/ssl.h" OR NOT EXISTS "${_wsrc}/wolfcrypt/src/aes.c")
  message(FATAL_ERROR
    "TLSMUX_WOLFSSL=source: no wolfSSL source tree in '${_wsrc}'.\n"
    "Fetch wolfSSL ${TLSMUX_WOLFSSL_VERSION} (Debian source package, security-patched when reachable) with\n"
    "  ${PROJECT_SOURCE_DIR}/ports/wolfssl/fetch-source.sh --version ${TLSMUX_WOLFSSL_VERSION}\n"
    "or unpack your own tarball with\n"
    "  ${PROJECT_SOURCE_DIR}/ports/wolfssl/fetch-source.sh --tarball wolfssl-X.Y.Z.tar.gz\n"
    "(ports/debian/install-deps.sh runs the first for you), or point\n"
    "-DTLSMUX_WOLFSSL_SOURCE_DIR=<dir> at an unpacked tree, or build against the\n"
    "distribution's library (no assembly on Debian) with -DTLSMUX_WOLFSSL=system.")
endif()
if(NOT EXISTS "${TLSMUX_PORT_DIR}/user_settings.h")
  message(FATAL_ERROR "TLSMUX_PORT '${TLSMUX_PORT}': no ${TLSMUX_PORT_DIR}/user_settings.h")
endif()

# Everything a TLS 1.2/1.3 build needs. Files whose feature a port turns off compile to
# nothing; so do the CPU-specific C files (sp_c32/sp_c64/sp_x86_64 test their own macros).
# Not listed on purpose: files that ssl.c and the headers #include (x509.c, pk.c, bio.c,
# ssl_misc.c, x509_str.c, misc.c), and algorithms tlsmux never uses.
set(TLSMUX_WOLFSSL_SOURCES
  src/crl.c src/internal.c src/keys.c src/ssl.c src/tls.c src/tls13.c src/wolfio.c
  wolfcrypt/src/aes.c wolfcrypt/src/asn.c wolfcrypt/src/chacha.c
  wolfcrypt/src/chacha20_poly1305.c wolfcrypt/src/coding.c wolfcrypt/src/cpuid.c
  wolfcrypt/src/curve25519.c wolfcrypt/src/ecc.c wolfcrypt/src/error.c
  wolfcrypt/src/fe_operations.c wolfcrypt/src/hash.c wolfcrypt/src/hmac.c wolfcrypt/src/kdf.c
  wolfcrypt/src/logging.c wolfcrypt/src/md5.c wolfcrypt/src/memory.c wolfcrypt/src/poly1305.c
  wolfcrypt/src/pwdbased.c wolfcrypt/src/random.c wolfcrypt/src/rsa.c wolfcrypt/src/sha.c
  wolfcrypt/src/sha256.c wolfcrypt/src/sha512.c wolfcrypt/src/signature.c
  wolfcrypt/src/sp_int.c wolfcrypt/src/sp_c32.c wolfcrypt/src/sp_c64.c
  wolfcrypt/src/wc_encrypt.c wolfcrypt/src/wc_port.c wolfcrypt/src/wolfmath.c)
set(TLSMUX_WOLFSSL_PORT_SOURCES "")
set(TLSMUX_WOLFSSL_PORT_C_OPTIONS "")
set(TLSMUX_WOLFSSL_PORT_ASM_DEFINITIONS "")
include("${TLSMUX_PORT_DIR}/wolfssl.cmake" OPTIONAL)

set(_wfiles "")
set(_wasm "")
foreach(_f IN LISTS TLSMUX_WOLFSSL_SOURCES TLSMUX_WOLFSSL_PORT_SOURCES)
  if(NOT EXISTS "${_wsrc}/${_f}")
    message(FATAL_ERROR "wolfSSL tree ${_wsrc} lacks ${_f}: ports/wolfssl/wolfssl.cmake was "
                        "written for wolfSSL 5.5.4 and 5.7.2")
  endif()
  list(APPEND _wfiles "${_wsrc}/${_f}")
  if(_f MATCHES "\\.S$")
    list(APPEND _wasm "${_wsrc}/${_f}")
  endif()
endforeach()
if(_wasm)
  enable_language(ASM)       # .S files go through the C compiler's preprocessor
  set_source_files_properties(${_wasm} PROPERTIES LANGUAGE ASM
    COMPILE_DEFINITIONS "${TLSMUX_WOLFSSL_PORT_ASM_DEFINITIONS}")
endif()

# <wolfssl/options.h> for code that includes it first; see options.h.in.
set(_wgen "${PROJECT_BINARY_DIR}/generated/wolfssl-options")
configure_file("${CMAKE_CURRENT_LIST_DIR}/options.h.in" "${_wgen}/wolfssl/options.h" COPYONLY)
if(EXISTS "${_wsrc}/wolfssl/options.h")
  message(STATUS "wolfSSL: ignoring ${_wsrc}/wolfssl/options.h (the port's user_settings.h rules)")
endif()

add_library(tlsmux_wolfssl_lib STATIC ${_wfiles})
# Order matters: generated options.h, then the port's user_settings.h, then the tree.
target_include_directories(tlsmux_wolfssl_lib SYSTEM PUBLIC "${_wgen}" "${TLSMUX_PORT_DIR}" "${_wsrc}")
target_compile_definitions(tlsmux_wolfssl_lib PUBLIC WOLFSSL_USER_SETTINGS PRIVATE BUILDING_WOLFSSL)
if(CMAKE_C_COMPILER_ID MATCHES "GNU|Clang")
  # Third-party code: its own warnings are not ours to fix, and -Werror never applies to it.
  target_compile_options(tlsmux_wolfssl_lib PRIVATE -w)
endif()
target_compile_options(tlsmux_wolfssl_lib PRIVATE
  $<$<COMPILE_LANGUAGE:C>:${TLSMUX_WOLFSSL_PORT_C_OPTIONS}>)
target_link_libraries(tlsmux_wolfssl_lib PUBLIC Threads::Threads)
if(UNIX)
  target_link_libraries(tlsmux_wolfssl_lib PUBLIC m)
endif()

file(STRINGS "${_wsrc}/wolfssl/version.h" _wver REGEX "LIBWOLFSSL_VERSION_STRING")
string(REGEX REPLACE ".*\"(.*)\".*" "\\1" _wver "${_wver}")
if(NOT TLSMUX_WOLFSSL_SOURCE_DIR AND NOT _wver STREQUAL TLSMUX_WOLFSSL_VERSION)
  message(FATAL_ERROR "${_wsrc} holds wolfSSL ${_wver}, not TLSMUX_WOLFSSL_VERSION ${TLSMUX_WOLFSSL_VERSION}")
endif()
set(_wstamp "")
if(EXISTS "${_wsrc}/.tlsmux-wolfssl-source")
  file(READ "${_wsrc}/.tlsmux-wolfssl-source" _wstamp)
  string(STRIP "${_wstamp}" _wstamp)
  set(_wstamp ", ${_wstamp}")
endif()
list(LENGTH _wasm _wnasm)
message(STATUS "wolfSSL ${_wver} from source (${_wsrc}${_wstamp}), port ${TLSMUX_PORT}, "
               "${_wnasm} assembly files")
