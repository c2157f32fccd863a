# SPDX-License-Identifier: GPL-2.0-or-later
# Tier 3 (written down, not built here): HP-UX 11i (11.11/11.23) on PA-RISC with a GCC cross
# compiler (hppa64-hp-hpux11.11 for 64-bit) and an HP-UX sysroot (-DTLSMUX_HPUX_SYSROOT=<dir>).
# Port notes: ports/hpux-hppa/README.md. Known needs:
#  - _XOPEN_SOURCE_EXTENDED with -lxnet (X/Open sockets: socklen_t-correct accept/getsockname),
#    _HPUX_SOURCE for the rest of the API, -pthread.
#  - /dev/urandom exists only with the KRNG11i (Strong Random Number Generator) product
#    installed; without it wolfSSL's RNG and so tlsmux fail at start (PORTING G7).
#  - Big-endian, strict alignment (WOLFSSL_SP_INT_DIGIT_ALIGN, G2). No Asio reactor for
#    HP-UX: select always. No getifaddrs: the SIOCGIFCONF interface list.
set(CMAKE_SYSTEM_NAME HP-UX)
set(CMAKE_SYSTEM_VERSION 11.11)
set(CMAKE_SYSTEM_PROCESSOR hppa)
set(CMAKE_C_COMPILER hppa64-hp-hpux11.11-gcc)
set(CMAKE_CXX_COMPILER hppa64-hp-hpux11.11-g++)
set(TLSMUX_HPUX_SYSROOT "/opt/sysroots/hppa-hp-hpux11" CACHE PATH "HP-UX 11i sysroot")
set(CMAKE_SYSROOT ${TLSMUX_HPUX_SYSROOT})
set(CMAKE_FIND_ROOT_PATH ${TLSMUX_HPUX_SYSROOT})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
set(CMAKE_C_FLAGS_INIT "-D_XOPEN_SOURCE_EXTENDED -D_HPUX_SOURCE -pthread")
set(CMAKE_CXX_FLAGS_INIT "-D_XOPEN_SOURCE_EXTENDED -D_HPUX_SOURCE -pthread")
set(CMAKE_CXX_STANDARD_LIBRARIES "-lxnet" CACHE STRING "X/Open sockets")
