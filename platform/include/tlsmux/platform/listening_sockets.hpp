// SPDX-License-Identifier: GPL-2.0-or-later
// The TCP and UDP sockets that listen on this host now, for the exposure report and the
// start-up warning about trust-sensitive ports. Linux reads /proc/net/{tcp,tcp6,udp,udp6},
// Windows asks GetExtendedTcpTable/GetExtendedUdpTable, other Unix systems parse
// `netstat -an`. The two text parsers are pure and portable (platform/common), so every
// build tests and fuzzes both.
#ifndef TLSMUX_PLATFORM_LISTENING_SOCKETS_HPP
#define TLSMUX_PLATFORM_LISTENING_SOCKETS_HPP

#include <asio/ip/address.hpp>
#include <cstdint>
#include <string>
#include <system_error>
#include <vector>

namespace tlsmux {
namespace platform {

/// One listening socket: a TCP socket in LISTEN, or a bound UDP socket with no peer.
struct listening_socket {
  bool udp = false;
  asio::ip::address address;  ///< 0.0.0.0 or :: for every address; IPv6 scope dropped
  std::uint16_t port = 0;
};

bool operator==(const listening_socket& a, const listening_socket& b);
bool operator<(const listening_socket& a, const listening_socket& b);

/// Replaces out with every listening socket of this host, sorted, without duplicates.
/// The error names nothing; `what` says which source failed.
std::error_code listening_sockets(std::vector<listening_socket>& out, std::string& what);

/// Incremental parser of one Linux /proc/net table (tcp, tcp6, udp or udp6): fed in pieces
/// of any size, it keeps the rows that listen (TCP state 0A; UDP sockets with no remote
/// address). Addresses are printed by the kernel as 32-bit words in the host's byte order,
/// so the parser is told which one the table came from. Malformed rows are skipped and
/// counted.
class proc_net_parser {
 public:
  proc_net_parser(bool udp, bool little_endian) : udp_(udp), little_(little_endian) {}
  void feed(const char* data, std::size_t n);
  /// Parses a last line without a newline; call once, after the last feed.
  void finish();
  const std::vector<listening_socket>& sockets() const { return out_; }
  std::size_t malformed() const { return malformed_; }

 private:
  void line(const std::string& l);
  bool udp_, little_;
  bool header_seen_ = false;
  std::string partial_;
  std::vector<listening_socket> out_;
  std::size_t malformed_ = 0;
};

/// Incremental parser of `netstat -an` output from the BSDs, macOS, AIX and HP-UX
/// ("tcp4 0 0 *.22 *.* LISTEN"), Solaris (sections "TCP: IPv4", rows "*.22 *.* ... LISTEN",
/// UDP rows "*.111 Idle") and Linux net-tools ("tcp 0 0 0.0.0.0:22 0.0.0.0:* LISTEN").
/// Rows it does not recognise (UNIX sockets, headers) are skipped.
class netstat_parser {
 public:
  void feed(const char* data, std::size_t n);
  void finish();
  const std::vector<listening_socket>& sockets() const { return out_; }

 private:
  void line(const std::string& l);
  void solaris_row(const std::vector<std::string>& w);
  void proto_row(const std::vector<std::string>& w);
  enum section { none, tcp4, tcp6, udp4, udp6 };
  section section_ = none;
  std::string partial_;
  std::vector<listening_socket> out_;
};

/// Parses a netstat endpoint such as "127.0.0.1.25", "*.22", "::1.631", "fe80::1%lo0.123",
/// "0.0.0.0:22", ":::22" or "[::1]:631"; `v6` says what "*" means. False when it is none.
bool parse_netstat_endpoint(const std::string& text, bool v6, asio::ip::address& address,
                            std::uint16_t& port);

/// Sorts and removes duplicates.
void normalise(std::vector<listening_socket>& sockets);

}  // namespace platform
}  // namespace tlsmux

#endif
