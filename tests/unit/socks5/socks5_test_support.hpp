// SPDX-License-Identifier: GPL-2.0-or-later
// Helpers shared by the SOCKS5 codec tests: exact-size heap copies and split checks.
#ifndef TLSMUX_TESTS_UNIT_SOCKS5_SOCKS5_TEST_SUPPORT_HPP
#define TLSMUX_TESTS_UNIT_SOCKS5_SOCKS5_TEST_SUPPORT_HPP

#include "socks5/protocol.hpp"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace socks5_test {

using tlsmux::socks5::bytes;
using tlsmux::socks5::parse_status;

/// A parser under test: parses p[0..n), sets used on ok.
typedef std::function<parse_status(const std::uint8_t* p, std::size_t n, std::size_t& used)>
    parser_fn;

/// Marker value for "used was not written".
const std::size_t untouched = 0xdeadbeef;

/// Exactly the first n bytes of v in a fresh heap block, so ASan sees any over-read.
inline bytes prefix(const bytes& v, std::size_t n) {
  return bytes(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(n));
}

/// a followed by b.
inline bytes cat(const bytes& a, const bytes& b) {
  bytes r(a);
  r.insert(r.end(), b.begin(), b.end());
  return r;
}

/// The bytes of a string literal (without the terminating NUL).
inline bytes from_text(const std::string& s) { return bytes(s.begin(), s.end()); }

/// Runs f on an exact-size heap copy of v; reports used through used_out.
inline parse_status parse_copy(const parser_fn& f, const bytes& v, std::size_t& used_out) {
  bytes copy(v);
  used_out = untouched;
  return f(copy.empty() ? nullptr : copy.data(), copy.size(), used_out);
}

/// Describes where a split check failed, for CHECK_TEXT messages.
inline std::string at(const char* what, std::size_t k) {
  return std::string(what) + " at prefix length " + std::to_string(k);
}

/// A valid message: every proper prefix is need_more (used untouched), the whole message
/// is ok with used == size, and trailing bytes are never consumed. Returns "" or a failure.
inline std::string check_valid_split(const parser_fn& f, const bytes& msg) {
  std::size_t used = 0;
  for (std::size_t k = 0; k < msg.size(); ++k) {
    if (parse_copy(f, prefix(msg, k), used) != parse_status::need_more) {
      return at("not need_more", k);
    }
    if (used != untouched) return at("used written", k);
  }
  if (parse_copy(f, msg, used) != parse_status::ok) return "whole message not ok";
  if (used != msg.size()) return "whole message: wrong used " + std::to_string(used);
  const bytes junk = {0x05, 0x01, 0x00, 0xff};
  if (parse_copy(f, cat(msg, junk), used) != parse_status::ok) return "with trailing bytes not ok";
  if (used != msg.size()) return "trailing bytes consumed";
  return "";
}

/// An invalid message: every prefix is need_more or bad, once bad every longer prefix is
/// bad as well, and the whole message is bad. Returns "" or a description of the failure.
inline std::string check_bad_split(const parser_fn& f, const bytes& msg) {
  std::size_t used = 0;
  bool seen_bad = false;
  for (std::size_t k = 0; k <= msg.size(); ++k) {
    const parse_status st = parse_copy(f, prefix(msg, k), used);
    if (st == parse_status::ok) return at("ok", k);
    if (seen_bad && st != parse_status::bad) return at("bad then not bad", k);
    seen_bad = st == parse_status::bad;
  }
  return seen_bad ? "" : "whole message not bad";
}

/// Deterministic pseudo-random bytes (xorshift), for the property tests.
class byte_source {
 public:
  explicit byte_source(std::uint32_t seed) : state_(seed ? seed : 1) {}
  /// The next pseudo-random 32-bit value.
  std::uint32_t next() {
    state_ ^= state_ << 13;
    state_ ^= state_ >> 17;
    state_ ^= state_ << 5;
    return state_;
  }
  /// A byte, biased towards the values SOCKS5 parsers branch on.
  std::uint8_t interesting() {
    static const std::uint8_t values[] = {0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0xff};
    const std::uint32_t r = next();
    return (r & 1) ? values[(r >> 1) % 8] : static_cast<std::uint8_t>(r >> 8);
  }

 private:
  std::uint32_t state_;
};

}  // namespace socks5_test

#endif
