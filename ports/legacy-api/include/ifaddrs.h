/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Legacy API profile (ports/legacy-api): Solaris 10, AIX 6.1 and HP-UX 11i have no <ifaddrs.h>. */
#error "<ifaddrs.h> does not exist on the legacy targets (ports/README.md, legacy API profile)"
