// SPDX-License-Identifier: GPL-2.0-or-later
// Fuzz target: the client's parsers of server answers (method choice, RFC 1929 status,
// reply). A prefix may only say "need more" or agree with the whole input, and a parsed
// message re-encodes to exactly the bytes it was parsed from.
#include "fuzz_support.hpp"
#include "socks5/client_codec.hpp"
#include "socks5/server_codec.hpp"

#include <cstddef>
#include <cstdint>
#include <string>

namespace {

namespace s5 = tlsmux::socks5;

// One parse of p[0..n) by parser `which`, as comparable values.
struct result {
  s5::parse_status st = s5::parse_status::need_more;
  std::size_t used = 0;
  std::uint8_t method = 0;
  bool ok = false;
  s5::reply rep;
};

bool same_address(const s5::address& a, const s5::address& b) {
  return a.type == b.type && a.port == b.port &&
         (a.type == s5::atyp::domain ? a.name == b.name : a.ip == b.ip);
}

result parse(int which, const std::uint8_t* p, std::size_t n) {
  tlsmux_fuzz::heap_copy copy(p, n);
  result r;
  r.used = 7777;   // must not change unless ok
  if (which == 0) r.st = s5::parse_method_choice(copy.data(), copy.size(), r.used, r.method);
  else if (which == 1) r.st = s5::parse_userpass_status(copy.data(), copy.size(), r.used, r.ok);
  else r.st = s5::parse_reply(copy.data(), copy.size(), r.used, r.rep);
  if (r.st == s5::parse_status::ok) FUZZ_CHECK(r.used > 0 && r.used <= n);
  else r.used = 0;
  return r;
}

bool agree(int which, const result& a, const result& b) {
  if (a.st != b.st || a.used != b.used) return false;
  if (a.st != s5::parse_status::ok) return true;
  if (which == 0) return a.method == b.method;
  if (which == 1) return a.ok == b.ok;
  return a.rep.code == b.rep.code && same_address(a.rep.bnd, b.rep.bnd);
}

// encode(decode(x)) == x for every message the parser accepted.
void round_trip(int which, const result& r, const std::uint8_t* p) {
  if (r.st != s5::parse_status::ok) return;
  s5::bytes enc;
  if (which == 0) {
    enc = s5::encode_method_choice(static_cast<s5::method>(r.method));
  } else if (which == 1) {
    if (p[1] > 1) return;   // any non-zero status is failure; only 0x00/0x01 re-encode
    enc = s5::encode_userpass_status(r.ok);
  } else {
    enc = s5::encode_reply(static_cast<s5::reply_code>(r.rep.code), r.rep.bnd);
    FUZZ_CHECK(s5::encoded_size(r.rep.bnd) + 3 == r.used);
  }
  FUZZ_CHECK(enc.size() == r.used);
  FUZZ_CHECK(std::equal(enc.begin(), enc.end(), p));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  tlsmux_fuzz::reader in(data, size);
  const int which = in.byte() % 3;
  const std::size_t cut_raw = in.byte();
  const std::uint8_t* p = in.rest();
  const std::size_t n = in.remaining();
  const result whole = parse(which, p, n);
  round_trip(which, whole, p);
  // Every prefix, or one fuzzer-chosen prefix of long inputs.
  std::size_t from = 0, to = n;
  if (n > 64) from = to = cut_raw % (n + 1);
  for (std::size_t k = from; k <= to; ++k) {
    const result part = parse(which, p, k);
    if (part.st != s5::parse_status::need_more) FUZZ_CHECK(agree(which, whole, part));
    if (whole.st == s5::parse_status::ok && k >= whole.used)
      FUZZ_CHECK(agree(which, whole, part));
    if (whole.st == s5::parse_status::need_more) FUZZ_CHECK(part.st == s5::parse_status::need_more);
  }
  // Messages back to back: the second parse starts where the first one ended.
  if (whole.st == s5::parse_status::ok && whole.used < n) {
    const result next = parse(which, p + whole.used, n - whole.used);
    round_trip(which, next, p + whole.used);
  }
  return 0;
}
