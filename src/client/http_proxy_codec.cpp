// SPDX-License-Identifier: GPL-2.0-or-later
// HTTP proxy request heads: CONNECT authority-form and absolute-form http:// requests.
#include "client/http_proxy_codec.hpp"

#include "text/base64.hpp"
#include "text/ip_text.hpp"
#include "text/ascii.hpp"

#include <cctype>
#include <vector>

namespace tlsmux {
namespace client {

namespace {

bool is_tchar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || std::string("!#$%&'*+-.^_`|~").find(c) != std::string::npos;
}

// The head's lines without their CR LF (or bare LF), up to the empty line; false while the
// empty line has not arrived. end is the head's length.
bool split_head(const std::uint8_t* p, std::size_t n, std::vector<std::string>& lines, std::size_t& end) {
  std::size_t start = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (p[i] != '\n') continue;
    std::size_t len = i - start;
    if (len > 0 && p[i - 1] == '\r') --len;
    if (len == 0 && !lines.empty()) {
      end = i + 1;
      return true;
    }
    if (len > 0) lines.push_back(std::string(reinterpret_cast<const char*>(p + start), len));
    start = i + 1;  // an empty line before the request line is ignored (RFC 9112 section 2.2)
  }
  return false;
}

// "host:port", "[v6]:port"; a name (up to 255 bytes) or an IP literal. Port required unless
// default_port is not 0.
bool parse_authority(const std::string& a, std::uint16_t default_port, socks5::address& out) {
  std::string host, port;
  bool has_port = false;
  if (!a.empty() && a[0] == '[') {
    std::size_t close = a.find(']');
    if (close == std::string::npos) return false;
    host = a.substr(1, close - 1);
    if (close + 1 < a.size() && a[close + 1] != ':') return false;
    has_port = close + 1 < a.size();
    if (has_port) port = a.substr(close + 2);
    asio::ip::address ip;
    if (!text::parse_ip(host, ip) || !ip.is_v6()) return false;
  } else {
    std::size_t colon = a.rfind(':');
    host = a.substr(0, colon);
    has_port = colon != std::string::npos;
    if (has_port) port = a.substr(colon + 1);
    if (host.find_first_of("[]@/: ") != std::string::npos || host.empty() || host.size() > 255) return false;
  }
  if (has_port ? port.empty() : default_port == 0) return false;
  unsigned long value = default_port;
  if (!port.empty()) {
    if (port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos) return false;
    value = std::stoul(port);
  }
  if (value == 0 || value > 65535) return false;
  asio::ip::address ip;
  out = text::parse_ip(host, ip) ? socks5::address::from_ip(ip, static_cast<std::uint16_t>(value))
                                 : socks5::address::from_name(host, static_cast<std::uint16_t>(value));
  return true;
}

// Header fields: "name: value", no whitespace before the colon, no obs-fold.
bool parse_field(const std::string& line, std::string& name, std::string& value) {
  std::size_t colon = line.find(':');
  if (colon == 0 || colon == std::string::npos) return false;
  name = line.substr(0, colon);
  for (std::size_t i = 0; i < name.size(); ++i)
    if (!is_tchar(name[i])) return false;
  std::size_t b = line.find_first_not_of(" \t", colon + 1);
  std::size_t e = line.find_last_not_of(" \t");
  value = b == std::string::npos ? std::string() : line.substr(b, e - b + 1);
  return true;
}

bool hop_by_hop(const std::string& lname) {
  return lname == "connection" || lname == "proxy-connection" || lname == "keep-alive" ||
         lname == "proxy-authorization" || lname == "te" || lname == "upgrade";
}

// The request line: METHOD SP TARGET SP HTTP/1.x. Sets status on failure.
bool parse_request_line(const std::string& line, std::string& method, std::string& target,
                        std::string& version, int& status) {
  std::size_t sp1 = line.find(' ');
  std::size_t sp2 = sp1 == std::string::npos ? sp1 : line.find(' ', sp1 + 1);
  status = 400;
  if (sp2 == std::string::npos || line.find(' ', sp2 + 1) != std::string::npos) return false;
  method = line.substr(0, sp1);
  target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  version = line.substr(sp2 + 1);
  for (std::size_t i = 0; i < method.size(); ++i)
    if (!is_tchar(method[i])) return false;
  if (method.empty() || target.empty() || version.compare(0, 5, "HTTP/") != 0) return false;
  status = 505;
  return version == "HTTP/1.1" || version == "HTTP/1.0";
}

// An absolute-form http:// target: where to connect, and the origin-form path.
bool parse_absolute(const std::string& target, socks5::address& dst, std::string& path, int& status) {
  status = 501;
  if (text::ascii_lower(target.substr(0, 7)) != "http://") return false;
  status = 400;
  std::size_t slash = target.find_first_of("/?#", 7);
  std::string authority = target.substr(7, slash == std::string::npos ? std::string::npos : slash - 7);
  path = slash == std::string::npos ? "/" : target.substr(slash);
  if (path[0] == '?') path = "/" + path;
  path = path.substr(0, path.find('#'));
  return parse_authority(authority, 80, dst);
}

}  // namespace

socks5::parse_status parse_http_proxy_request(const std::uint8_t* p, std::size_t n, std::size_t& used,
                                              http_proxy_request& out, int& status) {
  std::vector<std::string> lines;
  std::size_t end = 0;
  status = 431;
  if (!split_head(p, n, lines, end)) return n >= http_max_head ? socks5::parse_status::bad : socks5::parse_status::need_more;
  if (end > http_max_head) return socks5::parse_status::bad;
  http_proxy_request r;
  std::string target, version, path;
  if (!parse_request_line(lines[0], r.method, target, version, status)) return socks5::parse_status::bad;
  r.tunnel = r.method == "CONNECT";
  status = 400;
  if (r.tunnel ? !parse_authority(target, 0, r.dst) : !parse_absolute(target, r.dst, path, status))
    return socks5::parse_status::bad;
  std::string head = r.method + " " + path + " " + version + "\r\n";
  bool has_host = false;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    std::string name, value;
    if (!parse_field(lines[i], name, value)) return status = 400, socks5::parse_status::bad;
    const std::string lname = text::ascii_lower(name);
    if (lname == "proxy-authorization") r.proxy_authorization = value;
    if (lname == "host") has_host = true;
    if (!hop_by_hop(lname)) head += name + ": " + value + "\r\n";
  }
  if (!r.tunnel) {
    if (!has_host) head += "Host: " + r.dst.to_string() + "\r\n";
    r.forward_head = head + "Connection: close\r\n\r\n";
  }
  used = end;
  out = r;
  return socks5::parse_status::ok;
}

std::string http_error_response(int status, const std::string& reason) {
  const char* phrase = "Bad Gateway";
  switch (status) {
    case 400: phrase = "Bad Request"; break;
    case 403: phrase = "Forbidden"; break;
    case 407: phrase = "Proxy Authentication Required"; break;
    case 431: phrase = "Request Header Fields Too Large"; break;
    case 501: phrase = "Not Implemented"; break;
    case 504: phrase = "Gateway Timeout"; break;
    case 505: phrase = "HTTP Version Not Supported"; break;
    default: break;
  }
  std::string body = reason;
  for (std::size_t i = 0; i < body.size(); ++i)
    if (static_cast<unsigned char>(body[i]) < 0x20 || body[i] == 0x7f) body[i] = '?';
  body += "\n";
  std::string r = "HTTP/1.1 " + std::to_string(status) + " " + phrase + "\r\n";
  if (status == 407) r += "Proxy-Authenticate: Basic realm=\"tlsmux\"\r\n";
  return r + "Content-Type: text/plain\r\nContent-Length: " + std::to_string(body.size()) +
         "\r\nConnection: close\r\n\r\n" + body;
}

std::string http_connect_established() { return "HTTP/1.1 200 Connection established\r\n\r\n"; }

int http_status_for(int socks5_reply, http_failure why) {
  if (socks5_reply == 0x02) return 403;
  if (socks5_reply == 0x06 || why == http_failure::timed_out) return 504;
  if (why == http_failure::auth_needed) return 407;
  return 502;
}

bool http_basic_credentials(const std::string& value, std::string& user, std::string& password) {
  if (text::ascii_lower(value.substr(0, 6)) != "basic ") return false;
  std::size_t b = value.find_first_not_of(' ', 6);
  std::vector<std::uint8_t> raw;
  if (b == std::string::npos || !text::base64_decode(value.substr(b), raw)) return false;
  std::string pair(raw.begin(), raw.end());
  std::size_t colon = pair.find(':');
  if (colon == std::string::npos || colon == 0) return false;
  user = pair.substr(0, colon);
  password = pair.substr(colon + 1);
  return true;
}

}  // namespace client
}  // namespace tlsmux
