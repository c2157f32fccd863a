/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Legacy API profile (ports/legacy-api): <fcntl.h> as Solaris 10, AIX 6.1 and HP-UX 11i have
 * it: no O_CLOEXEC, no F_DUPFD_CLOEXEC, no *at() calls. Hidden names are undefined, so
 * `#ifdef` sees what those systems have and an unguarded use does not compile. */
#ifndef TLSMUX_LEGACY_FCNTL_H
#define TLSMUX_LEGACY_FCNTL_H
#define openat tlsmux_legacy_hidden_openat
#define openat64 tlsmux_legacy_hidden_openat64
#define posix_fallocate tlsmux_legacy_hidden_posix_fallocate
#include_next <fcntl.h>
#undef openat
#undef openat64
#undef posix_fallocate
#undef O_CLOEXEC
#undef F_DUPFD_CLOEXEC
#undef O_DIRECTORY
#undef O_PATH
#undef O_TMPFILE
#undef AT_FDCWD
#endif
