/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Legacy API profile (ports/legacy-api): <string.h> without the POSIX.1-2008 and GNU extras
 * that Solaris 10 (strnlen and strndup came in Solaris 11) and HP-UX 11i lack. */
#ifndef TLSMUX_LEGACY_STRING_H
#define TLSMUX_LEGACY_STRING_H
#define strnlen tlsmux_legacy_hidden_strnlen
#define strndup tlsmux_legacy_hidden_strndup
#define stpcpy tlsmux_legacy_hidden_stpcpy
#define stpncpy tlsmux_legacy_hidden_stpncpy
#define memmem tlsmux_legacy_hidden_memmem
#define explicit_bzero tlsmux_legacy_hidden_explicit_bzero
#define strlcpy tlsmux_legacy_hidden_strlcpy
#define strlcat tlsmux_legacy_hidden_strlcat
#include_next <string.h>
#undef strnlen
#undef strndup
#undef stpcpy
#undef stpncpy
#undef memmem
#undef explicit_bzero
#undef strlcpy
#undef strlcat
#endif
