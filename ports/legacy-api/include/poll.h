/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Legacy API profile (ports/legacy-api): <poll.h> without ppoll() (Linux, Solaris 11.4). */
#ifndef TLSMUX_LEGACY_POLL_H
#define TLSMUX_LEGACY_POLL_H
#define ppoll tlsmux_legacy_hidden_ppoll
#include_next <poll.h>
#undef ppoll
#endif
