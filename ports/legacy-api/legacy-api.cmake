# SPDX-License-Identifier: GPL-2.0-or-later
# Legacy API profile (-DTLSMUX_LEGACY_API=ON, preset linux-x86_64-legacy): builds on Linux as
# if the system were Solaris 10, AIX 6.1 or HP-UX 11i. The headers in include/ wrap glibc's
# and hide the union of what those systems lack (the table in ports/README.md), so
#  - every configure probe in ports/cmake/checks.cmake comes out as it would there (the
#    flags below are in CMAKE_<LANG>_FLAGS, which check_symbol_exists passes on);
#  - tlsmux, wolfSSL and Asio compile their fallbacks, and an unguarded use of a hidden name
#    does not compile;
#  - the suites then run those fallbacks on Linux: FD_CLOEXEC by fcntl(), SIGPIPE ignored
#    (Asio sends without MSG_NOSIGNAL), the SIOCGIFCONF interface list, /dev/urandom.
# Included from the top CMakeLists.txt before anything is probed.
set(_legacy_include "${CMAKE_CURRENT_LIST_DIR}/include")
# Asio: no epoll, eventfd or timerfd (Linux-only), so the select reactor wakes itself with a
# pipe as on the legacy systems; MSG_NOSIGNAL is removed by include/asio/detail/config.hpp.
set(_legacy_flags "-isystem ${_legacy_include} -DTLSMUX_LEGACY_API=1")
string(APPEND CMAKE_C_FLAGS " ${_legacy_flags}")
string(APPEND CMAKE_CXX_FLAGS
       " ${_legacy_flags} -DASIO_DISABLE_EPOLL -DASIO_DISABLE_EVENTFD -DASIO_DISABLE_TIMERFD")
if(NOT TLSMUX_REACTOR STREQUAL "select")
  message(FATAL_ERROR "TLSMUX_LEGACY_API needs TLSMUX_REACTOR=select (the legacy systems' reactor here)")
endif()
message(STATUS "tlsmux: legacy API profile (Solaris 10 / AIX 6.1 / HP-UX 11i surface): ${_legacy_include}")
