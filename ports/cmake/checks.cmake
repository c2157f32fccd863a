# SPDX-License-Identifier: GPL-2.0-or-later
# Feature checks. Results go into one generated header, tlsmux_config.h, that only
# platform/ and ports/compat/ include. No try_run: cross builds must configure too.
include(CheckSymbolExists)
include(CheckLibraryExists)
include(CheckIncludeFile)
include(CheckStructHasMember)
include(CMakePushCheckState)

# The libraries first: on Solaris and illumos the socket API (getifaddrs included) lives in
# libsocket, so every function probe below links with what the program will link with.
# Without that, the getifaddrs probe failed on Solaris 11 and illumos and they silently got
# the SIOCGLIFCONF path (illumos' <ifaddrs.h> also renames the symbol, so only a probe that
# includes the header and links libsocket finds it).
if(NOT WIN32)
  check_library_exists(socket connect "" TLSMUX_NEED_LIBSOCKET)
  check_library_exists(nsl gethostbyname "" TLSMUX_NEED_LIBNSL)
endif()
set(TLSMUX_PLATFORM_LIBS "")
if(TLSMUX_NEED_LIBSOCKET)
  list(APPEND TLSMUX_PLATFORM_LIBS socket)
endif()
if(TLSMUX_NEED_LIBNSL)
  list(APPEND TLSMUX_PLATFORM_LIBS nsl)
endif()

cmake_push_check_state()
set(CMAKE_REQUIRED_LIBRARIES ${TLSMUX_PLATFORM_LIBS})

check_symbol_exists(getifaddrs "sys/types.h;ifaddrs.h" TLSMUX_HAVE_GETIFADDRS)
# Solaris keeps the socket ioctls in <sys/sockio.h>; SIOCGLIFCONF is its IPv6-capable list.
check_include_file(sys/sockio.h TLSMUX_HAVE_SYS_SOCKIO_H)
check_symbol_exists(SIOCGLIFCONF "sys/types.h;sys/socket.h;sys/sockio.h" TLSMUX_HAVE_SIOCGLIFCONF)
# BSD-derived stacks (AIX, the BSDs) carry sa_len, which sizes SIOCGIFCONF entries.
check_struct_has_member("struct sockaddr" sa_len "sys/types.h;sys/socket.h" TLSMUX_HAVE_SA_LEN)
check_symbol_exists(MSG_NOSIGNAL "sys/socket.h" TLSMUX_HAVE_MSG_NOSIGNAL)
check_symbol_exists(IP_BIND_ADDRESS_NO_PORT "netinet/in.h" TLSMUX_HAVE_IP_BIND_ADDRESS_NO_PORT)
check_symbol_exists(getentropy "unistd.h" TLSMUX_HAVE_GETENTROPY)
check_symbol_exists(daemon "stdlib.h;unistd.h" TLSMUX_HAVE_DAEMON)
check_symbol_exists(initgroups "sys/types.h;grp.h;unistd.h" TLSMUX_HAVE_INITGROUPS)
cmake_pop_check_state()

if(WIN32)
  list(APPEND TLSMUX_PLATFORM_LIBS ws2_32 mswsock iphlpapi advapi32 crypt32 shell32)
endif()

configure_file(${CMAKE_CURRENT_LIST_DIR}/tlsmux_config.h.in
               ${PROJECT_BINARY_DIR}/generated/platform/tlsmux_config.h)
