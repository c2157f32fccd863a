// SPDX-License-Identifier: GPL-2.0-or-later
// POSIX-only process tests: daemonize, privileges, descriptors, sockets, SIGPIPE, syslog.
#include <tlsmux/platform/files.hpp>
#include <tlsmux/platform/limits.hpp>
#include <tlsmux/platform/privileges.hpp>
#include <tlsmux/platform/process.hpp>
#include <tlsmux/platform/signals.hpp>
#include <tlsmux/platform/sockets.hpp>
#include <tlsmux/platform/system_log.hpp>

#include "scratch.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

#include <fcntl.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <grp.h>
#include <unistd.h>

#include <CppUTest/TestHarness.h>

using namespace tlsmux;

namespace {

/// Runs body in a forked child and returns its exit status (128 + signal when killed).
template <typename F>
int in_child(F body) {
  std::fflush(nullptr);
  pid_t pid = ::fork();
  if (pid == 0) ::_exit(body());
  int status = 0;
  if (pid < 0 || ::waitpid(pid, &status, 0) != pid) return -1;
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return WEXITSTATUS(status);
}

/// True when setgroups() sets what it is given; qemu-sparc64 7.2 sets group 0 for 65534.
bool setgroups_works(gid_t gid) {
  if (::setgroups(1, &gid) != 0) return false;
  gid_t groups[4] = {static_cast<gid_t>(-1), static_cast<gid_t>(-1), static_cast<gid_t>(-1),
                     static_cast<gid_t>(-1)};
  return ::getgroups(4, groups) == 1 && groups[0] == gid;
}

struct drop_to_nobody {
  std::string chroot_dir;
  int operator()() const {
    struct passwd* pw = ::getpwnam("nobody");
    if (pw == nullptr) return 6;
    uid_t uid = pw->pw_uid;
    gid_t gid = pw->pw_gid;
    std::string what;
    if (!setgroups_works(gid)) {
      // A broken emulator: the drop must refuse rather than keep root's group.
      ::setgroups(0, nullptr);
      if (!platform::drop_privileges("nobody", "", chroot_dir, what)) return 9;
      return what.find("setgroups() did not take effect") == 0 ? 0 : 10;
    }
    ::setgroups(0, nullptr);
    if (platform::drop_privileges("nobody", "", chroot_dir, what)) return 2;
    if (::getuid() != uid || ::geteuid() != uid || ::getgid() != gid || ::getegid() != gid)
      return 3;
    gid_t groups[4] = {0, 0, 0, 0};  // a short write by getgroups() must not pass
    int n = ::getgroups(4, groups);
    for (int i = 0; i < n; ++i)
      if (groups[i] == 0) return 7;  // root's supplementary groups must be gone
    if (::setuid(0) == 0 || errno != EPERM) return 4;  // no way back to root
    if (!chroot_dir.empty() && !platform::file_exists("/marker")) return 5;
    // Once nobody, `user = nobody` again (a unit with User= and the same key) is no error.
    if (chroot_dir.empty() && platform::drop_privileges("nobody", "", "", what)) return 8;
    return 0;
  }
};

struct daemon_body {
  std::string report;
  bool ready;
  int operator()() const {
    std::string what;
    if (platform::daemonize(what)) return 2;
    // Only the daemon gets here; the intermediate parent exits inside daemonize().
    char cwd[16] = "";
    mode_t mask = ::umask(0);
    bool detached = ::getsid(0) == ::getpid() && ::getcwd(cwd, sizeof cwd) != nullptr &&
                    std::strcmp(cwd, "/") == 0 && mask == 027 && ::isatty(2) == 0 &&
                    ::fcntl(0, F_GETFD) >= 0;
    platform::write_file(report, detached ? "detached" : "attached");
    if (!ready) {
      platform::daemon_report("cannot listen: test");
      return 3;
    }
    platform::daemon_ready();
    return 0;
  }
};

struct broken_pipe_body {
  int operator()() const {
    platform::ignore_broken_pipe();
    int sv[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0) return 2;
    ::close(sv[1]);
    ssize_t n = ::write(sv[0], "x", 1);  // would raise SIGPIPE without the call
    return n < 0 && errno == EPIPE ? 0 : 1;
  }
};

struct stdin_socket_body {
  bool use_socket;
  int operator()() const {
    int sv[2];
    if (use_socket ? ::socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0 : ::pipe(sv) != 0) return 2;
    ::dup2(sv[0], 0);
    std::string what;
    int fd = platform::stdin_socket(what);
    if (!use_socket) return fd == -1 && what.find("getsockopt") == 0 ? 0 : 1;
    if (fd <= 2 || (::fcntl(fd, F_GETFD) & FD_CLOEXEC) == 0 || !what.empty()) return 3;
    return ::write(fd, "k", 1) == 1 ? 0 : 4;
  }
};

}  // namespace

TEST_GROUP(posix_process){};

TEST(posix_process, select_limit_is_fd_setsize) {
  LONGS_EQUAL(FD_SETSIZE, platform::select_descriptor_limit());
#ifdef __linux__
  LONGS_EQUAL(1024, platform::select_descriptor_limit());
#endif
}

TEST(posix_process, socket_family_of_real_sockets) {
  int s4 = ::socket(AF_INET, SOCK_STREAM, 0);
  CHECK(s4 >= 0);
  LONGS_EQUAL(4, platform::socket_family(s4));
  ::close(s4);
  int s6 = ::socket(AF_INET6, SOCK_STREAM, 0);
  if (s6 >= 0) {  // hosts without IPv6 cannot create one
    LONGS_EQUAL(6, platform::socket_family(s6));
    ::close(s6);
  }
  int sv[2];
  CHECK_EQUAL(0, ::socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
  LONGS_EQUAL(0, platform::socket_family(sv[0]));
  ::close(sv[0]);
  ::close(sv[1]);
  LONGS_EQUAL(0, platform::socket_family(-1));
}

TEST(posix_process, prepare_source_bind_keeps_the_socket_usable) {
  int s = ::socket(AF_INET, SOCK_STREAM, 0);
  CHECK(s >= 0);
  platform::prepare_source_bind(s);
#ifdef IP_BIND_ADDRESS_NO_PORT
  // Kernels before 4.2 and qemu-user lack the option (ENOPROTOOPT); the call is best effort.
  int on = 0;
  socklen_t len = sizeof on;
  if (::getsockopt(s, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &on, &len) == 0) {
    LONGS_EQUAL(1, on);
  } else {
    LONGS_EQUAL(ENOPROTOOPT, errno);
  }
#endif
  struct sockaddr_in sin;
  std::memset(&sin, 0, sizeof sin);
  sin.sin_family = AF_INET;
  sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  CHECK_EQUAL(0, ::bind(s, reinterpret_cast<struct sockaddr*>(&sin), sizeof sin));
  ::close(s);
}

TEST(posix_process, ignore_broken_pipe_turns_sigpipe_into_epipe) {
  LONGS_EQUAL(0, in_child(broken_pipe_body()));
}

TEST(posix_process, stdin_socket_accepts_sockets_only) {
  stdin_socket_body socket_body = {true};
  stdin_socket_body pipe_body = {false};
  LONGS_EQUAL(0, in_child(socket_body));
  LONGS_EQUAL(0, in_child(pipe_body));
}

TEST(posix_process, daemonize_waits_for_ready) {
  daemon_body body = {test::scratch_path("daemon_ok"), true};
  std::remove(body.report.c_str());
  LONGS_EQUAL(0, in_child(body));
  // The report is written before daemon_ready(), so the parent's exit implies it exists.
  std::string report;
  CHECK_FALSE(platform::read_file(body.report, report));
  STRCMP_EQUAL("detached", report.c_str());
  std::remove(body.report.c_str());
}

TEST(posix_process, daemonize_fails_with_the_daemons_status_when_it_dies_first) {
  daemon_body body = {test::scratch_path("daemon_dead"), false};
  LONGS_EQUAL(3, in_child(body));  // the parent printed "tlsmux: cannot listen: test"
  std::remove(body.report.c_str());
}

TEST(posix_process, drop_privileges_reports_unknown_users) {
  std::string what;
  CHECK_TRUE(platform::drop_privileges("no-such-user-tlsmux", "", "", what));
  STRCMP_EQUAL("getpwnam(no-such-user-tlsmux) found no such entry", what.c_str());
  CHECK_TRUE(platform::drop_privileges("", "no-such-group-tlsmux", "", what));
  STRCMP_EQUAL("getgrnam(no-such-group-tlsmux) found no such entry", what.c_str());
}

TEST(posix_process, drop_privileges_to_nobody_is_final) {
  if (!platform::is_privileged()) {
    // Without root the drop must fail and name the call that refused.
    std::string what;
    CHECK_TRUE(platform::drop_privileges("nobody", "", "", what));
    CHECK(what.find(") failed") != std::string::npos);
    return;
  }
  drop_to_nobody body;
  LONGS_EQUAL(0, in_child(body));
}

TEST(posix_process, drop_privileges_to_the_current_user_needs_no_privileges) {
  if (platform::is_privileged()) return;  // root: covered by drop_to_nobody
  struct passwd* pw = ::getpwuid(::getuid());
  if (pw == nullptr || pw->pw_gid != ::getgid()) return;  // no entry, or another group
  std::string what;
  CHECK_FALSE(platform::drop_privileges(pw->pw_name, "", "", what));
  CHECK_TRUE(platform::drop_privileges("nobody", "", "", what));
}

TEST(posix_process, drop_privileges_with_chroot) {
  if (!platform::is_privileged()) return;  // chroot needs root
  drop_to_nobody body;
  body.chroot_dir = test::scratch_path("jail");
  CHECK_FALSE(platform::make_private_dir(body.chroot_dir));
  ::chmod(body.chroot_dir.c_str(), 0755);
  CHECK_FALSE(platform::write_file(body.chroot_dir + "/marker", "x"));
  LONGS_EQUAL(0, in_child(body));
  std::remove((body.chroot_dir + "/marker").c_str());
  ::rmdir(body.chroot_dir.c_str());
}

TEST(posix_process, system_log_takes_format_characters_literally) {
  // Runs in a child: a syslog daemon may or may not be listening; "%n" would crash if the
  // text were used as the format.
  struct body {
    int operator()() const {
      platform::system_log_open("tlsmux-test");
      platform::system_log_write(4, "platform test %n%n%s%s");
      platform::system_log_close();
      return 0;
    }
  };
  LONGS_EQUAL(0, in_child(body()));
}
