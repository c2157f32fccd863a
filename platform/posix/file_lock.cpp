// SPDX-License-Identifier: GPL-2.0-or-later
// shared_file for POSIX: open(O_NOFOLLOW) 0600 and an fcntl() write lock on the whole file.
// fcntl() rather than flock(): it is in POSIX and works on every target (AIX, Solaris). Its
// locks are per process, which is what is wanted: one holder per process at a time.
#include <tlsmux/platform/file_lock.hpp>

#include "cloexec.hpp"

#include <cerrno>

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

namespace tlsmux {
namespace platform {

namespace {

std::error_code last_error() { return std::error_code(errno, std::system_category()); }

#ifdef O_NOFOLLOW
const int nofollow_flag = O_NOFOLLOW;
#else
const int nofollow_flag = 0;
#endif

}  // namespace

shared_file::~shared_file() { close(); }

std::error_code shared_file::open(const std::string& path) {
  close();
  int fd = detail::open_cloexec(path.c_str(), O_RDWR | O_CREAT | nofollow_flag, 0600);
  if (fd < 0) return last_error();
  handle_ = fd;
  return std::error_code();
}

// The whole file, however long it grows (l_len 0).
std::error_code shared_file::lock() {
  if (handle_ < 0) return std::make_error_code(std::errc::bad_file_descriptor);
  struct flock fl;
  fl.l_type = F_WRLCK;
  fl.l_whence = SEEK_SET;
  fl.l_start = 0;
  fl.l_len = 0;
  int rc;
  do {
    rc = ::fcntl(static_cast<int>(handle_), F_SETLKW, &fl);
  } while (rc < 0 && errno == EINTR);
  return rc < 0 ? last_error() : std::error_code();
}

void shared_file::unlock() {
  if (handle_ < 0) return;
  struct flock fl;
  fl.l_type = F_UNLCK;
  fl.l_whence = SEEK_SET;
  fl.l_start = 0;
  fl.l_len = 0;
  ::fcntl(static_cast<int>(handle_), F_SETLK, &fl);
}

std::error_code shared_file::read_all(std::string& out) {
  out.clear();
  if (handle_ < 0) return std::make_error_code(std::errc::bad_file_descriptor);
  const int fd = static_cast<int>(handle_);
  char buf[4096];
  off_t at = 0;
  for (;;) {
    const ssize_t n = ::pread(fd, buf, sizeof buf, at);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return last_error();
    if (n == 0) return std::error_code();
    out.append(buf, static_cast<std::size_t>(n));
    at += n;
  }
}

std::error_code shared_file::replace(const std::string& data) {
  if (handle_ < 0) return std::make_error_code(std::errc::bad_file_descriptor);
  const int fd = static_cast<int>(handle_);
  if (::ftruncate(fd, 0) != 0) return last_error();
  std::size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::pwrite(fd, data.data() + done, data.size() - done, static_cast<off_t>(done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return last_error();
    done += static_cast<std::size_t>(n);
  }
  return std::error_code();
}

void shared_file::close() {
  if (handle_ < 0) return;
  ::close(static_cast<int>(handle_));  // releases the process's fcntl() locks on the file
  handle_ = -1;
}

}  // namespace platform
}  // namespace tlsmux
