// SPDX-License-Identifier: GPL-2.0-or-later
// IP literals: RFC 5952 text out, inet_pton's grammar in, on raw bytes.
#include "text/ip_text.hpp"

#include <cstdio>
#include <cstring>

namespace tlsmux {
namespace text {

namespace {

// The longest run of two or more zero groups (the first on a tie), as [base, base + len).
void longest_zero_run(const unsigned (&w)[8], int& base, int& len) {
  base = -1;
  len = 0;
  for (int i = 0; i < 8;) {
    int j = i;
    while (j < 8 && w[j] == 0) ++j;
    if (j - i > len && j - i >= 2) {
      base = i;
      len = j - i;
    }
    i = j > i ? j : i + 1;
  }
}

std::string dotted(const std::uint8_t* b) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
  return buf;
}

std::string ipv6_text(const std::uint8_t* b) {
  unsigned w[8];
  for (int i = 0; i < 8; ++i) w[i] = (static_cast<unsigned>(b[2 * i]) << 8) | b[2 * i + 1];
  int base, len;
  longest_zero_run(w, base, len);
  bool tail = base == 0 && (len == 6 || (len == 5 && w[5] == 0xffff));
  int groups = tail ? 6 : 8;
  std::string out;
  char buf[8];
  for (int i = 0; i < groups; ++i) {
    if (i == base) {
      out += "::";
      i += len - 1;
      continue;
    }
    if (!out.empty() && out[out.size() - 1] != ':') out += ':';
    std::snprintf(buf, sizeof buf, "%x", w[i]);
    out += buf;
  }
  if (tail) {
    if (out[out.size() - 1] != ':') out += ':';
    out += dotted(b + 12);
  }
  return out;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// a.b.c.d filling [p, end): four decimal parts of 1-3 digits, no leading zero, each <= 255.
bool parse_v4(const char* p, const char* end, std::uint8_t* out) {
  for (int part = 0; part < 4; ++part) {
    if (part > 0 && (p == end || *p++ != '.')) return false;
    unsigned value = 0;
    int digits = 0;
    for (; p != end && *p >= '0' && *p <= '9'; ++p) {
      if (digits == 1 && value == 0) return false;  // a leading zero
      value = value * 10 + static_cast<unsigned>(*p - '0');
      if (++digits > 3 || value > 255) return false;
    }
    if (digits == 0) return false;
    out[part] = static_cast<std::uint8_t>(value);
  }
  return p == end;
}

// Hex groups of 1-4 digits separated by ':', at most one "::" standing for one or more zero
// groups, and optionally a dotted IPv4 tail in the last 4 bytes.
bool parse_v6(const char* p, const char* end, std::uint8_t* out) {
  std::uint8_t buf[16] = {};
  int n = 0, gap = -1;
  if (p != end && *p == ':') {
    if (end - p < 2 || p[1] != ':') return false;
    gap = 0;
    p += 2;
  }
  while (p != end) {
    const char* group = p;
    unsigned value = 0;
    int digits = 0;
    for (; p != end && hex_value(*p) >= 0; ++p) {
      value = value << 4 | static_cast<unsigned>(hex_value(*p));
      if (++digits > 4) return false;
    }
    if (p != end && *p == '.') {
      if (n + 4 > 16 || !parse_v4(group, end, buf + n)) return false;
      n += 4;
      break;
    }
    if (digits == 0 || n + 2 > 16) return false;
    buf[n++] = static_cast<std::uint8_t>(value >> 8);
    buf[n++] = static_cast<std::uint8_t>(value & 0xff);
    if (p == end) break;
    if (*p++ != ':' || p == end) return false;  // not a separator, or a trailing single ':'
    if (*p == ':') {
      if (gap >= 0) return false;  // a second "::"
      gap = n;
      ++p;
    }
  }
  if (gap < 0 ? n != 16 : n == 16) return false;
  std::memset(out, 0, 16);
  std::memcpy(out, buf, static_cast<std::size_t>(gap < 0 ? n : gap));
  if (gap >= 0) std::memcpy(out + 16 - (n - gap), buf + gap, static_cast<std::size_t>(n - gap));
  return true;
}

}  // namespace

std::string ip_text(const std::uint8_t* b, std::size_t n) {
  if (n == 4) return dotted(b);
  if (n == 16) return ipv6_text(b);
  return "?";
}

bool parse_ip(const std::string& text, ip_bytes& out) {
  const char* p = text.data();
  const char* end = p + text.size();
  const bool v6 = text.find(':') != std::string::npos;
  ip_bytes ip;
  if (!(v6 ? parse_v6(p, end, ip.b) : parse_v4(p, end, ip.b))) return false;
  ip.size = v6 ? 16 : 4;
  out = ip;
  return true;
}

}  // namespace text
}  // namespace tlsmux
