// SPDX-License-Identifier: GPL-2.0-or-later
// Interface addresses through socket ioctls, for systems without getifaddrs(3).
#include "tlsmux_config.h"

#include <tlsmux/platform/local_addresses.hpp>

#include <cerrno>
#include <cstddef>
#include <cstring>

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/ioctl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <unistd.h>
#ifdef TLSMUX_HAVE_SYS_SOCKIO_H
#include <sys/sockio.h>
#endif

namespace tlsmux {
namespace platform {

namespace {

std::error_code last_error() { return std::error_code(errno, std::system_category()); }

/// Closes a descriptor on scope exit.
class scoped_fd {
 public:
  explicit scoped_fd(int fd) : fd_(fd) {}
  ~scoped_fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }

 private:
  scoped_fd(const scoped_fd&);
  scoped_fd& operator=(const scoped_fd&);
  int fd_;
};

void add_v4(const void* sa, std::vector<asio::ip::address>& out) {
  struct sockaddr_in sin;
  std::memcpy(&sin, sa, sizeof sin);
  asio::ip::address_v4::bytes_type bytes;
  std::memcpy(bytes.data(), &sin.sin_addr, bytes.size());
  out.push_back(asio::ip::address_v4(bytes));
}

#ifdef TLSMUX_HAVE_SIOCGLIFCONF
void add_v6(const void* sa, std::vector<asio::ip::address>& out) {
  struct sockaddr_in6 sin6;
  std::memcpy(&sin6, sa, sizeof sin6);
  asio::ip::address_v6::bytes_type bytes;
  std::memcpy(bytes.data(), &sin6.sin6_addr, bytes.size());
  out.push_back(asio::ip::address_v6(bytes));  // scope id dropped
}
#endif

}  // namespace

#ifdef TLSMUX_HAVE_SIOCGLIFCONF

// Solaris 10 lacks getifaddrs() (it arrived in Solaris 11), and its SIOCGIFCONF lists IPv4
// only. SIOCGLIFCONF lists both families; flags must be read through a socket of the
// address's own family, so one socket per family is opened.
std::error_code local_addresses(std::vector<asio::ip::address>& out, std::string& what) {
  out.clear();
  scoped_fd s4(::socket(AF_INET, SOCK_DGRAM, 0));
  if (s4.get() < 0) {
    std::error_code ec = last_error();
    what = "socket(AF_INET) failed";
    return ec;
  }
  scoped_fd s6(::socket(AF_INET6, SOCK_DGRAM, 0));  // may fail on hosts without IPv6

  struct lifnum num;
  std::memset(&num, 0, sizeof num);
  num.lifn_family = AF_UNSPEC;
  if (::ioctl(s4.get(), SIOCGLIFNUM, &num) < 0) {
    std::error_code ec = last_error();
    what = "ioctl(SIOCGLIFNUM) failed";
    return ec;
  }
  // A little slack for interfaces plumbed between the two calls.
  std::vector<struct lifreq> reqs(static_cast<std::size_t>(num.lifn_count) + 4);
  struct lifconf conf;
  std::memset(&conf, 0, sizeof conf);
  conf.lifc_family = AF_UNSPEC;
  conf.lifc_len = static_cast<int>(reqs.size() * sizeof(struct lifreq));
  conf.lifc_buf = reinterpret_cast<caddr_t>(reqs.data());
  if (::ioctl(s4.get(), SIOCGLIFCONF, &conf) < 0) {
    std::error_code ec = last_error();
    what = "ioctl(SIOCGLIFCONF) failed";
    return ec;
  }
  std::size_t count = static_cast<std::size_t>(conf.lifc_len) / sizeof(struct lifreq);
  for (std::size_t i = 0; i < count && i < reqs.size(); ++i) {
    struct lifreq flags = reqs[i];
    int family = reqs[i].lifr_addr.ss_family;
    int fd = family == AF_INET6 ? s6.get() : s4.get();
    if ((family != AF_INET && family != AF_INET6) || fd < 0) continue;
    if (::ioctl(fd, SIOCGLIFFLAGS, &flags) < 0 || (flags.lifr_flags & IFF_UP) == 0) continue;
    if (family == AF_INET)
      add_v4(&reqs[i].lifr_addr, out);
    else
      add_v6(&reqs[i].lifr_addr, out);
  }
  return std::error_code();
}

#else

namespace {

// Entries are variable-length on BSD-derived stacks (AIX): the address may be longer than
// struct sockaddr, and sa_len says how long. Elsewhere every entry is a struct ifreq.
std::size_t entry_size(const char* entry) {
#ifdef TLSMUX_HAVE_SA_LEN
  struct sockaddr sa;
  std::memcpy(&sa, entry + offsetof(struct ifreq, ifr_addr), sizeof sa);
  std::size_t len = offsetof(struct ifreq, ifr_addr) + sa.sa_len;
  return len > sizeof(struct ifreq) ? len : sizeof(struct ifreq);
#else
  (void)entry;
  return sizeof(struct ifreq);
#endif
}

/// Fills buf with the SIOCGIFCONF list, growing it until the answer surely fits.
std::error_code read_ifconf(int fd, std::vector<char>& buf, std::size_t& used) {
  for (std::size_t size = 64 * sizeof(struct ifreq); size <= (1u << 22); size *= 2) {
    buf.assign(size, 0);
    struct ifconf conf;
    std::memset(&conf, 0, sizeof conf);
    conf.ifc_len = static_cast<int>(size);
    conf.ifc_buf = buf.data();
    if (::ioctl(fd, SIOCGIFCONF, &conf) < 0) return last_error();
    // Old kernels truncate silently instead of failing: only an answer with a whole free
    // entry left over is known to be complete.
    used = static_cast<std::size_t>(conf.ifc_len);
    if (used + sizeof(struct ifreq) < size) return std::error_code();
  }
  return std::make_error_code(std::errc::no_buffer_space);
}

}  // namespace

// Old AIX has neither getifaddrs() nor an IPv6 interface list ioctl; SIOCGIFCONF gives the
// IPv4 addresses. IPv6 addresses of such hosts are not known to be local.
std::error_code local_addresses(std::vector<asio::ip::address>& out, std::string& what) {
  out.clear();
  scoped_fd s4(::socket(AF_INET, SOCK_DGRAM, 0));
  if (s4.get() < 0) {
    std::error_code ec = last_error();
    what = "socket(AF_INET) failed";
    return ec;
  }
  std::vector<char> buf;
  std::size_t used = 0;
  std::error_code ec = read_ifconf(s4.get(), buf, used);
  if (ec) {
    what = "ioctl(SIOCGIFCONF) failed";
    return ec;
  }
  for (std::size_t off = 0; off + offsetof(struct ifreq, ifr_addr) < used;) {
    const char* entry = buf.data() + off;
    std::size_t size = entry_size(entry);
    struct ifreq req;
    std::memset(&req, 0, sizeof req);
    std::memcpy(&req, entry, size < sizeof req ? size : sizeof req);
    off += size;
    if (req.ifr_addr.sa_family != AF_INET) continue;
    struct ifreq flags;
    std::memset(&flags, 0, sizeof flags);
    std::memcpy(flags.ifr_name, req.ifr_name, sizeof flags.ifr_name);
    if (::ioctl(s4.get(), SIOCGIFFLAGS, &flags) < 0 || (flags.ifr_flags & IFF_UP) == 0) continue;
    add_v4(entry + offsetof(struct ifreq, ifr_addr), out);
  }
  return std::error_code();
}

#endif

}  // namespace platform
}  // namespace tlsmux
