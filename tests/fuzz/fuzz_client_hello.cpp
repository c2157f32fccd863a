// SPDX-License-Identifier: GPL-2.0-or-later
// Fuzz target: the server's reader of a ClientHello's cipher suites (tls::scan_client_hello),
// which sees a client's first bytes before wolfSSL does. Input: one byte choosing a cut,
// then the stream. A prefix says "need more" or agrees with the whole input; the suites
// found fit in the first record.
#include "fuzz_support.hpp"
#include "tls/suite_order.hpp"

#include <cstddef>
#include <cstdint>
#include <vector>

using tlsmux::tls::hello_scan;
using tlsmux::tls::scan_client_hello;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::size_t cut_choice = data[0];
  data += 1;
  size -= 1;
  tlsmux_fuzz::heap_copy whole(data, size);
  std::vector<std::uint16_t> all;
  const hello_scan r = scan_client_hello(whole.data(), whole.size(), all);
  if (r == hello_scan::found) {
    FUZZ_CHECK(!all.empty());
    FUZZ_CHECK(5 + 4 + 2 + 32 + 1 + 2 + 2 * all.size() <= size);
  } else {
    FUZZ_CHECK(all.empty());
  }
  const std::size_t cut = size == 0 ? 0 : cut_choice * size / 255;
  tlsmux_fuzz::heap_copy prefix(data, cut);
  std::vector<std::uint16_t> some;
  const hello_scan p = scan_client_hello(prefix.data(), prefix.size(), some);
  if (p != hello_scan::need_more) {
    FUZZ_CHECK(p == r);
    FUZZ_CHECK(some == all);
  }
  if (r == hello_scan::need_more) FUZZ_CHECK(p == hello_scan::need_more);
  // Byte by byte: the first answer other than need_more is the whole input's.
  std::vector<std::uint16_t> step;
  for (std::size_t n = 0; n <= size && n <= 512; ++n) {
    tlsmux_fuzz::heap_copy part(data, n);
    const hello_scan s = scan_client_hello(part.data(), part.size(), step);
    if (s != hello_scan::need_more) {
      FUZZ_CHECK(s == r);
      FUZZ_CHECK(step == all);
      break;
    }
  }
  return 0;
}
