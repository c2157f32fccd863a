/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Legacy API profile (ports/legacy-api): <time.h> without timegm(), which Solaris 10, AIX 6.1
 * and HP-UX 11i lack. */
#ifndef TLSMUX_LEGACY_TIME_H
#define TLSMUX_LEGACY_TIME_H
#define timegm tlsmux_legacy_hidden_timegm
#include_next <time.h>
#undef timegm
#endif
