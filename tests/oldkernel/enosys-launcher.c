/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Old-kernel launcher for the static binary's checks (tests/ci/static.sh): installs a seccomp
 * filter that answers ENOSYS to every x86-64 system call the kernel gained after a given
 * release, as that kernel would, then execs the program. The filter is inherited by the
 * program and everything it starts.
 *
 *   enosys-launcher [--kernel 2.6.32|3.2|3.10|4.4|none] [--chroot DIR] [--log] -- PROGRAM ARG...
 *
 * --kernel none installs no filter (the same chroot and exec, for a control run).
 *
 * Why a number cut-off is the whole list: the x86-64 system call table only ever grows at its
 * end. The last call of 2.6.32 is perf_event_open (298); recvmmsg (299) came with 2.6.33, and
 * from there every number up to today's table (getrandom 318, statx 332, rseq 334, the 424+
 * block: pidfd_*, io_uring_*, clone3, close_range, openat2, faccessat2, ...) is newer. The
 * cut-offs per release come from the kernel's arch/x86/entry/syscalls/syscall_64.tbl history
 * (first number a release did NOT have). x32 calls (bit 30) and other ABIs get ENOSYS too.
 * New flags to old calls (O_PATH, MAP_FIXED_NOREPLACE, ...) cannot be filtered this way; they
 * fail with EINVAL on a real old kernel and are not covered here.
 *
 * ENOSYS, not EPERM: libc and programs treat ENOSYS as "this kernel is too old" and fall back
 * (glibc: clone3 -> clone, rseq -> none); that is the behaviour under test. */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

struct release {
  const char* name;
  unsigned first_new; /* first x86-64 system call number the release lacks */
};

static const struct release releases[] = {
    {"2.6.32", 299}, /* recvmmsg came with 2.6.33 */
    {"3.2", 312},    /* kcmp came with 3.5 (3.2 ends with process_vm_writev, 311) */
    {"3.10", 314},   /* sched_setattr came with 3.14 (3.10 ends with finit_module, 313) */
    {"4.4", 326},    /* copy_file_range came with 4.5 (4.4 ends with mlock2, 325) */
};

static int install(unsigned first_new) {
  struct sock_filter f[] = {
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
      /* x32 numbers have bit 30 set, so they are >= first_new as well */
      BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, first_new, 0, 1),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
  };
  struct sock_fprog prog = {(unsigned short)(sizeof f / sizeof f[0]), f};
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return -1;
  return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0);
}

int main(int argc, char** argv) {
  const char* kernel = "2.6.32";
  const char* root = NULL;
  unsigned first_new = 0;
  int i = 1, log = 0;
  size_t r;
  for (; i < argc && strcmp(argv[i], "--") != 0; ++i) {
    if (strcmp(argv[i], "--kernel") == 0 && i + 1 < argc) kernel = argv[++i];
    else if (strcmp(argv[i], "--chroot") == 0 && i + 1 < argc) root = argv[++i];
    else if (strcmp(argv[i], "--log") == 0) log = 1;
    else break;
  }
  if (i >= argc || strcmp(argv[i], "--") != 0 || i + 1 >= argc) {
    fprintf(stderr, "usage: %s [--kernel 2.6.32|3.2|3.10|4.4|none] [--chroot DIR] [--log] -- PROGRAM ARG...\n",
            argv[0]);
    return 2;
  }
  for (r = 0; r < sizeof releases / sizeof releases[0]; ++r)
    if (strcmp(releases[r].name, kernel) == 0) first_new = releases[r].first_new;
  if (first_new == 0 && strcmp(kernel, "none") != 0) {
    fprintf(stderr, "enosys-launcher: unknown kernel %s\n", kernel);
    return 2;
  }
  if (root != NULL && (chroot(root) != 0 || chdir("/") != 0)) {
    perror("enosys-launcher: chroot");
    return 2;
  }
  if (first_new != 0 && install(first_new) != 0) {
    perror("enosys-launcher: seccomp");
    return 2;
  }
  if (log && first_new != 0) fprintf(stderr, "enosys-launcher: system calls >= %u (newer than Linux %s) answer ENOSYS\n",
                   first_new, kernel);
  execv(argv[i + 1], argv + i + 1);
  perror("enosys-launcher: execv");
  return 127;
}
