// SPDX-License-Identifier: GPL-2.0-or-later
// Fuzz target: the control socket's request line (server::control_line and
// parse_control_request). Checks that the result does not depend on how the bytes are split,
// that a line never exceeds its limit, and that only the two requests parse.
#include "fuzz_support.hpp"
#include "server/status_report.hpp"

#include <cstddef>
#include <cstdint>

namespace {

namespace sv = tlsmux::server;

struct outcome {
  sv::control_line::result r = sv::control_line::more;
  std::string line;
};

outcome feed_split(const char* p, std::size_t n, std::size_t cut) {
  outcome o;
  sv::control_line l;
  o.r = l.feed(p, cut);
  if (o.r == sv::control_line::more) o.r = l.feed(p + cut, n - cut);
  o.line = l.line();
  return o;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  tlsmux_fuzz::heap_copy copy(data, size);
  const char* p = reinterpret_cast<const char*>(copy.data());
  const outcome whole = feed_split(p, size, 0);
  FUZZ_CHECK(whole.line.size() < sv::max_control_line);
  const std::size_t cut = size == 0 ? 0 : data[0] % (size + 1);
  const outcome split = feed_split(p, size, cut);
  FUZZ_CHECK(split.r == whole.r && split.line == whole.line);
  sv::control_command c;
  if (whole.r == sv::control_line::done && sv::parse_control_request(whole.line, c))
    FUZZ_CHECK(whole.line == "status" || whole.line == "status json");
  return 0;
}
