// SPDX-License-Identifier: GPL-2.0-or-later
// Fuzz target: the SOCKS4/4a and HTTP proxy request parsers of `tlsmux socks`' local listener
// (client/socks4_codec, client/http_proxy_codec, client/local_front). Input: byte 0 picks the
// parser (even: SOCKS4, odd: HTTP), bytes 1-2 a cut point, the rest is the request.
// Properties: every prefix is need_more or gives the whole input's answer (same status, same
// used, same target); used never exceeds the input; a bad request always has a refusal to send;
// an HTTP answer's Content-Length matches its body.
#include "client/local_front.hpp"
#include "fuzz_support.hpp"

#include <cstddef>
#include <cstdint>
#include <string>

namespace c = tlsmux::client;
namespace s5 = tlsmux::socks5;

namespace {

struct outcome {
  s5::parse_status st = s5::parse_status::need_more;
  std::size_t used = 0;
  std::string target, name;
  s5::bytes out;
};

outcome run(c::local_protocol p, const std::uint8_t* data, std::size_t n) {
  tlsmux_fuzz::heap_copy copy(data, n);
  c::legacy_front f(p);
  outcome o;
  std::string why;
  o.st = f.feed(copy.data(), copy.size(), o.used, o.out, why);
  if (o.st == s5::parse_status::ok) {
    FUZZ_CHECK(o.used <= n && o.used > 0);
    o.target = f.target().to_string();
    o.name = f.name();
    s5::bytes refusal = f.refused(0x02, c::http_failure::refused, o.target);
    FUZZ_CHECK(!refusal.empty());
    if (p == c::local_protocol::http) {
      std::string r(refusal.begin(), refusal.end());
      std::size_t body = r.find("\r\n\r\n");
      std::size_t cl = r.find("Content-Length: ");
      FUZZ_CHECK(body != std::string::npos && cl != std::string::npos);
      FUZZ_CHECK(std::to_string(r.size() - body - 4) == r.substr(cl + 16, r.find('\r', cl) - cl - 16));
    }
  }
  if (o.st == s5::parse_status::bad) FUZZ_CHECK(!o.out.empty() && !why.empty());
  return o;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 3 || size > 16 * 1024) return 0;
  const c::local_protocol p = (data[0] & 1) ? c::local_protocol::http : c::local_protocol::socks4;
  const std::size_t cut = static_cast<std::size_t>((data[1] << 8) | data[2]);
  data += 3;
  size -= 3;
  const outcome whole = run(p, data, size);
  const outcome part = run(p, data, cut < size ? cut : size);
  if (part.st != s5::parse_status::need_more) {
    FUZZ_CHECK(part.st == whole.st);
    if (part.st == s5::parse_status::ok) {
      FUZZ_CHECK(part.used == whole.used && part.target == whole.target && part.name == whole.name);
    }
  }
  return 0;
}
