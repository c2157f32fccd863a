// SPDX-License-Identifier: GPL-2.0-or-later
// POSIX terminal prompts on /dev/tty and blocking stdio for `tlsmux connect`.
#include "tlsmux/platform/terminal.hpp"

#include "cloexec.hpp"

#include <cerrno>
#include <cstdio>
#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

namespace tlsmux {
namespace platform {

bool have_terminal() {
  int fd = detail::open_cloexec("/dev/tty", O_RDWR);
  if (fd < 0) return false;
  ::close(fd);
  return true;
}

bool ask_terminal(const std::string& prompt, std::string& answer) {
  int fd = detail::open_cloexec("/dev/tty", O_RDWR);
  if (fd < 0) return false;
  bool ok = ::write(fd, prompt.data(), prompt.size()) == static_cast<ssize_t>(prompt.size());
  answer.clear();
  char c = 0;
  while (ok) {
    ssize_t n = ::read(fd, &c, 1);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0 || c == '\n') break;
    if (c != '\r') answer.push_back(c);
  }
  ::close(fd);
  return ok;
}

long read_stdin(void* buf, std::size_t n) {
  for (;;) {
    ssize_t got = ::read(0, buf, n);
    if (got < 0 && errno == EINTR) continue;
    return static_cast<long>(got);
  }
}

std::size_t read_stdin_ready(void* buf, std::size_t n) {
  struct pollfd p;
  p.fd = 0;
  p.events = POLLIN;
  p.revents = 0;
  int r;
  do r = ::poll(&p, 1, 0);
  while (r < 0 && errno == EINTR);
  if (r != 1 || !(p.revents & POLLIN)) return 0;
  const long got = read_stdin(buf, n);  // readable: returns at once
  return got > 0 ? static_cast<std::size_t>(got) : 0;
}

std::error_code write_stdout(const void* p, std::size_t n) {
  const char* c = static_cast<const char*>(p);
  while (n > 0) {
    ssize_t put = ::write(1, c, n);
    if (put < 0 && errno == EINTR) continue;
    if (put < 0) return std::error_code(errno, std::generic_category());
    if (put == 0) return std::make_error_code(std::errc::io_error);
    c += put;
    n -= static_cast<std::size_t>(put);
  }
  return std::error_code();
}

void close_stdout() { ::close(1); }

void binary_stdio() {}

}  // namespace platform
}  // namespace tlsmux
