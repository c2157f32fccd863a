// SPDX-License-Identifier: GPL-2.0-or-later
// Fuzz target: the client's reader of the service listing (client/help_listing), which reads
// what a server sends after the reply. Input: bytes 0-1 a cut point, the rest the listing.
// Properties: the result does not depend on the cut; a listing read back is what the reader
// accepts again after format_help-like re-encoding of its own fields (names and pins are
// single printable words).
#include "client/help_listing.hpp"
#include "fuzz_support.hpp"

#include <cstddef>
#include <cstdint>
#include <string>

namespace c = tlsmux::client;

namespace {

bool read(const std::uint8_t* p, std::size_t n, std::size_t cut, c::help_listing& out, std::string& error) {
  tlsmux_fuzz::heap_copy a(p, cut), b(p + cut, n - cut);
  c::help_reader r;
  bool ok = r.feed(a.data(), a.size()) && r.feed(b.data(), b.size()) && r.finish(out);
  error = r.error();
  return ok;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2 || size > 80 * 1024) return 0;
  std::size_t cut = static_cast<std::size_t>((data[0] << 8) | data[1]);
  data += 2;
  size -= 2;
  if (cut > size) cut = size;
  c::help_listing whole, split;
  std::string e1, e2;
  const bool ok1 = read(data, size, 0, whole, e1);
  const bool ok2 = read(data, size, cut, split, e2);
  FUZZ_CHECK(ok1 == ok2 && e1 == e2);
  if (!ok1) return 0;
  FUZZ_CHECK(whole.services.size() == split.services.size() && whole.next_pins == split.next_pins);
  std::string again = "tlsmux-help 1\n";
  if (whole.off) again += "listing off\n";
  if (!whole.expose.empty()) again += "expose " + whole.expose + "\n";
  for (std::size_t i = 0; i < whole.services.size(); ++i)
    again += "service " + whole.services[i].name + " " + whole.services[i].auth + "\n";
  for (std::size_t i = 0; i < whole.next_pins.size(); ++i) again += "next-pin " + whole.next_pins[i] + "\n";
  again += "end\n";
  c::help_listing back;
  FUZZ_CHECK(read(reinterpret_cast<const std::uint8_t*>(again.data()), again.size(), 0, back, e1));
  FUZZ_CHECK(back.services.size() == whole.services.size() && back.next_pins == whole.next_pins && back.off == whole.off);
  (void)c::format_listing(whole, "mux:4430");
  return 0;
}
