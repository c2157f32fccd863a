// SPDX-License-Identifier: GPL-2.0-or-later
// Listening sockets on Unix: Linux's /proc/net tables when they exist, else the output of
// `netstat -an` (Solaris, AIX, HP-UX, the BSDs, macOS), both parsed by platform/common.
#include <tlsmux/platform/listening_sockets.hpp>

#include "cloexec.hpp"

#include <cerrno>
#include <cstdio>

#include <fcntl.h>
#include <unistd.h>

namespace tlsmux {
namespace platform {

namespace {

bool little_endian() {
  const std::uint16_t one = 1;
  return *reinterpret_cast<const unsigned char*>(&one) == 1;
}

// Reads one /proc/net table into out; false when it does not exist (no IPv6, no /proc).
bool read_proc_table(const char* path, bool udp, std::vector<listening_socket>& out) {
  const int fd = detail::open_cloexec(path, O_RDONLY, 0);
  if (fd < 0) return false;
  proc_net_parser p(udp, little_endian());
  char buf[4096];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    p.feed(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  p.finish();
  out.insert(out.end(), p.sockets().begin(), p.sockets().end());
  return true;
}

std::error_code run_netstat(std::vector<listening_socket>& out, std::string& what) {
  // A fixed command with a fixed PATH: nothing from the environment chooses the program.
  std::FILE* f = ::popen("PATH=/usr/bin:/bin:/usr/sbin:/sbin netstat -an 2>/dev/null", "r");
  if (f == nullptr) {
    what = "cannot run netstat -an";
    return std::error_code(errno, std::system_category());
  }
  netstat_parser p;
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) p.feed(buf, n);
  const int status = ::pclose(f);
  p.finish();
  if (status != 0 && p.sockets().empty()) {
    what = "netstat -an failed";
    return std::make_error_code(std::errc::no_such_file_or_directory);
  }
  out = p.sockets();
  return std::error_code();
}

}  // namespace

std::error_code listening_sockets(std::vector<listening_socket>& out, std::string& what) {
  out.clear();
  if (read_proc_table("/proc/net/tcp", false, out)) {
    read_proc_table("/proc/net/tcp6", false, out);
    read_proc_table("/proc/net/udp", true, out);
    read_proc_table("/proc/net/udp6", true, out);
    normalise(out);
    return std::error_code();
  }
  std::error_code ec = run_netstat(out, what);
  normalise(out);
  return ec;
}

}  // namespace platform
}  // namespace tlsmux
