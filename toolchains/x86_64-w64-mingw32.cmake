# SPDX-License-Identifier: GPL-2.0-or-later
# Windows x86-64 with Debian's mingw-w64 (posix thread model): a static tlsmux.exe whose
# tests run under wine64 (PORTING 2.6, G10, G13). Shared by the i686 file via TLSMUX_MINGW_*.
if(NOT DEFINED TLSMUX_MINGW_TRIPLET)
  set(TLSMUX_MINGW_TRIPLET x86_64-w64-mingw32)
  set(TLSMUX_MINGW_PROCESSOR AMD64)
  set(TLSMUX_MINGW_WINNT 0x0601)          # Windows 7 / Server 2008 R2 and later
  set(TLSMUX_MINGW_PORT windows-x86_64)
endif()

set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR ${TLSMUX_MINGW_PROCESSOR})
set(CMAKE_C_COMPILER ${TLSMUX_MINGW_TRIPLET}-gcc-posix)
set(CMAKE_CXX_COMPILER ${TLSMUX_MINGW_TRIPLET}-g++-posix)
set(CMAKE_RC_COMPILER ${TLSMUX_MINGW_TRIPLET}-windres)
set(CMAKE_FIND_ROOT_PATH /usr/${TLSMUX_MINGW_TRIPLET})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# _WIN32_WINNT for Asio and the Windows headers; static libgcc/libstdc++/winpthread so the
# exe runs without the mingw DLLs.
set(CMAKE_C_FLAGS_INIT "-D_WIN32_WINNT=${TLSMUX_MINGW_WINNT}")
set(CMAKE_CXX_FLAGS_INIT "-D_WIN32_WINNT=${TLSMUX_MINGW_WINNT}")
set(CMAKE_EXE_LINKER_FLAGS_INIT "-static")
# Winsock, IP helper, CryptoAPI (wolfSSL's RNG) and the SCM go last on every link line:
# wolfSSL (tlsmux_wolfssl_lib) needs them as much as the platform layer does.
set(_tlsmux_winlibs "-lws2_32 -lmswsock -liphlpapi -lcrypt32 -ladvapi32 -lshell32 -lkernel32 -luser32")
set(CMAKE_C_STANDARD_LIBRARIES "${_tlsmux_winlibs}" CACHE STRING "Windows system libraries")
set(CMAKE_CXX_STANDARD_LIBRARIES "${_tlsmux_winlibs}" CACHE STRING "Windows system libraries")

set(TLSMUX_PORT ${TLSMUX_MINGW_PORT} CACHE STRING "port folder under ports/")

# mingw does not search /usr/include, and must not (glibc headers): give it a folder with
# only Asio in it (PORTING G13). TLSMUX_ASIO_INCLUDE is what ports/cmake/dependencies.cmake uses.
if(NOT TLSMUX_ASIO_INCLUDE AND EXISTS /usr/include/asio.hpp)
  set(_tlsmux_asio "${CMAKE_BINARY_DIR}/tlsmux-asio-include")
  if(NOT EXISTS "${_tlsmux_asio}/asio.hpp")
    file(MAKE_DIRECTORY "${_tlsmux_asio}")
    file(CREATE_LINK /usr/include/asio.hpp "${_tlsmux_asio}/asio.hpp" SYMBOLIC)
    file(CREATE_LINK /usr/include/asio "${_tlsmux_asio}/asio" SYMBOLIC)
  endif()
  set(TLSMUX_ASIO_INCLUDE "${_tlsmux_asio}" CACHE PATH "folder holding asio.hpp")
endif()

# CppUTest built for this target by ports/cpputest/build-for-target.sh.
if(NOT CppUTest_DIR)
  if(DEFINED ENV{TLSMUX_CACHE} AND NOT "$ENV{TLSMUX_CACHE}" STREQUAL "")
    set(_tlsmux_cache "$ENV{TLSMUX_CACHE}")
  else()
    set(_tlsmux_cache "$ENV{HOME}/.cache/tlsmux")
  endif()
  if(EXISTS "${_tlsmux_cache}/cpputest-${TLSMUX_MINGW_TRIPLET}/lib/CppUTest/cmake/CppUTestConfig.cmake")
    set(CppUTest_DIR "${_tlsmux_cache}/cpputest-${TLSMUX_MINGW_TRIPLET}/lib/CppUTest/cmake"
        CACHE PATH "CppUTest built for ${TLSMUX_MINGW_TRIPLET}")
  endif()
endif()

if(NOT CppUTest_DIR AND NOT CMAKE_IN_TRY_COMPILE)
  message(STATUS "No CppUTest for ${TLSMUX_MINGW_TRIPLET}: run ports/cpputest/build-for-target.sh "
                 "${CMAKE_CURRENT_LIST_FILE}, or configure with -DTLSMUX_BUILD_TESTS=OFF")
endif()
# Never the host's .pc files (Debian's cpputest.pc is a Linux library).
set(ENV{PKG_CONFIG_LIBDIR} "/usr/${TLSMUX_MINGW_TRIPLET}/lib/pkgconfig")
set(ENV{PKG_CONFIG_PATH} "")

# ctest runs the test executables under wine (a persistent wineserver, quiet, own prefix).
get_filename_component(_tlsmux_root "${CMAKE_CURRENT_LIST_DIR}/.." ABSOLUTE)
set(CMAKE_CROSSCOMPILING_EMULATOR "${_tlsmux_root}/ports/${TLSMUX_MINGW_PORT}/wine-run.sh")
