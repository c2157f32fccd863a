// SPDX-License-Identifier: GPL-2.0-or-later
// Listening sockets on Windows: GetExtendedTcpTable (LISTEN rows) and GetExtendedUdpTable
// (every bound UDP socket), IPv4 and IPv6.
#include <tlsmux/platform/listening_sockets.hpp>

#include <cstring>
#include <vector>

#include <winsock2.h>
#include <ws2tcpip.h>
#include <iphlpapi.h>

namespace tlsmux {
namespace platform {

namespace {

// Calls get(buffer, size) until the buffer is large enough; false on another error.
template <class Get>
bool fetch(std::vector<unsigned char>& buf, Get get, DWORD& rc) {
  DWORD size = 16384;
  for (int tries = 0; tries < 5; ++tries) {
    buf.resize(size);
    rc = get(buf.data(), &size);
    if (rc == NO_ERROR) return true;
    if (rc != ERROR_INSUFFICIENT_BUFFER) return false;
  }
  return false;
}

std::uint16_t port_of(DWORD network_order) {
  return ntohs(static_cast<u_short>(network_order & 0xffff));
}

asio::ip::address v4_of(DWORD addr) {
  asio::ip::address_v4::bytes_type b;
  std::memcpy(b.data(), &addr, 4);
  return asio::ip::address_v4(b);
}

asio::ip::address v6_of(const UCHAR* addr) {
  asio::ip::address_v6::bytes_type b;
  std::memcpy(b.data(), addr, 16);
  return asio::ip::address_v6(b);
}

void add(std::vector<listening_socket>& out, bool udp, const asio::ip::address& a, std::uint16_t port) {
  listening_socket s;
  s.udp = udp;
  s.address = a;
  s.port = port;
  out.push_back(s);
}

bool tcp_rows(ULONG family, std::vector<listening_socket>& out, DWORD& rc) {
  std::vector<unsigned char> buf;
  if (!fetch(buf, [family](void* p, DWORD* n) {
        return GetExtendedTcpTable(p, n, FALSE, family, TCP_TABLE_OWNER_PID_LISTENER, 0);
      }, rc))
    return false;
  if (family == AF_INET) {
    const MIB_TCPTABLE_OWNER_PID* t = reinterpret_cast<const MIB_TCPTABLE_OWNER_PID*>(buf.data());
    for (DWORD i = 0; i < t->dwNumEntries; ++i)
      add(out, false, v4_of(t->table[i].dwLocalAddr), port_of(t->table[i].dwLocalPort));
  } else {
    const MIB_TCP6TABLE_OWNER_PID* t = reinterpret_cast<const MIB_TCP6TABLE_OWNER_PID*>(buf.data());
    for (DWORD i = 0; i < t->dwNumEntries; ++i)
      add(out, false, v6_of(t->table[i].ucLocalAddr), port_of(t->table[i].dwLocalPort));
  }
  return true;
}

bool udp_rows(ULONG family, std::vector<listening_socket>& out, DWORD& rc) {
  std::vector<unsigned char> buf;
  if (!fetch(buf, [family](void* p, DWORD* n) {
        return GetExtendedUdpTable(p, n, FALSE, family, UDP_TABLE_OWNER_PID, 0);
      }, rc))
    return false;
  if (family == AF_INET) {
    const MIB_UDPTABLE_OWNER_PID* t = reinterpret_cast<const MIB_UDPTABLE_OWNER_PID*>(buf.data());
    for (DWORD i = 0; i < t->dwNumEntries; ++i)
      add(out, true, v4_of(t->table[i].dwLocalAddr), port_of(t->table[i].dwLocalPort));
  } else {
    const MIB_UDP6TABLE_OWNER_PID* t = reinterpret_cast<const MIB_UDP6TABLE_OWNER_PID*>(buf.data());
    for (DWORD i = 0; i < t->dwNumEntries; ++i)
      add(out, true, v6_of(t->table[i].ucLocalAddr), port_of(t->table[i].dwLocalPort));
  }
  return true;
}

}  // namespace

std::error_code listening_sockets(std::vector<listening_socket>& out, std::string& what) {
  out.clear();
  DWORD rc = NO_ERROR;
  if (!tcp_rows(AF_INET, out, rc) || !udp_rows(AF_INET, out, rc)) {
    what = "GetExtendedTcpTable/GetExtendedUdpTable failed";
    return std::error_code(static_cast<int>(rc), std::system_category());
  }
  DWORD ignored = NO_ERROR;
  tcp_rows(AF_INET6, out, ignored);  // a host without IPv6 has no such table
  udp_rows(AF_INET6, out, ignored);
  normalise(out);
  return std::error_code();
}

}  // namespace platform
}  // namespace tlsmux
