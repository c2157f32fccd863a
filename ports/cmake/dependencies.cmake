# SPDX-License-Identifier: GPL-2.0-or-later
# Finds Asio (header-only, standalone) and wolfSSL, and defines the interface targets
# tlsmux_asio (carries the reactor switch) and tlsmux_wolfssl.
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)

find_path(TLSMUX_ASIO_INCLUDE asio.hpp REQUIRED)
add_library(tlsmux_asio INTERFACE)
target_include_directories(tlsmux_asio SYSTEM INTERFACE ${TLSMUX_ASIO_INCLUDE})
target_compile_definitions(tlsmux_asio INTERFACE ASIO_STANDALONE ASIO_NO_DEPRECATED)
target_link_libraries(tlsmux_asio INTERFACE Threads::Threads)
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

add_library(tlsmux_wolfssl INTERFACE)
if(TLSMUX_WOLFSSL_ROOT)
  find_library(TLSMUX_WOLFSSL_LIB NAMES wolfssl PATHS ${TLSMUX_WOLFSSL_ROOT}/lib NO_DEFAULT_PATH REQUIRED)
  target_include_directories(tlsmux_wolfssl SYSTEM INTERFACE ${TLSMUX_WOLFSSL_ROOT}/include)
  target_link_libraries(tlsmux_wolfssl INTERFACE ${TLSMUX_WOLFSSL_LIB} m)
  target_compile_definitions(tlsmux_wolfssl INTERFACE TLSMUX_WOLFSSL_FLAVOUR="source")
else()
  pkg_check_modules(WOLFSSL REQUIRED IMPORTED_TARGET wolfssl)
  target_link_libraries(tlsmux_wolfssl INTERFACE PkgConfig::WOLFSSL)
  target_compile_definitions(tlsmux_wolfssl INTERFACE TLSMUX_WOLFSSL_FLAVOUR="system")
endif()
