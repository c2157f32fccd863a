# SPDX-License-Identifier: GPL-2.0-or-later
# Tier 3 (written down, not built here): Solaris 10 on SPARC with a GCC >= 4.8 cross compiler
# (C++11) built against a Solaris sysroot, e.g. copied /usr/include, /lib, /usr/lib of the
# target. Pass -DTLSMUX_SOLARIS_SYSROOT=<dir>. Port notes: ports/solaris-sparc/README.md.
# Known needs:
#  - -lsocket -lnsl: ports/cmake/checks.cmake finds them (check_library_exists) and links them.
#  - _POSIX_PTHREAD_SEMANTICS for the POSIX getpwnam_r/sigwait; -pthread (GCC's older -pthreads is
#    GCC-only; clang knows only -pthread, which GCC accepts too).
#  - clang: add -fno-use-cxa-atexit (Solaris 10's libc has no __cxa_atexit; it arrived in 11.4).
#  - No getifaddrs and no O_CLOEXEC on Solaris 10: checks.cmake chooses the SIOCGLIFCONF
#    interface list; platform/posix sets FD_CLOEXEC with fcntl (cloexec.hpp).
#  - Big-endian, strict alignment: WOLFSSL_SP_INT_DIGIT_ALIGN (PORTING G2), proved on
#    linux-sparc64 under qemu. Asio's native reactor is /dev/poll; select is the default.
set(CMAKE_SYSTEM_NAME SunOS)
set(CMAKE_SYSTEM_VERSION 5.10)
set(CMAKE_SYSTEM_PROCESSOR sparc)
set(CMAKE_C_COMPILER sparc-sun-solaris2.10-gcc)
set(CMAKE_CXX_COMPILER sparc-sun-solaris2.10-g++)
set(TLSMUX_SOLARIS_SYSROOT "/opt/sysroots/sparc-sun-solaris2.10" CACHE PATH "Solaris 10 SPARC sysroot")
set(CMAKE_SYSROOT ${TLSMUX_SOLARIS_SYSROOT})
set(CMAKE_FIND_ROOT_PATH ${TLSMUX_SOLARIS_SYSROOT})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
set(CMAKE_C_FLAGS_INIT "-D_POSIX_PTHREAD_SEMANTICS -D__EXTENSIONS__ -pthread")
set(CMAKE_CXX_FLAGS_INIT "-D_POSIX_PTHREAD_SEMANTICS -D__EXTENSIONS__ -pthread")
