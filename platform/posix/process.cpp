// SPDX-License-Identifier: GPL-2.0-or-later
// Process-level services for POSIX: daemon start-up, pid files, limits, privileges.
#include "tlsmux_config.h"

#include <tlsmux/platform/process.hpp>

#include "atomic_file.hpp"
#include "cloexec.hpp"

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <fcntl.h>
#include <grp.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

namespace tlsmux {
namespace platform {

namespace {

// The write end of the start-up pipe in a daemon child; -1 when not daemonised.
int ready_fd = -1;
// Ends the child's report when start-up succeeded; error lines are printable text.
const char ready_byte = 1;

// Used when the hard descriptor limit is unlimited: setrlimit() to RLIM_INFINITY fails on
// Linux and macOS, and no select or poll reactor needs more.
const rlim_t descriptor_cap = 65536;

/// The parent side of daemonize(): relays what the child reports on the start-up pipe, then
/// exits. The child writes its start-up error lines, then either the ready byte (exit 0) or
/// nothing before it exits (the parent exits with the child's status, as sshd and nginx do).
void wait_for_child(pid_t child, int fd) {
  std::string said;
  char buf[512];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    said.append(buf, static_cast<std::size_t>(n));
  }
  bool ready = !said.empty() && said[said.size() - 1] == ready_byte;
  if (ready) said.erase(said.size() - 1);
  if (!said.empty() && ::write(2, said.data(), said.size()) < 0) {
    // Nothing else to tell: the exit status still says it.
  }
  if (ready) ::_exit(0);
  int status = 0;
  pid_t r;
  do {
    r = ::waitpid(child, &status, 0);
  } while (r < 0 && errno == EINTR);
  int code = r == child && WIFEXITED(status) && WEXITSTATUS(status) != 0 ? WEXITSTATUS(status) : 1;
  if (said.empty()) {
    const char msg[] = "tlsmux: the daemon ended during start-up without a message\n";
    if (::write(2, msg, sizeof msg - 1) < 0) code = 1;
  }
  // _exit: the parent must not run destructors or flush stdio buffers the child owns now.
  ::_exit(code);
}

void write_all(int fd, const std::string& data) {
  std::size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    done += static_cast<std::size_t>(n);
  }
}

/// Parses a decimal user or group id ("65534"); false for names.
bool parse_id(const std::string& text, unsigned long& id) {
  if (text.empty() || text.size() > 9) return false;
  id = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    id = id * 10 + static_cast<unsigned long>(text[i] - '0');
  }
  return true;
}

std::error_code not_found(const std::string& call, std::string& what) {
  what = call + " found no such entry";
  return std::make_error_code(std::errc::invalid_argument);
}

/// Resolves user (name or id) to uid and its primary group; the name is kept for
/// initgroups(). Names are resolved before chroot, where /etc/passwd may not exist.
std::error_code find_user(const std::string& user, uid_t& uid, gid_t& gid, std::string& name,
                          std::string& what) {
  unsigned long id = 0;
  struct passwd* pw = parse_id(user, id) ? ::getpwuid(static_cast<uid_t>(id))
                                         : ::getpwnam(user.c_str());
  if (pw != nullptr) {
    uid = pw->pw_uid;
    gid = pw->pw_gid;
    name = pw->pw_name;
    return std::error_code();
  }
  if (!parse_id(user, id)) return not_found("getpwnam(" + user + ")", what);
  uid = static_cast<uid_t>(id);  // a bare id without a passwd entry keeps its group
  gid = static_cast<gid_t>(id);
  return std::error_code();
}

std::error_code find_group(const std::string& group, gid_t& gid, std::string& what) {
  unsigned long id = 0;
  if (parse_id(group, id)) {
    gid = static_cast<gid_t>(id);
    return std::error_code();
  }
  struct group* gr = ::getgrnam(group.c_str());
  if (gr == nullptr) return not_found("getgrnam(" + group + ")", what);
  gid = gr->gr_gid;
  return std::error_code();
}

/// Builds the error for a failed call; err is errno, saved before any string is built.
std::error_code failed(int err, const std::string& call, std::string& what) {
  what = call + " failed";
  return std::error_code(err, std::system_category());
}

/// Sets the supplementary groups: the user's from the group database, or gid alone.
std::error_code set_groups(const std::string& name, gid_t gid, std::string& what) {
#ifdef TLSMUX_HAVE_INITGROUPS
  if (!name.empty()) {
    if (::initgroups(name.c_str(), gid) != 0) {
      int err = errno;
      return failed(err, "initgroups(" + name + ", " + std::to_string(static_cast<long>(gid)) + ")",
                    what);
    }
    return std::error_code();
  }
#else
  (void)name;
#endif
  if (::setgroups(1, &gid) != 0) {
    int err = errno;
    return failed(err, "setgroups(1, " + std::to_string(static_cast<long>(gid)) + ")", what);
  }
  return std::error_code();
}

/// Proves a dropped process cannot become root again (saved set-user-id traps).
std::error_code verify_dropped(uid_t uid, std::string& what) {
  if (uid == 0) return std::error_code();
  if (::setuid(0) == 0 || ::seteuid(0) == 0 || ::getuid() != uid || ::geteuid() != uid) {
    what = "setuid(0) succeeded after dropping privileges";
    return std::make_error_code(std::errc::operation_not_permitted);
  }
  return std::error_code();
}

}  // namespace

void ignore_broken_pipe() { ::signal(SIGPIPE, SIG_IGN); }

std::error_code daemonize(std::string& what) {
  int fds[2];
  if (::pipe(fds) != 0) return failed(errno, "pipe()", what);
  std::fflush(nullptr);  // or both processes would write what is buffered
  pid_t pid = ::fork();
  if (pid < 0) {
    std::error_code ec = failed(errno, "fork()", what);
    ::close(fds[0]);
    ::close(fds[1]);
    return ec;
  }
  if (pid > 0) {
    ::close(fds[1]);
    wait_for_child(pid, fds[0]);
  }
  ::close(fds[0]);
  ::fcntl(fds[1], F_SETFD, FD_CLOEXEC);
  ready_fd = fds[1];
  if (::setsid() < 0) return failed(errno, "setsid()", what);
  if (::chdir("/") != 0) return failed(errno, "chdir(/)", what);
  ::umask(027);
  int null = detail::open_cloexec("/dev/null", O_RDWR | O_NOCTTY);
  if (null < 0) return failed(errno, "open(/dev/null)", what);
  for (int fd = 0; fd < 3; ++fd) {
    if (::dup2(null, fd) < 0) {
      int err = errno;
      std::error_code ec = failed(err, "dup2(/dev/null, " + std::to_string(fd) + ")", what);
      ::close(null);
      return ec;
    }
  }
  if (null > 2) ::close(null);
  return std::error_code();
}

void daemon_ready() {
  if (ready_fd < 0) return;
  write_all(ready_fd, std::string(1, ready_byte));
  ::close(ready_fd);
  ready_fd = -1;
}

bool daemon_starting() { return ready_fd >= 0; }

void daemon_report(const std::string& line) {
  if (ready_fd >= 0) write_all(ready_fd, "tlsmux: " + line + "\n");
}

std::error_code write_pid_file(const std::string& path, std::string& what) {
  return detail::write_atomic(path, std::to_string(static_cast<long>(::getpid())) + "\n", 0644,
                              what);
}

void remove_pid_file(const std::string& path) { ::unlink(path.c_str()); }

std::size_t raise_descriptor_limit() {
  struct rlimit rl;
  if (::getrlimit(RLIMIT_NOFILE, &rl) != 0) return 0;
  rlim_t target = rl.rlim_max == RLIM_INFINITY ? descriptor_cap : rl.rlim_max;
  if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= target) {
    return rl.rlim_cur == RLIM_INFINITY ? static_cast<std::size_t>(descriptor_cap)
                                        : static_cast<std::size_t>(rl.rlim_cur);
  }
  struct rlimit raised = rl;
  raised.rlim_cur = target;
  if (::setrlimit(RLIMIT_NOFILE, &raised) != 0) return static_cast<std::size_t>(rl.rlim_cur);
  return static_cast<std::size_t>(target);
}

std::size_t select_descriptor_limit() { return FD_SETSIZE; }

std::error_code drop_privileges(const std::string& user, const std::string& group,
                                const std::string& chroot_dir, std::string& what) {
  uid_t uid = 0;
  gid_t gid = 0;
  std::string name;
  std::error_code ec;
  if (!user.empty() && (ec = find_user(user, uid, gid, name, what))) return ec;
  if (!group.empty() && (ec = find_group(group, gid, what))) return ec;
  bool change_ids = !user.empty() || !group.empty();
  // Supplementary groups are set before chroot because initgroups() reads /etc/group,
  // which the chroot directory usually lacks. They give no way out of the chroot.
  if (change_ids && (ec = set_groups(name, gid, what))) return ec;
  if (!chroot_dir.empty()) {
    if (::chroot(chroot_dir.c_str()) != 0) {
      int err = errno;
      return failed(err, "chroot(" + chroot_dir + ")", what);
    }
    if (::chdir("/") != 0) return failed(errno, "chdir(/)", what);
  }
  // Group first: after setuid() the process may no longer change its group.
  if (change_ids && ::setgid(gid) != 0) {
    int err = errno;
    return failed(err, "setgid(" + std::to_string(static_cast<long>(gid)) + ")", what);
  }
  if (user.empty()) return std::error_code();
  if (::setuid(uid) != 0) {
    int err = errno;
    return failed(err, "setuid(" + std::to_string(static_cast<long>(uid)) + ")", what);
  }
  return verify_dropped(uid, what);
}

bool is_privileged() { return ::geteuid() == 0; }

std::string host_name() {
  char buf[256];
  std::memset(buf, 0, sizeof buf);
  // POSIX leaves truncated names unterminated; the last byte stays NUL.
  if (::gethostname(buf, sizeof buf - 1) != 0 || buf[0] == '\0') return "localhost";
  return buf;
}

std::string home_dir() {
  const char* home = std::getenv("HOME");
  if (home != nullptr && home[0] != '\0') return home;
  struct passwd* pw = ::getpwuid(::getuid());
  if (pw != nullptr && pw->pw_dir != nullptr) return pw->pw_dir;
  return std::string();
}

std::string default_state_dir() {
  if (is_privileged()) return "/var/lib/tlsmux";
  std::string home = home_dir();
  // Without a home the state goes next to the working directory rather than anywhere shared.
  return home.empty() ? std::string(".tlsmux") : home + "/.tlsmux";
}

int stdin_socket(std::string& what) {
  int type = 0;
  socklen_t len = sizeof type;
  if (::getsockopt(0, SOL_SOCKET, SO_TYPE, &type, &len) != 0) {
    what = "getsockopt(0, SO_TYPE) failed: stdin is not a socket";
    return -1;
  }
  if (type != SOCK_STREAM) {
    what = "stdin is not a stream socket";
    return -1;
  }
  // Above 2, so that stdio pointed at /dev/null later cannot land on the socket.
  int fd = ::fcntl(0, F_DUPFD, 3);
  if (fd < 0) {
    int err = errno;
    what = "fcntl(0, F_DUPFD) failed: " + std::string(std::strerror(err));
    return -1;
  }
  ::fcntl(fd, F_SETFD, FD_CLOEXEC);
  return fd;
}

int socket_family(int fd) {
  struct sockaddr_storage ss;
  std::memset(&ss, 0, sizeof ss);
  socklen_t len = sizeof ss;
  if (::getsockname(fd, reinterpret_cast<struct sockaddr*>(&ss), &len) != 0) return 0;
  if (ss.ss_family == AF_INET) return 4;
  if (ss.ss_family == AF_INET6) return 6;
  return 0;
}

void prepare_source_bind(int fd) {
#ifdef TLSMUX_HAVE_IP_BIND_ADDRESS_NO_PORT
  // Linux 4.2+: bind() reserves no port, connect() picks one per 4-tuple, so a fixed
  // source address does not exhaust ephemeral ports under TIME_WAIT.
  int one = 1;
  ::setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
#else
  (void)fd;
#endif
}

int process_id() { return static_cast<int>(::getpid()); }

bool utc_time(std::time_t t, std::tm& out) { return ::gmtime_r(&t, &out) != nullptr; }

}  // namespace platform
}  // namespace tlsmux
