/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Legacy API profile (ports/legacy-api): <sys/socket.h> without SOCK_CLOEXEC, SOCK_NONBLOCK,
 * MSG_NOSIGNAL and accept4(). glibc declares the three flags as enumerators with a macro of
 * the same name; renaming them before the real header leaves neither behind. */
#ifndef TLSMUX_LEGACY_SYS_SOCKET_H
#define TLSMUX_LEGACY_SYS_SOCKET_H
#define SOCK_CLOEXEC tlsmux_legacy_hidden_SOCK_CLOEXEC
#define SOCK_NONBLOCK tlsmux_legacy_hidden_SOCK_NONBLOCK
#define MSG_NOSIGNAL tlsmux_legacy_hidden_MSG_NOSIGNAL
#define MSG_CMSG_CLOEXEC tlsmux_legacy_hidden_MSG_CMSG_CLOEXEC
#define accept4 tlsmux_legacy_hidden_accept4
#define sendmmsg tlsmux_legacy_hidden_sendmmsg
#define recvmmsg tlsmux_legacy_hidden_recvmmsg
#include_next <sys/socket.h>
#undef SOCK_CLOEXEC
#undef SOCK_NONBLOCK
#undef MSG_NOSIGNAL
#undef MSG_CMSG_CLOEXEC
#undef accept4
#undef sendmmsg
#undef recvmmsg
#endif
