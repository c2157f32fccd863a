// SPDX-License-Identifier: GPL-2.0-or-later
// Sockets for POSIX: --inetd's standard input, the address family, source binds.
#include "tlsmux_config.h"

#include <tlsmux/platform/sockets.hpp>

#include <asio/ip/tcp.hpp>
#include <asio/ip/udp.hpp>

#include <cerrno>
#include <cstring>
#include <type_traits>

#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

namespace tlsmux {
namespace platform {

static_assert(std::is_same<socket_handle, asio::ip::tcp::socket::native_handle_type>::value &&
                  std::is_same<socket_handle, asio::ip::tcp::acceptor::native_handle_type>::value &&
                  std::is_same<socket_handle, asio::ip::udp::socket::native_handle_type>::value,
              "platform::socket_handle must be Asio's native socket handle type");

socket_handle stdin_socket(std::string& what) {
  int type = 0;
  socklen_t len = sizeof type;
  if (::getsockopt(0, SOL_SOCKET, SO_TYPE, &type, &len) != 0) {
    what = "getsockopt(0, SO_TYPE) failed: stdin is not a socket";
    return invalid_socket;
  }
  if (type != SOCK_STREAM) {
    what = "stdin is not a stream socket";
    return invalid_socket;
  }
  // Above 2, so that stdio pointed at /dev/null later cannot land on the socket.
  int fd = ::fcntl(0, F_DUPFD, 3);
  if (fd < 0) {
    int err = errno;
    what = "fcntl(0, F_DUPFD) failed: " + std::string(std::strerror(err));
    return invalid_socket;
  }
  ::fcntl(fd, F_SETFD, FD_CLOEXEC);
  return fd;
}

int socket_family(socket_handle s) {
  struct sockaddr_storage ss;
  std::memset(&ss, 0, sizeof ss);
  socklen_t len = sizeof ss;
  if (::getsockname(s, reinterpret_cast<struct sockaddr*>(&ss), &len) != 0) return 0;
  if (ss.ss_family == AF_INET) return 4;
  if (ss.ss_family == AF_INET6) return 6;
  return 0;
}

bool set_keepalive(socket_handle s, unsigned idle_seconds) {
  int on = idle_seconds > 0 ? 1 : 0;
  if (::setsockopt(s, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof on) != 0) return false;
  if (!on) return true;
  int secs = idle_seconds > 32767 ? 32767 : static_cast<int>(idle_seconds);  // Linux caps at 32767
  int count = 3;
  (void)secs;
  (void)count;
#if defined(TCP_KEEPIDLE)
  ::setsockopt(s, IPPROTO_TCP, TCP_KEEPIDLE, &secs, sizeof secs);
#elif defined(TCP_KEEPALIVE)  // macOS: the idle time has this name
  ::setsockopt(s, IPPROTO_TCP, TCP_KEEPALIVE, &secs, sizeof secs);
#endif
#if defined(TCP_KEEPINTVL)
  ::setsockopt(s, IPPROTO_TCP, TCP_KEEPINTVL, &secs, sizeof secs);
#endif
#if defined(TCP_KEEPCNT)
  ::setsockopt(s, IPPROTO_TCP, TCP_KEEPCNT, &count, sizeof count);
#endif
  return true;
}

void prepare_source_bind(socket_handle s) {
#ifdef TLSMUX_HAVE_IP_BIND_ADDRESS_NO_PORT
  // Linux 4.2+: bind() reserves no port, connect() picks one per 4-tuple, so a fixed
  // source address does not exhaust ephemeral ports under TIME_WAIT.
  int one = 1;
  ::setsockopt(s, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
#else
  (void)s;
#endif
}

}  // namespace platform
}  // namespace tlsmux
