// SPDX-License-Identifier: GPL-2.0-or-later
// The HTTP proxy face of `tlsmux socks`' local listener: a pure incremental parser of a
// request head (RFC 9112), bounded in size, for CONNECT (RFC 9110 section 9.3.6, what
// https_proxy users send) and for absolute-form http:// requests (http_proxy users), which
// are forwarded once, rewritten to origin-form with "Connection: close"; and the responses.
#ifndef TLSMUX_CLIENT_HTTP_PROXY_CODEC_HPP
#define TLSMUX_CLIENT_HTTP_PROXY_CODEC_HPP

#include "socks5/protocol.hpp"

#include <cstddef>
#include <cstdint>
#include <string>

namespace tlsmux {
namespace client {

/// Largest request head accepted (request line, header fields, empty line).
const std::size_t http_max_head = 8192;

/// A parsed proxy request.
struct http_proxy_request {
  bool tunnel = false;            ///< CONNECT; otherwise an absolute-form request to forward
  std::string method;             ///< "CONNECT", "GET", ...
  socks5::address dst;            ///< where to go: an IP literal or a name, and a port
  std::string proxy_authorization;  ///< the Proxy-Authorization field value, if any
  std::string forward_head;       ///< forwarded requests: the head to send to the service
};

/// Parses a request head at p[0..n). need_more until the empty line ending the head arrives;
/// on ok, used is the head's length. On bad, status is the HTTP status to answer
/// (400 malformed, 431 head too large, 501 scheme or method not supported, 505 version).
socks5::parse_status parse_http_proxy_request(const std::uint8_t* p, std::size_t n, std::size_t& used,
                                              http_proxy_request& out, int& status);

/// A complete error response: status line, Content-Type text/plain, Content-Length,
/// "Connection: close", Proxy-Authenticate for 407, and reason as the body (one line; control
/// characters replaced by '?').
std::string http_error_response(int status, const std::string& reason);
/// "HTTP/1.1 200 Connection established" and the empty line.
std::string http_connect_established();

/// What went wrong on the way to the service, as the HTTP client should see it.
enum class http_failure { refused, timed_out, auth_needed, unreachable };
/// The status for a failed dial: 403 when the server's SOCKS reply is 0x02, 504 for a time-out
/// (reply 0x06 or no answer in time), 407 when the server wants credentials, else 502.
int http_status_for(int socks5_reply, http_failure why);

/// Splits a Proxy-Authorization "Basic BASE64(user:password)" value; false for anything else.
bool http_basic_credentials(const std::string& value, std::string& user, std::string& password);

}  // namespace client
}  // namespace tlsmux

#endif
