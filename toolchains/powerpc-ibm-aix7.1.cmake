# SPDX-License-Identifier: GPL-2.0-or-later
# Tier 3 (written down, not built here): AIX 7.1 on POWER with a GCC cross compiler (or IBM
# Open XL / xlC 16 with -qlanglvl=extended0x in its own toolchain file) and an AIX sysroot
# (-DTLSMUX_AIX_SYSROOT=<dir>). Port notes: ports/aix-ppc/README.md. Known needs:
#  - _ALL_SOURCE (socket, struct and BSD definitions), -pthread.
#  - 32-bit objects by default: -maix64 with OBJECT_MODE=64 for a 64-bit build; the
#    archiver must then be `ar -X64`. 32-bit targets need -latomic for 64-bit atomics (G8):
#    ports/cmake/dependencies.cmake tests that and adds it.
#  - Large C++ binaries need -Wl,-bbigtoc (TOC overflow).
#  - No epoll/kqueue/devpoll in Asio for AIX: the select reactor always (PORTING G15), so
#    FD_SETSIZE (65534 on AIX) bounds sessions. Big-endian: proved on linux-ppc under qemu.
set(CMAKE_SYSTEM_NAME AIX)
set(CMAKE_SYSTEM_VERSION 7.1)
set(CMAKE_SYSTEM_PROCESSOR powerpc)
set(CMAKE_C_COMPILER powerpc-ibm-aix7.1-gcc)
set(CMAKE_CXX_COMPILER powerpc-ibm-aix7.1-g++)
set(CMAKE_AR powerpc-ibm-aix7.1-ar)
set(TLSMUX_AIX_SYSROOT "/opt/sysroots/powerpc-ibm-aix7.1" CACHE PATH "AIX 7.1 sysroot")
set(CMAKE_SYSROOT ${TLSMUX_AIX_SYSROOT})
set(CMAKE_FIND_ROOT_PATH ${TLSMUX_AIX_SYSROOT})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
set(CMAKE_C_FLAGS_INIT "-D_ALL_SOURCE -pthread")
set(CMAKE_CXX_FLAGS_INIT "-D_ALL_SOURCE -pthread")
set(CMAKE_EXE_LINKER_FLAGS_INIT "-Wl,-bbigtoc")
