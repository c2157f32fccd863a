// SPDX-License-Identifier: GPL-2.0-or-later
// The process for POSIX: daemon start-up, the pid file, the process id.
#include <tlsmux/platform/process.hpp>

#include "atomic_file.hpp"
#include "cloexec.hpp"
#include "failed_call.hpp"

#include <cerrno>
#include <cstdio>

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

namespace tlsmux {
namespace platform {

using detail::failed;

namespace {

// The write end of the start-up pipe in a daemon child; -1 when not daemonised.
int ready_fd = -1;
// Ends the child's report when start-up succeeded; error lines are printable text.
const char ready_byte = 1;

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

}  // namespace

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

int process_id() { return static_cast<int>(::getpid()); }

}  // namespace platform
}  // namespace tlsmux
