/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Legacy API profile (ports/legacy-api): <sys/stat.h> without the *at() calls, utimensat()
 * and futimens() (POSIX.1-2008; none of Solaris 10, AIX 6.1, HP-UX 11i has all of them). */
#ifndef TLSMUX_LEGACY_SYS_STAT_H
#define TLSMUX_LEGACY_SYS_STAT_H
#define fstatat tlsmux_legacy_hidden_fstatat
#define fstatat64 tlsmux_legacy_hidden_fstatat64
#define mkdirat tlsmux_legacy_hidden_mkdirat
#define mknodat tlsmux_legacy_hidden_mknodat
#define fchmodat tlsmux_legacy_hidden_fchmodat
#define mkfifoat tlsmux_legacy_hidden_mkfifoat
#define utimensat tlsmux_legacy_hidden_utimensat
#define futimens tlsmux_legacy_hidden_futimens
#define statx tlsmux_legacy_hidden_statx
#include_next <sys/stat.h>
#undef fstatat
#undef fstatat64
#undef mkdirat
#undef mknodat
#undef fchmodat
#undef mkfifoat
#undef utimensat
#undef futimens
#undef statx
#endif
