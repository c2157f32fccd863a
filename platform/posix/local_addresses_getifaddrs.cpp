// SPDX-License-Identifier: GPL-2.0-or-later
// Interface addresses through getifaddrs(3): Linux, the BSDs, macOS, Solaris 11, AIX 7.
#include "tlsmux_config.h"

#include <tlsmux/platform/local_addresses.hpp>

#include <cerrno>
#include <cstring>

#include <sys/types.h>
#include <sys/socket.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>

namespace tlsmux {
namespace platform {

std::error_code local_addresses(std::vector<asio::ip::address>& out, std::string& what) {
  out.clear();
  struct ifaddrs* list = nullptr;
  if (::getifaddrs(&list) != 0) {
    std::error_code ec = std::error_code(errno, std::system_category());
    what = "getifaddrs() failed";
    return ec;
  }
  for (struct ifaddrs* ifa = list; ifa != nullptr; ifa = ifa->ifa_next) {
    // Interfaces without an address (Linux lists AF_PACKET entries, or none at all) and
    // interfaces that are down cannot be reached, so they are not "local".
    if (ifa->ifa_addr == nullptr || (ifa->ifa_flags & IFF_UP) == 0) continue;
    if (ifa->ifa_addr->sa_family == AF_INET) {
      struct sockaddr_in sin;
      std::memcpy(&sin, ifa->ifa_addr, sizeof sin);
      asio::ip::address_v4::bytes_type bytes;
      std::memcpy(bytes.data(), &sin.sin_addr, bytes.size());
      out.push_back(asio::ip::address_v4(bytes));
    } else if (ifa->ifa_addr->sa_family == AF_INET6) {
      struct sockaddr_in6 sin6;
      std::memcpy(&sin6, ifa->ifa_addr, sizeof sin6);
      asio::ip::address_v6::bytes_type bytes;
      std::memcpy(bytes.data(), &sin6.sin6_addr, bytes.size());
      // The scope id is dropped: the policy compares addresses, not links. KAME-derived
      // stacks (FreeBSD, NetBSD, macOS) also embed it in bytes 2-3 of link-local addresses,
      // which are zero in every valid fe80::/64 address, so clearing them is safe everywhere.
      if (bytes[0] == 0xfe && (bytes[1] & 0xc0) == 0x80) bytes[2] = bytes[3] = 0;
      out.push_back(asio::ip::address_v6(bytes));
    }
  }
  ::freeifaddrs(list);
  return std::error_code();
}

}  // namespace platform
}  // namespace tlsmux
