// SPDX-License-Identifier: GPL-2.0-or-later
// systemd's socket activation (LISTEN_PID/LISTEN_FDS) and sd_notify ($NOTIFY_SOCKET), for
// POSIX, without libsystemd. Both protocols are plain: descriptors from 3 on, and one
// AF_UNIX datagram per notification. Other service managers set neither variable.
#include "tlsmux_config.h"

#include <tlsmux/platform/activation.hpp>

#include <cerrno>
#include <cstddef>
#include <cstdlib>
#include <cstring>

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/un.h>
#include <unistd.h>

namespace tlsmux {
namespace platform {

namespace {

const int first_listen_fd = 3;  // SD_LISTEN_FDS_START
int notify_fd = -1;

bool parse_count(const char* text, long& out) {
  if (text == nullptr || *text == '\0') return false;
  char* end = nullptr;
  errno = 0;
  out = std::strtol(text, &end, 10);
  return errno == 0 && end != nullptr && *end == '\0' && out >= 0;
}

// Why fd is not a listening TCP socket, or "".
std::string not_a_listener(int fd) {
  int type = 0;
  socklen_t len = sizeof type;
  if (::getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) != 0) return "not a socket";
  if (type != SOCK_STREAM) return "not a stream socket (ListenStream= is needed)";
  struct sockaddr_storage ss;
  std::memset(&ss, 0, sizeof ss);
  len = sizeof ss;
  if (::getsockname(fd, reinterpret_cast<struct sockaddr*>(&ss), &len) != 0) return "getsockname failed";
  if (ss.ss_family != AF_INET && ss.ss_family != AF_INET6) return "not an IPv4 or IPv6 socket";
#ifdef SO_ACCEPTCONN
  int listening = 0;
  len = sizeof listening;
  if (::getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &len) == 0 && !listening)
    return "not listening (Accept=no is needed; Accept=yes units use --inetd)";
#endif
  return std::string();
}

void forget_listen_environment() {
  ::unsetenv("LISTEN_PID");
  ::unsetenv("LISTEN_FDS");
  ::unsetenv("LISTEN_FDNAMES");
}

}  // namespace

std::vector<socket_handle> inherited_listeners(std::vector<std::string>& errors) {
  std::vector<socket_handle> out;
  long pid = 0, count = 0;
  if (!parse_count(std::getenv("LISTEN_PID"), pid) || !parse_count(std::getenv("LISTEN_FDS"), count))
    return out;
  forget_listen_environment();
  if (pid != static_cast<long>(::getpid())) return out;  // meant for another process
  for (long i = 0; i < count; ++i) {
    const int fd = first_listen_fd + static_cast<int>(i);
    const std::string why = not_a_listener(fd);
    if (!why.empty()) {
      errors.push_back("descriptor " + std::to_string(fd) + " from the service manager (LISTEN_FDS=" +
                       std::to_string(count) + "): " + why);
      continue;
    }
    ::fcntl(fd, F_SETFD, FD_CLOEXEC);
    out.push_back(fd);
  }
  return out;
}

bool open_service_notifier(std::string& what) {
  what.clear();
  const char* name = std::getenv("NOTIFY_SOCKET");
  if (name == nullptr || *name == '\0') return false;
  const std::string path(name);
  ::unsetenv("NOTIFY_SOCKET");
  struct sockaddr_un addr;
  std::memset(&addr, 0, sizeof addr);
  addr.sun_family = AF_UNIX;
  if ((path[0] != '/' && path[0] != '@') || path.size() >= sizeof addr.sun_path) {
    what = "NOTIFY_SOCKET=" + path + ": not an absolute path or an @abstract name";
    return false;
  }
  std::memcpy(addr.sun_path, path.data(), path.size());
  if (path[0] == '@') addr.sun_path[0] = '\0';  // Linux abstract namespace
  const socklen_t len = static_cast<socklen_t>(offsetof(struct sockaddr_un, sun_path) + path.size() +
                                               (path[0] == '@' ? 0 : 1));
  int fd = ::socket(AF_UNIX, SOCK_DGRAM, 0);
  if (fd >= 0) ::fcntl(fd, F_SETFD, FD_CLOEXEC);
  if (fd < 0 || ::connect(fd, reinterpret_cast<struct sockaddr*>(&addr), len) != 0) {
    const int err = errno;
    if (fd >= 0) ::close(fd);
    what = "NOTIFY_SOCKET=" + path + ": " + std::strerror(err);
    return false;
  }
  if (notify_fd >= 0) ::close(notify_fd);
  notify_fd = fd;
  return true;
}

void notify_service_manager(const std::string& state) {
  if (notify_fd < 0) return;
  ssize_t n;
  do {
    n = ::send(notify_fd, state.data(), state.size(), 0);
  } while (n < 0 && errno == EINTR);
}

}  // namespace platform
}  // namespace tlsmux
