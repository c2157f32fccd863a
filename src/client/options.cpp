// SPDX-License-Identifier: GPL-2.0-or-later
// Client option and argument parsing.
#include "client/options.hpp"

#include "config/server_config.hpp"
#include "text/ip_text.hpp"

#include <cstdlib>

namespace tlsmux {
namespace client {

namespace {

bool parse_port(const std::string& s, std::uint16_t& port, bool allow_zero) {
  if (s.empty() || s.size() > 5 || s.find_first_not_of("0123456789") != std::string::npos) return false;
  unsigned long v = std::strtoul(s.c_str(), nullptr, 10);
  if (v > 65535 || (v == 0 && !allow_zero)) return false;
  port = static_cast<std::uint16_t>(v);
  return true;
}

// Splits on ':' outside brackets; brackets are removed from a field.
std::vector<std::string> fields(const std::string& text) {
  std::vector<std::string> out(1);
  bool bracket = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '[') bracket = true;
    else if (c == ']') bracket = false;
    else if (c == ':' && !bracket) out.push_back(std::string());
    else out.back().push_back(c);
  }
  return out;
}

// The text after the n-th ':' outside brackets ("" when there are fewer).
std::string after_fields(const std::string& text, std::size_t n) {
  bool bracket = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '[') bracket = true;
    else if (text[i] == ']') bracket = false;
    else if (text[i] == ':' && !bracket && --n == 0) return text.substr(i + 1);
  }
  return std::string();
}

bool is_number(const std::string& s) {
  return !s.empty() && s.find_first_not_of("0123456789") == std::string::npos;
}

socks5::address host_address(const std::string& host, std::uint16_t port) {
  asio::ip::address a;
  if (text::parse_ip(host, a)) return socks5::address::from_ip(a, port);
  return socks5::address::from_name(host, port);
}

// "FILE:LINE: " for a value from a configuration file (tlsmux_config(5)).
std::string where(const config::entry& e) {
  if (e.file.empty() || e.file == "command line") return std::string();
  return e.file + ":" + std::to_string(e.line) + ": ";
}

}  // namespace

const std::vector<std::string>& client_keys() {
  static const char* const names[] = {"pin", "ca", "known-hosts", "user", "password-file", "cert",
                                      "key", "timeout", "server-name", "tls-profile", "keepalive",
                                      "cipher-preference"};
  static const std::vector<std::string> keys(names, names + sizeof names / sizeof names[0]);
  return keys;
}

bool apply_client_entries(const std::vector<config::entry>& entries, client_options& opt,
                          std::vector<std::string>& errors) {
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const std::string& k = entries[i].key;
    const std::string& v = entries[i].value;
    if (k == "pin") opt.pin = v;
    else if (k == "ca") opt.ca_file = v;
    else if (k == "known-hosts") opt.known_hosts_file = v;
    else if (k == "user") opt.user = v;
    else if (k == "password-file") opt.password_file = v;
    else if (k == "cert") opt.cert_file = v;
    else if (k == "key") opt.key_file = v;
    else if (k == "server-name") opt.server_name = v;
    else if (k == "tls-profile") opt.tls_profile = v;
    else if (k == "cipher-preference") {
      if (!tls::parse_aead_setting(v, opt.cipher_preference))
        errors.push_back(where(entries[i]) + "bad --cipher-preference '" + v + "' (auto, aes-gcm or chacha20)");
    }    else if (k == "keepalive") {
      if (!config::parse_duration(v, opt.keepalive_ms)) errors.push_back("bad --keepalive '" + v + "'");
    } else if (k == "timeout") {
      if (!config::parse_duration(v, opt.timeout_ms) || opt.timeout_ms == 0)
        errors.push_back(where(entries[i]) + "bad --timeout '" + v + "'");
    }
  }
  return errors.empty();
}

bool parse_host_port(const std::string& text, std::uint16_t default_port, std::string& host,
                     std::uint16_t& port) {
  port = default_port;
  if (!text.empty() && text[0] == '[') {
    std::string::size_type close = text.find(']');
    if (close == std::string::npos) return false;
    host = text.substr(1, close - 1);
    std::string rest = text.substr(close + 1);
    if (rest.empty()) return !host.empty();
    return rest[0] == ':' && parse_port(rest.substr(1), port, false) && !host.empty();
  }
  std::string::size_type colon = text.find(':');
  if (colon != std::string::npos && text.find(':', colon + 1) != std::string::npos) {
    host = text;  // a bare IPv6 literal
    return true;
  }
  host = text.substr(0, colon);
  if (colon != std::string::npos && !parse_port(text.substr(colon + 1), port, false)) return false;
  return !host.empty();
}

bool parse_service(const std::string& text, socks5::address& out) {
  std::vector<std::string> f = fields(text);
  std::uint16_t port = 0;
  if (f.size() == 1) {
    if (is_number(f[0])) {
      if (!parse_port(f[0], port, false)) return false;
      out = socks5::address::from_ip(asio::ip::address_v4::loopback(), port);
      return true;
    }
    if (f[0].empty() || f[0].size() > 255) return false;
    out = socks5::address::from_name(f[0], 0);
    return true;
  }
  std::string::size_type colon = text.rfind(':');
  std::string host = text.substr(0, colon);
  if (host.size() >= 2 && host[0] == '[' && host[host.size() - 1] == ']') host = host.substr(1, host.size() - 2);
  if (host.empty() || host.size() > 255 || !parse_port(text.substr(colon + 1), port, false)) return false;
  out = host_address(host, port);
  return true;
}

bool parse_forward(const std::string& text, forward_spec& out) {
  std::vector<std::string> f = fields(text);
  std::size_t first = 0;
  // "LPORT:SERVICE" starts with a number; "BIND:LPORT:SERVICE" with an address.
  if ((f.size() >= 3 && !is_number(f[0])) || f.size() == 4) {
    out.bind = f[0];
    first = 1;
  }
  if (f.size() - first < 2 || !parse_port(f[first], out.port, false)) return false;
  return parse_service(after_fields(text, first + 1), out.service);
}

bool parse_listen_port(const std::string& text, std::string& bind, std::uint16_t& port) {
  std::vector<std::string> f = fields(text);
  bind = "127.0.0.1";
  if (f.size() == 1) return parse_port(f[0], port, true);
  if (f.size() != 2 || f[0].empty()) return false;
  bind = f[0];
  return parse_port(f[1], port, true);
}

}  // namespace client
}  // namespace tlsmux
