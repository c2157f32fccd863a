# SPDX-License-Identifier: GPL-2.0-or-later
# Tier 3 (written down, not built here): Solaris 11 / illumos on x86 with a GCC cross compiler
# and a Solaris 11 sysroot (-DTLSMUX_SOLARIS_SYSROOT=<dir>). Port notes:
# ports/solaris-x86/README.md. Known needs:
#  - -lsocket -lnsl: found and linked by ports/cmake/checks.cmake (still separate on 11).
#  - _POSIX_PTHREAD_SEMANTICS and __EXTENSIONS__; -pthread (GCC's older -pthreads is GCC-only;
#    clang knows only -pthread, which GCC accepts too).
#  - clang: add -fno-use-cxa-atexit below Solaris 11.4 (no __cxa_atexit in libc there).
#  - getifaddrs exists on Solaris 11; SIOCGLIFCONF is the fallback (TLSMUX_FORCE_SIOCGIFCONF).
#  - gcc's default there is 32-bit (i386): pass -m64 in CMAKE_CXX_FLAGS for amd64.
#  - Asio's native reactor is /dev/poll (event ports are not used by Asio 1.22).
set(CMAKE_SYSTEM_NAME SunOS)
set(CMAKE_SYSTEM_VERSION 5.11)
set(CMAKE_SYSTEM_PROCESSOR i386)
set(CMAKE_C_COMPILER i386-pc-solaris2.11-gcc)
set(CMAKE_CXX_COMPILER i386-pc-solaris2.11-g++)
set(TLSMUX_SOLARIS_SYSROOT "/opt/sysroots/i386-pc-solaris2.11" CACHE PATH "Solaris 11 x86 sysroot")
set(CMAKE_SYSROOT ${TLSMUX_SOLARIS_SYSROOT})
set(CMAKE_FIND_ROOT_PATH ${TLSMUX_SOLARIS_SYSROOT})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
set(CMAKE_C_FLAGS_INIT "-D_POSIX_PTHREAD_SEMANTICS -D__EXTENSIONS__ -pthread")
set(CMAKE_CXX_FLAGS_INIT "-D_POSIX_PTHREAD_SEMANTICS -D__EXTENSIONS__ -pthread")
