// SPDX-License-Identifier: GPL-2.0-or-later
// The other faces of `tlsmux socks`' local listener: SOCKS4, SOCKS4a and HTTP proxy requests,
// told apart from SOCKS5 by the first byte, each carried as a SOCKS5 CONNECT over TLS and
// answered in the application's own protocol. Pure: bytes in, bytes out.
#ifndef TLSMUX_CLIENT_LOCAL_FRONT_HPP
#define TLSMUX_CLIENT_LOCAL_FRONT_HPP

#include "client/http_proxy_codec.hpp"
#include "client/socks4_codec.hpp"

#include <string>

namespace tlsmux {
namespace client {

/// The application's protocol, from the first byte it sends.
enum class local_protocol { socks5, socks4, http, unknown };
/// 0x05 SOCKS5, 0x04 SOCKS4/4a, 'A'..'Z' an HTTP method, anything else unknown.
local_protocol detect_protocol(std::uint8_t first);

/// One SOCKS4/4a or HTTP proxy request from an application.
class legacy_front {
 public:
  explicit legacy_front(local_protocol p) : proto_(p) {}
  /// Parses the request at p[0..n) (everything received so far). On ok, used is its length.
  /// On bad, out holds the refusal to send before closing and why says why (for the log).
  socks5::parse_status feed(const std::uint8_t* p, std::size_t n, std::size_t& used,
                            socks5::bytes& out, std::string& why);
  /// The service to ask the server for (valid after ok).
  const socks5::address& target() const { return target_; }
  /// Credentials the application gave (HTTP Proxy-Authorization Basic); empty if none.
  const std::string& user() const { return user_; }
  const std::string& password() const { return password_; }
  /// What the application reads once the server accepted: the SOCKS4 grant, "200 Connection
  /// established", or nothing for a forwarded HTTP request (the service answers).
  socks5::bytes granted(const socks5::address& bound) const;
  /// What goes to the service before the application's own bytes: the rewritten head of a
  /// forwarded HTTP request; empty otherwise.
  const std::string& to_service() const { return http_.forward_head; }
  /// The refusal for a failed dial: SOCKS4 0x5B, or an HTTP error status with message.
  socks5::bytes refused(int socks_reply, http_failure why, const std::string& message) const;
  /// "socks4", "socks4a", "http-connect" or "http" (for the log).
  const char* name() const;

 private:
  local_protocol proto_;
  socks4_request socks4_;
  http_proxy_request http_;
  socks5::address target_;
  std::string user_, password_;
};

}  // namespace client
}  // namespace tlsmux

#endif
