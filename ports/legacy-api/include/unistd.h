/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Legacy API profile (ports/legacy-api): <unistd.h> without pipe2(), dup3(), getentropy(),
 * daemon() and the *at() calls, as on Solaris 10, AIX 6.1 and HP-UX 11i. */
#ifndef TLSMUX_LEGACY_UNISTD_H
#define TLSMUX_LEGACY_UNISTD_H
#define pipe2 tlsmux_legacy_hidden_pipe2
#define dup3 tlsmux_legacy_hidden_dup3
#define getentropy tlsmux_legacy_hidden_getentropy
#define daemon tlsmux_legacy_hidden_daemon
#define faccessat tlsmux_legacy_hidden_faccessat
#define fchownat tlsmux_legacy_hidden_fchownat
#define linkat tlsmux_legacy_hidden_linkat
#define symlinkat tlsmux_legacy_hidden_symlinkat
#define readlinkat tlsmux_legacy_hidden_readlinkat
#define unlinkat tlsmux_legacy_hidden_unlinkat
#define syncfs tlsmux_legacy_hidden_syncfs
#define close_range tlsmux_legacy_hidden_close_range
#define copy_file_range tlsmux_legacy_hidden_copy_file_range
#define getresuid tlsmux_legacy_hidden_getresuid
#define getresgid tlsmux_legacy_hidden_getresgid
#define setresuid tlsmux_legacy_hidden_setresuid
#define setresgid tlsmux_legacy_hidden_setresgid
#include_next <unistd.h>
#undef pipe2
#undef dup3
#undef getentropy
#undef daemon
#undef faccessat
#undef fchownat
#undef linkat
#undef symlinkat
#undef readlinkat
#undef unlinkat
#undef syncfs
#undef close_range
#undef copy_file_range
#undef getresuid
#undef getresgid
#undef setresuid
#undef setresgid
#endif
