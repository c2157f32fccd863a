// SPDX-License-Identifier: GPL-2.0-or-later
// SOCKS5 wire constants (RFC 1928, RFC 1929) and the destination address type.
#ifndef TLSMUX_SOCKS5_PROTOCOL_HPP
#define TLSMUX_SOCKS5_PROTOCOL_HPP

#include <asio/ip/address.hpp>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace tlsmux {
namespace socks5 {

/// A byte buffer for encoded messages.
typedef std::vector<std::uint8_t> bytes;

/// Protocol version byte of every SOCKS5 message.
const std::uint8_t version = 0x05;
/// Version byte of the RFC 1929 username/password sub-negotiation.
const std::uint8_t userpass_version = 0x01;

/// Authentication methods (RFC 1928 section 3).
enum class method : std::uint8_t {
  no_auth = 0x00,
  gssapi = 0x01,
  user_pass = 0x02,
  none_acceptable = 0xff
};

/// Request commands (RFC 1928 section 4).
enum class command : std::uint8_t { connect = 0x01, bind = 0x02, udp_associate = 0x03 };

/// Address types (RFC 1928 section 5).
enum class atyp : std::uint8_t { ipv4 = 0x01, domain = 0x03, ipv6 = 0x04 };

/// Reply codes (RFC 1928 section 6).
enum class reply_code : std::uint8_t {
  succeeded = 0x00,
  general_failure = 0x01,
  not_allowed = 0x02,
  network_unreachable = 0x03,
  host_unreachable = 0x04,
  connection_refused = 0x05,
  ttl_expired = 0x06,
  command_not_supported = 0x07,
  address_type_not_supported = 0x08
};

/// Result of an incremental parse: more bytes needed, a complete message, or invalid input.
enum class parse_status { need_more, ok, bad };

/// RFC wording of a reply code, e.g. "connection refused"; "unknown reply" for others.
const char* describe(reply_code code);
/// Short lower-case name of a command: "connect", "bind", "udp-associate" or "unknown".
const char* command_name(std::uint8_t cmd);

/// A SOCKS5 address: an IP literal, or a domain name as sent (at most 255 bytes), plus a port.
struct address {
  atyp type = atyp::ipv4;
  asio::ip::address ip;  ///< valid when type is ipv4 or ipv6
  std::string name;      ///< valid when type is domain; raw bytes, may hold anything
  std::uint16_t port = 0;

  /// An IP address and port; ipv4 or ipv6 by the address family.
  static address from_ip(const asio::ip::address& ip, std::uint16_t port);
  /// A domain name and port.
  static address from_name(const std::string& name, std::uint16_t port);
  /// "1.2.3.4:80", "[::1]:80" or "name:80" with the name's bytes as sent: escape it before
  /// printing (text::escape, or a log field).
  std::string to_string() const;
};

/// Number of bytes the address takes on the wire (ATYP + address + port).
std::size_t encoded_size(const address& a);
/// Appends ATYP, address and port. A name longer than 255 bytes is not encodable: returns false.
bool append_address(bytes& out, const address& a);

/// Parses ATYP + address + port at p[0..n). Sets used on ok.
/// bad with *unknown_atyp set when the ATYP byte is not 1, 3 or 4; bad for a zero-length name.
parse_status parse_address(const std::uint8_t* p, std::size_t n, std::size_t& used, address& out,
                           bool* unknown_atyp);

}  // namespace socks5
}  // namespace tlsmux

#endif
