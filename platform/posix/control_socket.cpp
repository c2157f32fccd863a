// SPDX-License-Identifier: GPL-2.0-or-later
// The control socket for POSIX: a Unix stream socket, mode 0600, owned by the service user.
// The state directory around it is 0700 and checked like OpenSSH's StrictModes, so the file
// mode is the second lock, not the only one.
#include "tlsmux_config.h"

#include <tlsmux/platform/control_socket.hpp>

#include <asio/basic_socket_acceptor.hpp>
#include <asio/generic/stream_protocol.hpp>
#include <asio/write.hpp>

#include <cerrno>
#include <cstddef>
#include <cstdlib>
#include <cstring>

#include <fcntl.h>
#include <pwd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/un.h>
#include <unistd.h>

namespace tlsmux {
namespace platform {

namespace {

bool make_address(const std::string& path, struct sockaddr_un& addr, socklen_t& len, std::string& what) {
  std::memset(&addr, 0, sizeof addr);
  addr.sun_family = AF_UNIX;
  if (path.empty() || path.size() >= sizeof addr.sun_path) {
    what = "control socket path " + path + " is longer than a Unix socket allows (" +
           std::to_string(sizeof addr.sun_path - 1) + " bytes): use a shorter state directory";
    return false;
  }
  std::memcpy(addr.sun_path, path.c_str(), path.size());
  len = static_cast<socklen_t>(offsetof(struct sockaddr_un, sun_path) + path.size() + 1);
  return true;
}

int new_socket() {
  int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  if (fd >= 0) ::fcntl(fd, F_SETFD, FD_CLOEXEC);
  return fd;
}

// Connects fd to path; the errno of the failure, or 0.
int connect_to(int fd, const struct sockaddr_un& addr, socklen_t len) {
  int rc;
  do {
    rc = ::connect(fd, reinterpret_cast<const struct sockaddr*>(&addr), len);
  } while (rc != 0 && errno == EINTR);
  return rc == 0 ? 0 : errno;
}

// A socket file at path that nobody accepts on is stale: removed. false with what when path
// is something else or a live server owns it.
bool clear_stale(const std::string& path, const struct sockaddr_un& addr, socklen_t len, std::string& what) {
  struct stat st;
  if (::lstat(path.c_str(), &st) != 0) return true;
  if (!S_ISSOCK(st.st_mode)) {
    what = path + " exists and is not a socket; remove it";
    return false;
  }
  int fd = new_socket();
  int err = fd < 0 ? errno : connect_to(fd, addr, len);
  if (fd >= 0) ::close(fd);
  if (err == 0) {
    what = "another tlsmux server answers on " + path + " (the state directory is in use)";
    return false;
  }
  ::unlink(path.c_str());  // ECONNREFUSED: left by a server that ended without removing it
  return true;
}

int open_control_socket(const std::string& path, const std::string& user, std::string& what) {
  struct sockaddr_un addr;
  socklen_t len = 0;
  if (!make_address(path, addr, len, what) || !clear_stale(path, addr, len, what)) return -1;
  int fd = new_socket();
  const mode_t old_mask = ::umask(077);  // no moment when others may connect
  int err = fd < 0 ? errno : 0;
  if (!err && ::bind(fd, reinterpret_cast<const struct sockaddr*>(&addr), len) != 0) err = errno;
  ::umask(old_mask);
  if (!err && ::chmod(path.c_str(), 0600) != 0) err = errno;
  if (!err && !user.empty()) {
    const struct passwd* pw = user.find_first_not_of("0123456789") == std::string::npos
                                  ? ::getpwuid(static_cast<uid_t>(std::strtoul(user.c_str(), nullptr, 10)))
                                  : ::getpwnam(user.c_str());
    if (pw == nullptr) err = ENOENT;
    else if (pw->pw_uid != ::geteuid() && ::chown(path.c_str(), pw->pw_uid, pw->pw_gid) != 0) err = errno;
  }
  if (!err && ::listen(fd, 16) != 0) err = errno;
  if (err) {
    what = "cannot create the control socket " + path + ": " + std::strerror(err);
    if (fd >= 0) ::close(fd);
    return -1;
  }
  return fd;
}

typedef asio::generic::stream_protocol unix_stream;

class socket_stream : public control_stream {
 public:
  explicit socket_stream(unix_stream::socket s) : socket_(std::move(s)) {}
  void async_read_some(char* buf, std::size_t n, io_handler h) override {
    socket_.async_read_some(asio::buffer(buf, n), h);
  }
  void async_write(const char* data, std::size_t n, io_handler h) override {
    asio::async_write(socket_, asio::buffer(data, n), h);
  }
  void close() override {
    std::error_code ignored;
    socket_.shutdown(asio::socket_base::shutdown_both, ignored);
    socket_.close(ignored);
  }

 private:
  unix_stream::socket socket_;
};

}  // namespace

std::string control_endpoint(const std::string& path) { return path; }

struct control_listener::impl {
  explicit impl(asio::io_context& io) : acceptor(io) {}
  asio::basic_socket_acceptor<unix_stream> acceptor;
  std::string path;
};

control_listener::control_listener(asio::io_context& io) : impl_(new impl(io)) {}

control_listener::~control_listener() { close(); }

bool control_listener::open(const std::string& path, const std::string& user, std::string& what) {
  int fd = open_control_socket(path, user, what);
  if (fd < 0) return false;
  std::error_code ec;
  impl_->acceptor.assign(unix_stream(AF_UNIX, 0), fd, ec);
  if (ec) {
    what = "control socket " + path + ": " + ec.message();
    ::close(fd);
    ::unlink(path.c_str());
    return false;
  }
  impl_->path = path;
  return true;
}

bool control_listener::is_open() const { return impl_->acceptor.is_open(); }

void control_listener::async_accept(accept_handler h) {
  impl_->acceptor.async_accept([h](const std::error_code& ec, unix_stream::socket s) {
    if (ec) h(ec, std::shared_ptr<control_stream>());
    else h(ec, std::make_shared<socket_stream>(std::move(s)));
  });
}

void control_listener::close() {
  if (!impl_->acceptor.is_open()) return;
  std::error_code ignored;
  impl_->acceptor.close(ignored);
  ::unlink(impl_->path.c_str());
}

bool control_request(const std::string& path, const std::string& request, unsigned timeout_ms,
                     std::string& reply, std::string& what) {
  struct sockaddr_un addr;
  socklen_t len = 0;
  if (!make_address(path, addr, len, what)) return false;
  int fd = new_socket();
  struct timeval tv;
  tv.tv_sec = static_cast<time_t>(timeout_ms / 1000);
  tv.tv_usec = static_cast<suseconds_t>((timeout_ms % 1000) * 1000);
  if (fd >= 0) {
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  }
  int err = fd < 0 ? errno : connect_to(fd, addr, len);
  if (err) {
    if (fd >= 0) ::close(fd);
    if (err == ENOENT) what = "no control socket " + path + ": is a server running with this state directory?";
    else if (err == ECONNREFUSED) what = "no server answers on " + path + " (left by a server that ended)";
    else if (err == EACCES || err == EPERM)
      what = "permission denied on " + path + ": run as the server's user or root";
    else what = "cannot connect to " + path + ": " + std::strerror(err);
    return false;
  }
  const std::size_t max_reply = 4u << 20;
  ssize_t n = ::send(fd, request.data(), request.size(), 0);
  char buf[4096];
  while (n >= 0 && reply.size() < max_reply) {
    n = ::recv(fd, buf, sizeof buf, 0);
    if (n > 0) reply.append(buf, static_cast<std::size_t>(n));
    else if (n == 0) break;
    else if (errno == EINTR) n = 0;
  }
  err = errno;
  ::close(fd);
  if (n < 0) {
    what = "no reply from " + path + ": " + std::strerror(err);
    return false;
  }
  return true;
}

}  // namespace platform
}  // namespace tlsmux
