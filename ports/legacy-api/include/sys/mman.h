/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Legacy API profile (ports/legacy-api): <sys/mman.h> without the Linux-only calls. */
#ifndef TLSMUX_LEGACY_SYS_MMAN_H
#define TLSMUX_LEGACY_SYS_MMAN_H
#define memfd_create tlsmux_legacy_hidden_memfd_create
#define mremap tlsmux_legacy_hidden_mremap
#include_next <sys/mman.h>
#undef memfd_create
#undef mremap
#endif
