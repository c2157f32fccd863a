// SPDX-License-Identifier: GPL-2.0-or-later
// Value syntax of the configuration: booleans, durations, numbers, addresses, listen specs.
#include "config/value_syntax.hpp"

#include "config/server_config.hpp"
#include "text/ip_text.hpp"
#include "text/ascii.hpp"

#include <asio/ip/address.hpp>

#include <limits>

namespace tlsmux {
namespace config {

namespace {

bool all_digits(const std::string& s) {
  if (s.empty()) return false;
  for (std::string::size_type i = 0; i < s.size(); ++i)
    if (s[i] < '0' || s[i] > '9') return false;
  return true;
}

}  // namespace

std::string lower(const std::string& s) {
  return text::ascii_lower(s);
}

std::string normalise_key(const std::string& s) {
  std::string r = lower(s);
  for (std::string::size_type i = 0; i < r.size(); ++i)
    if (r[i] == '_') r[i] = '-';
  return r;
}

std::string trim(const std::string& s) {
  std::string::size_type b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return std::string();
  std::string::size_type e = s.find_last_not_of(" \t");
  return s.substr(b, e - b + 1);
}

bool valid_service_name(const std::string& s) {
  if (s.empty() || s.size() > 64) return false;
  for (std::string::size_type i = 0; i < s.size(); ++i) {
    char c = s[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.';
    if (!ok) return false;
  }
  return true;
}

bool parse_number(const std::string& text, std::uint64_t min, std::uint64_t max,
                  std::uint64_t& out) {
  if (!all_digits(text) || text.size() > 19) return false;
  std::uint64_t v = 0;
  for (std::string::size_type i = 0; i < text.size(); ++i)
    v = v * 10 + static_cast<std::uint64_t>(text[i] - '0');
  if (v < min || v > max) return false;
  out = v;
  return true;
}

bool valid_listen(const std::string& text) {
  std::string::size_type colon = text.rfind(':');
  std::string host = colon == std::string::npos ? std::string() : text.substr(0, colon);
  std::string port = colon == std::string::npos ? text : text.substr(colon + 1);
  std::uint64_t p = 0;
  if (!parse_number(port, 0, 65535, p)) return false;
  if (colon == std::string::npos || host == "*") return true;
  asio::ip::address a;
  if (host.size() >= 2 && host[0] == '[' && host[host.size() - 1] == ']')
    return text::parse_ip(host.substr(1, host.size() - 2), a) && a.is_v6();
  return text::parse_ip(host, a) && a.is_v4();
}

bool parse_bool(const std::string& text, bool& out) {
  std::string t = lower(text);
  if (t == "yes" || t == "true" || t == "on" || t == "1") {
    out = true;
  } else if (t == "no" || t == "false" || t == "off" || t == "0") {
    out = false;
  } else {
    return false;
  }
  return true;
}

bool parse_duration(const std::string& text, std::uint32_t& ms) {
  std::string::size_type end = text.find_first_not_of("0123456789");
  std::string digits = text.substr(0, end);
  std::string unit = end == std::string::npos ? std::string() : text.substr(end);
  std::uint64_t scale = 0;
  if (unit.empty() || unit == "s") {
    scale = 1000;
  } else if (unit == "ms") {
    scale = 1;
  } else if (unit == "m") {
    scale = 60 * 1000;
  } else if (unit == "h") {
    scale = 60 * 60 * 1000;
  } else {
    return false;
  }
  const std::uint64_t limit = std::numeric_limits<std::uint32_t>::max();
  std::uint64_t v = 0;
  if (!parse_number(digits, 0, limit, v) || v > limit / scale) return false;
  ms = static_cast<std::uint32_t>(v * scale);
  return true;
}

}  // namespace config
}  // namespace tlsmux
