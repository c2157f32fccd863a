// SPDX-License-Identifier: GPL-2.0-or-later
// Fuzz target: the listening-socket parsers (/proc/net tables and `netstat -an`) on arbitrary
// text, fed in two pieces at a fuzzer-chosen position; the result must not depend on it.
#include "fuzz_support.hpp"

#include <tlsmux/platform/listening_sockets.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace pf = tlsmux::platform;

namespace {

template <class P>
std::vector<pf::listening_socket> run(P p, const std::string& text, std::size_t cut) {
  p.feed(text.data(), cut);
  p.feed(text.data() + cut, text.size() - cut);
  p.finish();
  std::vector<pf::listening_socket> out = p.sockets();
  pf::normalise(out);
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2 || size > 8192) return 0;
  const std::uint8_t flags = data[0];
  const std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
  const std::size_t cut = text.empty() ? 0 : data[0] % (text.size() + 1);
  const bool udp = flags & 1, little = (flags & 2) != 0;
  FUZZ_CHECK(run(pf::proc_net_parser(udp, little), text, cut) ==
             run(pf::proc_net_parser(udp, little), text, text.size()));
  std::vector<pf::listening_socket> n = run(pf::netstat_parser(), text, cut);
  FUZZ_CHECK(n == run(pf::netstat_parser(), text, 0));
  return 0;
}
