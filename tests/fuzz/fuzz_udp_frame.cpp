// SPDX-License-Identifier: GPL-2.0-or-later
// Fuzz target: TLSMUX's length-prefixed UDP frames and the RFC 1928 UDP header inside them.
// Checks split invariance of the frame parser, that payload stays inside the input, and that
// a parsed frame or packet re-encodes to the same bytes (FRAG aside).
#include "fuzz_support.hpp"
#include "socks5/udp_frame.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>

namespace {

namespace s5 = tlsmux::socks5;

struct frame_result {
  s5::parse_status st = s5::parse_status::need_more;
  std::size_t used = 0;
  std::uint8_t frag = 0;
  std::string addr;
  std::size_t payload_at = 0, size = 0;
};

frame_result parse_frame(const std::uint8_t* p, std::size_t n, std::size_t max_frame) {
  tlsmux_fuzz::heap_copy copy(p, n);
  frame_result r;
  s5::datagram d;
  std::size_t used = 0;
  r.st = s5::parse_udp_frame(copy.data(), copy.size(), used, d, max_frame);
  FUZZ_CHECK(used <= n);
  if (r.st == s5::parse_status::need_more) return r;
  r.used = used;
  if (r.st == s5::parse_status::ok) {
    FUZZ_CHECK(used >= 2 && used <= max_frame + 2);
    FUZZ_CHECK(d.payload >= copy.data() && d.payload + d.size == copy.data() + used);
    r.frag = d.frag;
    r.addr = d.addr.to_string();
    r.payload_at = static_cast<std::size_t>(d.payload - copy.data());
    r.size = d.size;
  }
  return r;
}

bool same(const frame_result& a, const frame_result& b) {
  return a.st == b.st && a.used == b.used && a.frag == b.frag && a.addr == b.addr &&
         a.payload_at == b.payload_at && a.size == b.size;
}

// RFC 1928 header of exactly n bytes, and its re-encoding.
void check_header(const std::uint8_t* p, std::size_t n) {
  tlsmux_fuzz::heap_copy copy(p, n);
  s5::datagram d;
  if (!s5::parse_udp_header(copy.data(), copy.size(), d)) return;
  FUZZ_CHECK(d.payload >= copy.data() && d.payload + d.size == copy.data() + n);
  s5::bytes enc;
  FUZZ_CHECK(s5::append_udp_packet(enc, d.addr, d.payload, d.size));
  FUZZ_CHECK(enc.size() == n);
  FUZZ_CHECK(std::equal(enc.begin(), enc.begin() + 2, p));
  FUZZ_CHECK(enc[2] == 0);    // FRAG is always written as 0
  FUZZ_CHECK(std::equal(enc.begin() + 3, enc.end(), p + 3));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  tlsmux_fuzz::reader in(data, size);
  const std::uint8_t mode = in.byte();
  const std::size_t cut_raw = in.u16();
  const std::size_t max_frame = (mode & 2) ? 1 + in.byte() : s5::max_udp_frame;
  const std::uint8_t* p = in.rest();
  const std::size_t n = in.remaining();
  if (mode & 1) {
    check_header(p, n);
    return 0;
  }
  const frame_result whole = parse_frame(p, n, max_frame);
  const std::size_t k = cut_raw % (n + 1);
  const frame_result part = parse_frame(p, k, max_frame);
  if (part.st != s5::parse_status::need_more) FUZZ_CHECK(same(whole, part));
  if (whole.st != s5::parse_status::need_more && k >= whole.used && k >= 2) FUZZ_CHECK(same(whole, part));
  if (whole.st == s5::parse_status::need_more) FUZZ_CHECK(part.st == s5::parse_status::need_more);
  if (whole.st == s5::parse_status::ok) {
    check_header(p + 2, whole.used - 2);
    if (whole.frag == 0) {
      tlsmux_fuzz::heap_copy copy(p, n);
      s5::datagram d;
      std::size_t used = 0;
      s5::parse_udp_frame(copy.data(), copy.size(), used, d, max_frame);
      s5::bytes enc;
      FUZZ_CHECK(s5::append_udp_frame(enc, d.addr, d.payload, d.size));
      FUZZ_CHECK(enc.size() == whole.used && std::equal(enc.begin(), enc.end(), p));
    }
  }
  return 0;
}
