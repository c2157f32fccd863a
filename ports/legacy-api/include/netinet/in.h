/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Legacy API profile (ports/legacy-api): <netinet/in.h> without Linux-only socket options. */
#ifndef TLSMUX_LEGACY_NETINET_IN_H
#define TLSMUX_LEGACY_NETINET_IN_H
#include_next <netinet/in.h>
#undef IP_BIND_ADDRESS_NO_PORT
#undef IP_FREEBIND
#undef IP_TRANSPARENT
#endif
