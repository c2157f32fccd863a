// SPDX-License-Identifier: GPL-2.0-or-later
// The pure parsers behind platform::listening_sockets(): Linux /proc/net tables and the
// `netstat -an` output of other Unix systems. Portable, so every build tests both.
#include <tlsmux/platform/listening_sockets.hpp>

#include <algorithm>
#include <sstream>

namespace tlsmux {
namespace platform {

bool operator==(const listening_socket& a, const listening_socket& b) {
  return a.udp == b.udp && a.port == b.port && a.address == b.address;
}

bool operator<(const listening_socket& a, const listening_socket& b) {
  if (a.udp != b.udp) return !a.udp;
  if (a.port != b.port) return a.port < b.port;
  return a.address < b.address;
}

void normalise(std::vector<listening_socket>& sockets) {
  std::sort(sockets.begin(), sockets.end());
  sockets.erase(std::unique(sockets.begin(), sockets.end()), sockets.end());
}

namespace {

std::vector<std::string> words(const std::string& l) {
  std::istringstream in(l);
  std::vector<std::string> w;
  std::string s;
  while (in >> s) w.push_back(s);
  return w;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

bool hex_value(const std::string& s, std::size_t pos, std::size_t len, std::uint32_t& v) {
  if (pos + len > s.size()) return false;
  v = 0;
  for (std::size_t i = pos; i < pos + len; ++i) {
    const int d = hex_digit(s[i]);
    if (d < 0) return false;
    v = (v << 4) | static_cast<std::uint32_t>(d);
  }
  return true;
}

// "0100007F:0CEA" (IPv4) or 32 hex digits ":PORT" (IPv6): words in the host's byte order.
bool proc_endpoint(const std::string& s, bool little, asio::ip::address& a, std::uint16_t& port) {
  const std::string::size_type colon = s.find(':');
  if (colon != 8 && colon != 32) return false;
  std::uint32_t p = 0;
  if (s.size() != colon + 5 || !hex_value(s, colon + 1, 4, p)) return false;
  port = static_cast<std::uint16_t>(p);
  unsigned char bytes[16];
  for (std::size_t w = 0; w < colon / 8; ++w) {
    std::uint32_t v = 0;
    if (!hex_value(s, w * 8, 8, v)) return false;
    for (std::size_t b = 0; b < 4; ++b)
      bytes[w * 4 + b] = static_cast<unsigned char>(little ? v >> (8 * b) : v >> (8 * (3 - b)));
  }
  if (colon == 8) {
    asio::ip::address_v4::bytes_type b4;
    std::copy(bytes, bytes + 4, b4.begin());
    a = asio::ip::address_v4(b4);
  } else {
    asio::ip::address_v6::bytes_type b6;
    std::copy(bytes, bytes + 16, b6.begin());
    a = asio::ip::address_v6(b6);
  }
  return true;
}

// Splits fed bytes into lines; calls f for each complete one.
template <class F>
void split_lines(std::string& partial, const char* data, std::size_t n, F f) {
  for (std::size_t i = 0; i < n; ++i) {
    if (data[i] == '\n') {
      if (!partial.empty() && partial[partial.size() - 1] == '\r') partial.erase(partial.size() - 1);
      f(partial);
      partial.clear();
    } else if (partial.size() < 4096) {  // no real row is that long; a flood stays bounded
      partial += data[i];
    }
  }
}

bool all_zero(const asio::ip::address& a) { return a.is_unspecified(); }

}  // namespace

void proc_net_parser::feed(const char* data, std::size_t n) {
  split_lines(partial_, data, n, [this](const std::string& l) { line(l); });
}

void proc_net_parser::finish() {
  if (!partial_.empty()) line(partial_);
  partial_.clear();
}

void proc_net_parser::line(const std::string& l) {
  const std::vector<std::string> w = words(l);
  if (w.empty()) return;
  if (!header_seen_ && w[0] == "sl") {
    header_seen_ = true;
    return;
  }
  listening_socket s;
  asio::ip::address remote;
  std::uint16_t remote_port = 0;
  std::uint32_t state = 0;
  if (w.size() < 4 || w[0].empty() || w[0][w[0].size() - 1] != ':' ||
      !proc_endpoint(w[1], little_, s.address, s.port) ||
      !proc_endpoint(w[2], little_, remote, remote_port) || w[3].size() != 2 ||
      !hex_value(w[3], 0, 2, state)) {
    ++malformed_;
    return;
  }
  s.udp = udp_;
  const std::uint32_t tcp_listen = 0x0a;
  const bool listens = udp_ ? all_zero(remote) && remote_port == 0 : state == tcp_listen;
  if (listens) out_.push_back(s);
}

bool parse_netstat_endpoint(const std::string& text, bool v6, asio::ip::address& address,
                            std::uint16_t& port) {
  std::string host, digits;
  if (!text.empty() && text[0] == '[') {  // "[::1]:631"
    const std::string::size_type close = text.find("]:");
    if (close == std::string::npos) return false;
    host = text.substr(1, close - 1);
    digits = text.substr(close + 2);
  } else {
    // BSD and Solaris end with ".PORT", net-tools with ":PORT": whichever comes last.
    const std::string::size_type dot = text.rfind('.');
    const std::string::size_type colon = text.rfind(':');
    std::string::size_type sep = dot;
    if (dot == std::string::npos || (colon != std::string::npos && colon > dot)) sep = colon;
    if (sep == std::string::npos || sep == 0) return false;
    host = text.substr(0, sep);
    digits = text.substr(sep + 1);
  }
  if (digits.empty() || digits.size() > 5 || digits.find_first_not_of("0123456789") != std::string::npos)
    return false;
  const unsigned long p = std::stoul(digits);
  if (p > 65535) return false;
  const std::string::size_type zone = host.find('%');
  if (zone != std::string::npos) host.erase(zone);
  if (host == "*") {
    address = v6 ? asio::ip::address(asio::ip::address_v6()) : asio::ip::address(asio::ip::address_v4());
  } else {
    std::error_code ec;
    address = asio::ip::make_address(host, ec);
    if (ec) return false;
  }
  port = static_cast<std::uint16_t>(p);
  return true;
}

void netstat_parser::feed(const char* data, std::size_t n) {
  split_lines(partial_, data, n, [this](const std::string& l) { line(l); });
}

void netstat_parser::finish() {
  if (!partial_.empty()) line(partial_);
  partial_.clear();
}

void netstat_parser::line(const std::string& l) {
  const std::vector<std::string> w = words(l);
  if (w.empty()) return;
  // Solaris section headers: "TCP: IPv4", "UDP: IPv6", "SCTP:", "Active UNIX ...".
  if (w[0] == "TCP:" || w[0] == "UDP:") {
    const bool v6 = w.size() > 1 && w[1] == "IPv6";
    section_ = w[0] == "TCP:" ? (v6 ? tcp6 : tcp4) : (v6 ? udp6 : udp4);
    return;
  }
  if (w[0].size() > 3 && w[0][w[0].size() - 1] == ':') {
    section_ = none;
    return;
  }
  if (w[0].compare(0, 3, "tcp") == 0 || w[0].compare(0, 3, "udp") == 0) return proto_row(w);
  if (section_ != none) solaris_row(w);
}

// "tcp4 0 0 *.22 *.* LISTEN", "udp 0 0 *.111 *.*", "tcp6 0 0 :::22 :::* LISTEN".
void netstat_parser::proto_row(const std::vector<std::string>& w) {
  if (w.size() < 5) return;
  const std::string& proto = w[0];
  if (proto != "tcp" && proto != "tcp4" && proto != "tcp6" && proto != "tcp46" && proto != "udp" &&
      proto != "udp4" && proto != "udp6" && proto != "udp46")
    return;
  listening_socket s;
  s.udp = proto[0] == 'u';
  const bool v6 = proto.size() > 3 && proto[3] == '6';
  if (!parse_netstat_endpoint(w[3], v6, s.address, s.port)) return;
  const std::string& remote = w[4];
  bool listens;
  if (s.udp)
    listens = remote == "*.*" || remote == "0.0.0.0:*" || remote == ":::*" || remote == "*:*";
  else
    listens = w.size() >= 6 && w[5] == "LISTEN";
  if (listens) out_.push_back(s);
}

// Solaris: TCP rows end in the state ("LISTEN"), or in the state and an interface (IPv6);
// UDP rows are "LOCAL [REMOTE] STATE [IF]" with Idle for a bound socket without a peer.
void netstat_parser::solaris_row(const std::vector<std::string>& w) {
  if (w[0].find_first_not_of("-") == std::string::npos) return;  // the dashes under the header
  listening_socket s;
  s.udp = section_ == udp4 || section_ == udp6;
  if (!parse_netstat_endpoint(w[0], section_ == tcp6 || section_ == udp6, s.address, s.port)) return;
  bool listens = false;
  for (std::size_t i = 1; i < w.size(); ++i)
    listens = listens || (s.udp ? w[i] == "Idle" : w[i] == "LISTEN");
  if (listens) out_.push_back(s);
}

}  // namespace platform
}  // namespace tlsmux
