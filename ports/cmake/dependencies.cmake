# SPDX-License-Identifier: GPL-2.0-or-later
# Finds Asio (header-only, standalone) and wolfSSL, and defines the interface targets
# tlsmux_asio (carries the reactor switch) and tlsmux_wolfssl.
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)

find_path(TLSMUX_ASIO_INCLUDE asio.hpp)
if(NOT TLSMUX_ASIO_INCLUDE AND CMAKE_CROSSCOMPILING)
  # Asio is header-only: the host's copy serves every target. Debian's Linux cross compilers
  # search /usr/include last (PORTING G13), so it is found there, outside the target root.
  find_path(TLSMUX_ASIO_INCLUDE asio.hpp PATHS ${CMAKE_CXX_IMPLICIT_INCLUDE_DIRECTORIES}
            NO_DEFAULT_PATH NO_CMAKE_FIND_ROOT_PATH)
endif()
if(NOT TLSMUX_ASIO_INCLUDE)
  message(FATAL_ERROR "asio.hpp not found: install libasio-dev or set -DTLSMUX_ASIO_INCLUDE=<dir>")
endif()
add_library(tlsmux_asio INTERFACE)
target_include_directories(tlsmux_asio SYSTEM INTERFACE ${TLSMUX_ASIO_INCLUDE})
target_compile_definitions(tlsmux_asio INTERFACE ASIO_STANDALONE ASIO_NO_DEPRECATED)
target_link_libraries(tlsmux_asio INTERFACE Threads::Threads)
# 64-bit std::atomic is a libatomic call on some 32-bit CPUs (powerpc, mips, armel: PORTING G8).
include(CheckCXXSourceCompiles)
set(_tlsmux_atomic_probe "#include <atomic>
#include <cstdint>
std::atomic<std::uint64_t> n(0);
int main() { return static_cast<int>(n.fetch_add(1) + n.load() + n.is_lock_free()); }")
check_cxx_source_compiles("${_tlsmux_atomic_probe}" TLSMUX_ATOMIC64_BUILTIN)
if(NOT TLSMUX_ATOMIC64_BUILTIN)
  set(CMAKE_REQUIRED_LIBRARIES atomic)
  check_cxx_source_compiles("${_tlsmux_atomic_probe}" TLSMUX_ATOMIC64_LIBATOMIC)
  unset(CMAKE_REQUIRED_LIBRARIES)
  if(TLSMUX_ATOMIC64_LIBATOMIC)
    target_link_libraries(tlsmux_asio INTERFACE atomic)
  endif()
endif()
if(TLSMUX_REACTOR STREQUAL "select")
  # The one place the reactor is chosen: every target links tlsmux_asio.
  target_compile_definitions(tlsmux_asio INTERFACE
    ASIO_DISABLE_EPOLL ASIO_DISABLE_KQUEUE ASIO_DISABLE_DEV_POLL ASIO_DISABLE_IOCP
    TLSMUX_REACTOR_NAME="select")
elseif(TLSMUX_REACTOR STREQUAL "native")
  target_compile_definitions(tlsmux_asio INTERFACE TLSMUX_REACTOR_NAME="native")
else()
  message(FATAL_ERROR "TLSMUX_REACTOR must be select or native, not '${TLSMUX_REACTOR}'")
endif()

# wolfSSL flavours (ports/README.md): source (default) compiles wolfSSL here from an unpacked
# tree with the port's user_settings.h, with assembly where the port has it; system uses the
# distribution's library through pkg-config; an install prefix in TLSMUX_WOLFSSL_ROOT (a
# wolfSSL built with its own autotools) takes precedence over both.
#
# The port defaults by CMAKE_SYSTEM_NAME and CMAKE_SYSTEM_PROCESSOR (a toolchain file sets both;
# see ports/README.md for the tiers). Every other Linux CPU gets linux-generic (portable C,
# WOLFSSL_SP_INT_DIGIT_ALIGN for strict-alignment CPUs).
set(_tlsmux_cpu "${CMAKE_SYSTEM_PROCESSOR}")
if(CMAKE_SYSTEM_NAME STREQUAL "Linux" AND _tlsmux_cpu MATCHES "^(x86_64|AMD64|amd64)$"
   AND CMAKE_SIZEOF_VOID_P EQUAL 8)
  set(_tlsmux_default_port linux-x86_64)
elseif(CMAKE_SYSTEM_NAME STREQUAL "Windows")
  if(CMAKE_SIZEOF_VOID_P EQUAL 8)
    set(_tlsmux_default_port windows-x86_64)
  else()
    set(_tlsmux_default_port windows-i686)
  endif()
elseif(CMAKE_SYSTEM_NAME STREQUAL "SunOS" AND _tlsmux_cpu MATCHES "^sparc")
  set(_tlsmux_default_port solaris-sparc)
elseif(CMAKE_SYSTEM_NAME STREQUAL "SunOS")
  set(_tlsmux_default_port solaris-x86)
elseif(CMAKE_SYSTEM_NAME STREQUAL "AIX")
  set(_tlsmux_default_port aix-ppc)
elseif(CMAKE_SYSTEM_NAME STREQUAL "HP-UX")
  set(_tlsmux_default_port hpux-hppa)
else()
  set(_tlsmux_default_port linux-generic)
endif()
set(TLSMUX_PORT "${_tlsmux_default_port}" CACHE STRING "port folder under ports/ (wolfSSL user_settings.h, ...)")
set(TLSMUX_PORT_DIR "${PROJECT_SOURCE_DIR}/ports/${TLSMUX_PORT}")
if(NOT IS_DIRECTORY "${TLSMUX_PORT_DIR}")
  message(FATAL_ERROR "TLSMUX_PORT '${TLSMUX_PORT}': no folder ${TLSMUX_PORT_DIR}")
endif()
if(DEFINED ENV{TLSMUX_CACHE} AND NOT "$ENV{TLSMUX_CACHE}" STREQUAL "")
  set(_tlsmux_cache "$ENV{TLSMUX_CACHE}")
else()
  set(_tlsmux_cache "$ENV{HOME}/.cache/tlsmux")
endif()
# The source tree is kept per version ($cache/wolfssl-X.Y.Z, ports/wolfssl/fetch-source.sh),
# so versions build side by side; ports/wolfssl/versions names them and the default.
file(STRINGS "${PROJECT_SOURCE_DIR}/ports/wolfssl/versions" _tlsmux_wdefault REGEX "^[0-9.]+ [a-z]+ default$")
string(REGEX REPLACE " .*" "" _tlsmux_wdefault "${_tlsmux_wdefault}")
set(TLSMUX_WOLFSSL_VERSION "${_tlsmux_wdefault}" CACHE STRING
    "wolfSSL version for TLSMUX_WOLFSSL=source (ports/wolfssl/versions)")
# Build trees configured before the cache was keyed by version hold the old default path;
# forget it, so that they follow TLSMUX_WOLFSSL_VERSION.
if(TLSMUX_WOLFSSL_SOURCE_DIR STREQUAL "${_tlsmux_cache}/wolfssl")
  unset(TLSMUX_WOLFSSL_SOURCE_DIR CACHE)
endif()
set(TLSMUX_WOLFSSL_SOURCE_DIR "" CACHE PATH
    "unpacked wolfSSL source for TLSMUX_WOLFSSL=source (empty: ${_tlsmux_cache}/wolfssl-<TLSMUX_WOLFSSL_VERSION>)")
if(TLSMUX_WOLFSSL_SOURCE_DIR)
  set(TLSMUX_WOLFSSL_TREE "${TLSMUX_WOLFSSL_SOURCE_DIR}")
else()
  set(TLSMUX_WOLFSSL_TREE "${_tlsmux_cache}/wolfssl-${TLSMUX_WOLFSSL_VERSION}")
  # The unkeyed folder of earlier fetch-source.sh runs still serves the version it holds.
  if(NOT EXISTS "${TLSMUX_WOLFSSL_TREE}/wolfssl/ssl.h" AND
     EXISTS "${_tlsmux_cache}/wolfssl/.tlsmux-wolfssl-source")
    file(READ "${_tlsmux_cache}/wolfssl/.tlsmux-wolfssl-source" _tlsmux_wstamp)
    if(_tlsmux_wstamp MATCHES "^debian ${TLSMUX_WOLFSSL_VERSION}[-+]")
      set(TLSMUX_WOLFSSL_TREE "${_tlsmux_cache}/wolfssl")
    endif()
  endif()
endif()
if(TLSMUX_BUILD_TESTS)
  include(${CMAKE_CURRENT_LIST_DIR}/cpputest.cmake)
endif()

add_library(tlsmux_wolfssl INTERFACE)
if(TLSMUX_WOLFSSL_ROOT)
  find_library(TLSMUX_WOLFSSL_LIB NAMES wolfssl PATHS ${TLSMUX_WOLFSSL_ROOT}/lib NO_DEFAULT_PATH REQUIRED)
  target_include_directories(tlsmux_wolfssl SYSTEM INTERFACE ${TLSMUX_WOLFSSL_ROOT}/include)
  target_link_libraries(tlsmux_wolfssl INTERFACE ${TLSMUX_WOLFSSL_LIB} m)
  target_compile_definitions(tlsmux_wolfssl INTERFACE TLSMUX_WOLFSSL_FLAVOUR="source")
  message(STATUS "wolfSSL: installed prefix ${TLSMUX_WOLFSSL_ROOT} (TLSMUX_WOLFSSL_ROOT)")
elseif(TLSMUX_WOLFSSL STREQUAL "source")
  include(${PROJECT_SOURCE_DIR}/ports/wolfssl/wolfssl.cmake)
  target_link_libraries(tlsmux_wolfssl INTERFACE tlsmux_wolfssl_lib)
  target_compile_definitions(tlsmux_wolfssl INTERFACE TLSMUX_WOLFSSL_FLAVOUR="source")
elseif(TLSMUX_WOLFSSL STREQUAL "system")
  pkg_check_modules(WOLFSSL REQUIRED IMPORTED_TARGET wolfssl)
  target_link_libraries(tlsmux_wolfssl INTERFACE PkgConfig::WOLFSSL)
  target_compile_definitions(tlsmux_wolfssl INTERFACE TLSMUX_WOLFSSL_FLAVOUR="system")
  message(STATUS "wolfSSL: system library ${WOLFSSL_VERSION} (pkg-config)")
else()
  message(FATAL_ERROR "TLSMUX_WOLFSSL must be source or system, not '${TLSMUX_WOLFSSL}'")
endif()
