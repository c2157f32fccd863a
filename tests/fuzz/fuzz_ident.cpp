// SPDX-License-Identifier: GPL-2.0-or-later
// Fuzz target: the RFC 1413 ident query parser. The first input byte picks a split point;
// the rest is the stream. Properties: the outcome and bytes consumed are the same whole,
// split there and byte by byte; nothing past the line limit is consumed; a query has ports
// 1-65535 and its replies are single lines.
#include "fuzz_support.hpp"
#include "identity/ident_query.hpp"

#include <cstddef>
#include <cstdint>
#include <string>

namespace {

namespace id = tlsmux::identity;
typedef id::ident_query_parser::status status;

struct outcome {
  status st = status::need_more;
  std::size_t used = 0;
  std::uint16_t s = 0, c = 0;
  std::string s_text, c_text;
};

outcome run(const std::uint8_t* p, std::size_t n, std::size_t step) {
  id::ident_query_parser parser;
  outcome o;
  std::size_t at = 0;
  while (at < n) {
    std::size_t len = step == 0 || at + step > n ? n - at : step;
    tlsmux_fuzz::heap_copy copy(p + at, len);
    std::size_t used = 0;
    o.st = parser.feed(copy.data(), copy.size(), used);
    FUZZ_CHECK(used <= len);
    o.used += used;
    at += len;
    if (o.st != status::need_more) break;
  }
  o.s = parser.port_on_server();
  o.c = parser.port_on_client();
  o.s_text = parser.server_text();
  o.c_text = parser.client_text();
  return o;
}

bool same(const outcome& a, const outcome& b) {
  return a.st == b.st && a.used == b.used && a.s == b.s && a.c == b.c && a.s_text == b.s_text &&
         a.c_text == b.c_text;
}

bool one_line(const std::string& reply) {
  return reply.size() >= 2 && reply.find('\n') == reply.size() - 1 && reply[reply.size() - 2] == '\r' &&
         reply.find('\r') == reply.size() - 2;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  std::size_t split = data[0];
  const std::uint8_t* p = data + 1;
  std::size_t n = size - 1;
  outcome whole = run(p, n, 0);
  FUZZ_CHECK(whole.used <= id::ident_max_line);
  if (split > 0) FUZZ_CHECK(same(whole, run(p, n, split)));
  FUZZ_CHECK(same(whole, run(p, n, 1)));
  if (whole.st == status::query) {
    FUZZ_CHECK(whole.s >= 1 && whole.c >= 1);
    FUZZ_CHECK(p[whole.used - 1] == '\n');
    FUZZ_CHECK(one_line(id::ident_userid_reply(whole.s_text, whole.c_text, std::string(p, p + n))));
    FUZZ_CHECK(one_line(id::ident_error_reply(whole.s_text, whole.c_text, "NO-USER")));
  }
  return 0;
}
