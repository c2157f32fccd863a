// SPDX-License-Identifier: GPL-2.0-or-later
// legacy_front: SOCKS4/4a and HTTP proxy requests mapped onto SOCKS5 CONNECT and back.
#include "client/local_front.hpp"

namespace tlsmux {
namespace client {

namespace {

socks5::bytes as_bytes(const std::string& s) { return socks5::bytes(s.begin(), s.end()); }

}  // namespace

local_protocol detect_protocol(std::uint8_t first) {
  if (first == 0x05) return local_protocol::socks5;
  if (first == 0x04) return local_protocol::socks4;
  if (first >= 'A' && first <= 'Z') return local_protocol::http;
  return local_protocol::unknown;
}

socks5::parse_status legacy_front::feed(const std::uint8_t* p, std::size_t n, std::size_t& used,
                                        socks5::bytes& out, std::string& why) {
  socks5::parse_status st;
  if (proto_ == local_protocol::socks4) {
    st = parse_socks4_request(p, n, used, socks4_);
    if (st == socks5::parse_status::ok && socks4_.cmd != 0x01) {
      why = "SOCKS4 command " + std::to_string(socks4_.cmd) + " not supported (CONNECT only)";
      st = socks5::parse_status::bad;
    } else if (st == socks5::parse_status::bad) {
      why = "malformed SOCKS4 request";
    }
    if (st == socks5::parse_status::bad) out = encode_socks4_reply(socks4_reply::rejected, socks5::address());
    target_ = socks4_.dst;
    return st;
  }
  int status = 400;
  st = parse_http_proxy_request(p, n, used, http_, status);
  if (st == socks5::parse_status::bad) {
    why = status == 431 ? "HTTP request head larger than " + std::to_string(http_max_head) + " bytes"
          : status == 501 ? "only CONNECT and http:// requests are proxied"
          : status == 505 ? "HTTP version not supported" : "malformed HTTP proxy request";
    out = as_bytes(http_error_response(status, "tlsmux: " + why));
    return st;
  }
  if (st == socks5::parse_status::ok) {
    target_ = http_.dst;
    if (!http_basic_credentials(http_.proxy_authorization, user_, password_)) user_.clear(), password_.clear();
  }
  return st;
}

socks5::bytes legacy_front::granted(const socks5::address& bound) const {
  if (proto_ == local_protocol::socks4) return encode_socks4_reply(socks4_reply::granted, bound);
  if (http_.tunnel) return as_bytes(http_connect_established());
  return socks5::bytes();
}

socks5::bytes legacy_front::refused(int socks_reply, http_failure why, const std::string& message) const {
  if (proto_ == local_protocol::socks4) return encode_socks4_reply(socks4_code_for(socks_reply < 0 ? 1 : socks_reply), socks5::address());
  return as_bytes(http_error_response(http_status_for(socks_reply, why), "tlsmux: " + message));
}

const char* legacy_front::name() const {
  if (proto_ == local_protocol::socks4) return socks4_.socks4a ? "socks4a" : "socks4";
  return http_.tunnel ? "http-connect" : "http";
}

}  // namespace client
}  // namespace tlsmux
