// SPDX-License-Identifier: GPL-2.0-or-later
// Sockets for Windows: a SOCKET is the handle; there is no inetd.
#include <tlsmux/platform/sockets.hpp>

#include <asio/ip/tcp.hpp>
#include <asio/ip/udp.hpp>

#include <cstring>
#include <type_traits>

#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>

namespace tlsmux {
namespace platform {

static_assert(std::is_same<socket_handle, SOCKET>::value &&
                  std::is_same<socket_handle, asio::ip::tcp::socket::native_handle_type>::value &&
                  std::is_same<socket_handle, asio::ip::tcp::acceptor::native_handle_type>::value &&
                  std::is_same<socket_handle, asio::ip::udp::socket::native_handle_type>::value,
              "platform::socket_handle must be SOCKET, Asio's native socket handle type");

socket_handle stdin_socket(std::string& what) {
  what = "--inetd is not supported on Windows (there is no inetd)";
  return invalid_socket;
}

int socket_family(socket_handle s) {
  sockaddr_storage ss;
  std::memset(&ss, 0, sizeof ss);
  int len = sizeof ss;
  if (::getsockname(s, reinterpret_cast<sockaddr*>(&ss), &len) != 0) return 0;
  if (ss.ss_family == AF_INET) return 4;
  if (ss.ss_family == AF_INET6) return 6;
  return 0;
}

bool set_keepalive(socket_handle s, unsigned idle_seconds) {
  BOOL on = idle_seconds > 0 ? TRUE : FALSE;
  if (::setsockopt(s, SOL_SOCKET, SO_KEEPALIVE, reinterpret_cast<const char*>(&on), sizeof on) != 0) return false;
  if (!on) return true;
  // SIO_KEEPALIVE_VALS: idle time and interval in ms; Windows Vista+ resets after 10 probes.
  struct {
    u_long onoff, keepalivetime, keepaliveinterval;
  } vals = {1, idle_seconds * 1000UL, idle_seconds * 1000UL};
  DWORD ret = 0;
  const DWORD sio_keepalive_vals = 0x98000004;  // _WSAIOW(IOC_VENDOR, 4), mstcpip.h
  ::WSAIoctl(s, sio_keepalive_vals, &vals, sizeof vals, nullptr, 0, &ret, nullptr, nullptr);
  return true;
}

void prepare_source_bind(socket_handle s) {
#ifdef SO_REUSE_UNICASTPORT
  // Windows 10 1703+: the port is chosen at connect() time, like IP_BIND_ADDRESS_NO_PORT.
  DWORD one = 1;
  ::setsockopt(s, SOL_SOCKET, SO_REUSE_UNICASTPORT, reinterpret_cast<const char*>(&one),
               sizeof one);
#else
  (void)s;
#endif
}

}  // namespace platform
}  // namespace tlsmux
