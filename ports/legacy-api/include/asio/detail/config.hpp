// SPDX-License-Identifier: GPL-2.0-or-later
// Legacy API profile (ports/legacy-api): Asio as it configures itself on Solaris 10, AIX 6.1
// and HP-UX 11i. Asio turns MSG_NOSIGNAL on for __linux__ (and for _POSIX_VERSION >= 2008,
// which those systems do not reach), and has no switch to turn it off; so it is undefined
// here and Asio's sends raise SIGPIPE as they do there. Epoll, eventfd and timerfd are off
// through ASIO_DISABLE_* (legacy-api.cmake), so the select reactor wakes itself with a pipe.
#ifndef TLSMUX_LEGACY_ASIO_DETAIL_CONFIG_HPP
#define TLSMUX_LEGACY_ASIO_DETAIL_CONFIG_HPP
#include_next <asio/detail/config.hpp>
#undef ASIO_HAS_MSG_NOSIGNAL
#endif
