// SPDX-License-Identifier: GPL-2.0-or-later
// File helpers for POSIX: private directories, atomic writes, terminal prompts.
#include "tlsmux_config.h"

#include <tlsmux/platform/files.hpp>

#include "atomic_file.hpp"
#include "cloexec.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>

#include <fcntl.h>
#include <cstdlib>
#include <pwd.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <termios.h>
#include <unistd.h>

namespace tlsmux {
namespace platform {

using detail::open_cloexec;

namespace {

std::error_code last_error() { return std::error_code(errno, std::system_category()); }

std::error_code write_all(int fd, const char* p, std::size_t n) {
  while (n > 0) {
    ssize_t w = ::write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return last_error();
    }
    p += w;
    n -= static_cast<std::size_t>(w);
  }
  return std::error_code();
}

/// Creates one directory; an existing directory is fine, an existing file is not.
std::error_code make_one_dir(const std::string& dir, mode_t mode) {
  if (::mkdir(dir.c_str(), mode) == 0) return std::error_code();
  int err = errno;
  struct stat st;
  if (err == EEXIST && ::stat(dir.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) return std::error_code();
    return std::make_error_code(std::errc::not_a_directory);
  }
  return std::error_code(err, std::system_category());
}

}  // namespace

namespace detail {

std::error_code write_atomic(const std::string& path, const std::string& data, mode_t mode,
                             std::string& what) {
  // The temporary lives in the same directory so that rename() stays on one file system
  // and is atomic; the pid keeps two processes writing the same file apart.
  std::string tmp = path + ".tmp." + std::to_string(static_cast<long>(::getpid()));
  ::unlink(tmp.c_str());
  int fd = open_cloexec(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL, mode);
  if (fd < 0) {
    std::error_code ec = last_error();
    what = "open(" + tmp + ") failed";
    return ec;
  }
  // Each step saves errno before the message string is built. The umask may have narrowed
  // the mode (0644 under umask 027 is 0640), so fchmod() sets it exactly.
  const char* call = nullptr;
  std::error_code ec;
  if (::fchmod(fd, mode) != 0) {
    ec = last_error();
    call = "fchmod";
  } else if ((ec = write_all(fd, data.data(), data.size()))) {
    call = "write";
  } else if (::fsync(fd) != 0) {
    ec = last_error();
    call = "fsync";
  }
  if (::close(fd) != 0 && !ec) {
    ec = last_error();
    call = "close";
  }
  if (!ec && ::rename(tmp.c_str(), path.c_str()) != 0) {
    ec = last_error();
    what = "rename(" + tmp + ", " + path + ") failed";
  } else if (ec) {
    what = std::string(call) + "(" + tmp + ") failed";
  }
  if (ec) ::unlink(tmp.c_str());
  return ec;
}

}  // namespace detail

std::error_code make_private_dir(const std::string& dir) {
  std::string last = dir;
  while (last.size() > 1 && last[last.size() - 1] == '/') last.erase(last.size() - 1);
  if (last.empty()) return std::make_error_code(std::errc::invalid_argument);
  // Parents get the usual 0755 (less the umask); only the last component is private.
  for (std::size_t pos = last.find('/', 1); pos != std::string::npos;
       pos = last.find('/', pos + 1)) {
    if (last[pos - 1] == '/') continue;
    std::error_code ec = make_one_dir(last.substr(0, pos), 0755);
    if (ec) return ec;
  }
  return make_one_dir(last, 0700);
}

std::error_code write_private_file(const std::string& path, const std::string& data) {
  std::string what;
  return detail::write_atomic(path, data, 0600, what);
}

std::error_code write_file(const std::string& path, const std::string& data) {
  std::string what;
  return detail::write_atomic(path, data, 0644, what);
}

std::FILE* open_log_file(const std::string& path) {
  int fd = open_cloexec(path.c_str(), O_WRONLY | O_APPEND | O_CREAT, 0640);
  if (fd < 0) return nullptr;
  // A file an older tlsmux created 0644 is narrowed, if it is ours.
  struct stat st;
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == ::geteuid() &&
      (st.st_mode & 0007) != 0)
    ::fchmod(fd, st.st_mode & 07770);
  std::FILE* f = ::fdopen(fd, "ab");
  if (f == nullptr) {
    int err = errno;
    ::close(fd);
    errno = err;
  }
  return f;
}

namespace {

// The uid that `user = NAME` (or a bare number) drops to; -1 when there is none.
long service_uid(const std::string& user) {
  if (user.empty()) return -1;
  if (user.find_first_not_of("0123456789") == std::string::npos) return std::atol(user.c_str());
  const struct passwd* pw = ::getpwnam(user.c_str());
  return pw ? static_cast<long>(pw->pw_uid) : -1;
}

}  // namespace

std::string unsafe_dir_reason(const std::string& dir, const std::string& service_user) {
  struct stat st;
  if (::stat(dir.c_str(), &st) != 0) return std::string();
  if (!S_ISDIR(st.st_mode)) return "is not a directory";
  char mode[8];
  std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
  if ((st.st_mode & S_IWOTH) != 0) return std::string("is writable by everyone (mode ") + mode + ")";
  if ((st.st_mode & S_IWGRP) != 0) return std::string("is writable by its group (mode ") + mode + ")";
  if (st.st_uid != ::geteuid() && st.st_uid != 0 && static_cast<long>(st.st_uid) != service_uid(service_user))
    return "belongs to uid " + std::to_string(static_cast<long>(st.st_uid)) +
           ", neither this user (uid " + std::to_string(static_cast<long>(::geteuid())) + "), root nor the service user";
  return std::string();
}

std::error_code read_file(const std::string& path, std::string& data) {
  data.clear();
  int fd = open_cloexec(path.c_str(), O_RDONLY, 0);
  if (fd < 0) return last_error();
  char buf[8192];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      std::error_code ec = last_error();
      ::close(fd);
      return ec;
    }
    if (n == 0) break;
    data.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return std::error_code();
}

bool file_exists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

std::string join_path(const std::string& dir, const std::string& name) {
  if (dir.empty()) return name;
  if (dir[dir.size() - 1] == '/') return dir + name;
  return dir + "/" + name;
}

bool stdin_is_tty() { return ::isatty(0) == 1; }

bool read_secret(const std::string& prompt, std::string& out) {
  out.clear();
  // The prompt and the answer use /dev/tty, not stdin/stdout, so piped output stays clean
  // and a password is never read from a pipe by accident.
  int fd = open_cloexec("/dev/tty", O_RDWR | O_NOCTTY, 0);
  if (fd < 0) return false;
  struct termios saved;
  if (::tcgetattr(fd, &saved) != 0) {
    ::close(fd);
    return false;
  }
  struct termios quiet = saved;
  quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
  quiet.c_lflag |= ECHONL;
  ::tcsetattr(fd, TCSAFLUSH, &quiet);
  write_all(fd, prompt.data(), prompt.size());
  bool got_line = false;
  for (;;) {
    char c;
    ssize_t n = ::read(fd, &c, 1);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    if (c == '\n') {
      got_line = true;
      break;
    }
    if (c != '\r' && out.size() < 4096) out.push_back(c);
  }
  ::tcsetattr(fd, TCSAFLUSH, &saved);
  ::close(fd);
  // End of input after some text (Ctrl-D) still counts as an answer.
  return got_line || !out.empty();
}

std::string absolute_path(const std::string& path) {
  if (path.empty() || path[0] == '/') return path;
  char cwd[4096];
  if (!::getcwd(cwd, sizeof cwd)) return path;
  return join_path(cwd, path);
}

std::string absolute_path_in(const std::string& dir, const std::string& path) {
  if (path.empty() || path[0] == '/') return path;
  return join_path(dir, path);
}

std::string directory_of(const std::string& path) {
  std::string::size_type slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

}  // namespace platform
}  // namespace tlsmux
