// SPDX-License-Identifier: GPL-2.0-or-later
// Interface addresses on Windows through GetAdaptersAddresses() (XP and later).
#include <tlsmux/platform/local_addresses.hpp>

#include <algorithm>
#include <cstring>
#include <vector>

#include <winsock2.h>
#include <ws2tcpip.h>
#include <iphlpapi.h>

namespace tlsmux {
namespace platform {

namespace {

void add_address(const SOCKADDR* sa, std::vector<asio::ip::address>& out) {
  if (sa->sa_family == AF_INET) {
    SOCKADDR_IN sin;
    std::memcpy(&sin, sa, sizeof sin);
    asio::ip::address_v4::bytes_type bytes;
    std::memcpy(bytes.data(), &sin.sin_addr, bytes.size());
    out.push_back(asio::ip::address_v4(bytes));
  } else if (sa->sa_family == AF_INET6) {
    SOCKADDR_IN6 sin6;
    std::memcpy(&sin6, sa, sizeof sin6);
    asio::ip::address_v6::bytes_type bytes;
    std::memcpy(bytes.data(), &sin6.sin6_addr, bytes.size());
    out.push_back(asio::ip::address_v6(bytes));  // scope id dropped
  }
}

}  // namespace

std::error_code local_addresses(std::vector<asio::ip::address>& out, std::string& what) {
  out.clear();
  const ULONG flags = GAA_FLAG_SKIP_ANYCAST | GAA_FLAG_SKIP_MULTICAST | GAA_FLAG_SKIP_DNS_SERVER;
  // The list can grow between the sizing call and the real one; retry a few times.
  std::vector<ULONGLONG> buf(2048);  // 16 KiB, 8-byte aligned for the structures
  ULONG rc = ERROR_BUFFER_OVERFLOW;
  for (int attempt = 0; attempt < 4 && rc == ERROR_BUFFER_OVERFLOW; ++attempt) {
    ULONG size = static_cast<ULONG>(buf.size() * sizeof(ULONGLONG));
    rc = ::GetAdaptersAddresses(AF_UNSPEC, flags, nullptr,
                                reinterpret_cast<IP_ADAPTER_ADDRESSES*>(buf.data()), &size);
    if (rc == ERROR_BUFFER_OVERFLOW) buf.resize(size / sizeof(ULONGLONG) + 1);
  }
  bool have_list = rc == NO_ERROR;
  if (rc != NO_ERROR && rc != ERROR_NO_DATA) {  // ERROR_NO_DATA: no adapters, loopback only
    what = "GetAdaptersAddresses() failed";
    return std::error_code(static_cast<int>(rc), std::system_category());
  }
  if (have_list) {
    for (IP_ADAPTER_ADDRESSES* a = reinterpret_cast<IP_ADAPTER_ADDRESSES*>(buf.data());
         a != nullptr; a = a->Next) {
      if (a->OperStatus != IfOperStatusUp) continue;
      for (IP_ADAPTER_UNICAST_ADDRESS* u = a->FirstUnicastAddress; u != nullptr; u = u->Next) {
        if (u->Address.lpSockaddr != nullptr) add_address(u->Address.lpSockaddr, out);
      }
    }
  }
  // Windows XP and Server 2003 do not list the loopback adapter; it is always there.
  asio::ip::address loopback = asio::ip::address_v4::loopback();
  if (std::find(out.begin(), out.end(), loopback) == out.end()) out.push_back(loopback);
  return std::error_code();
}

}  // namespace platform
}  // namespace tlsmux
