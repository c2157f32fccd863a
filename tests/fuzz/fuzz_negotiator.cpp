// SPDX-License-Identifier: GPL-2.0-or-later
// Fuzz target: the server's SOCKS5 negotiator fed a client byte stream in one piece and cut
// at fuzzer-chosen points; the final state, request, identity and every byte written back
// must be the same however the stream is split (abort otherwise).
#include "fuzz_support.hpp"
#include "socks5/negotiator.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace {

using tlsmux::socks5::bytes;
using tlsmux::socks5::negotiator;

// Everything observable about one negotiation.
struct outcome {
  negotiator::state st = negotiator::state::need_more;
  bytes out;
  std::size_t consumed = 0;
  int calls_with_input = 0;
  negotiator::auth by = negotiator::auth::none;
  std::string identity, reason;
  int reply = -1;
  std::uint8_t cmd = 0;
  std::string dst;
};

bool same(const outcome& a, const outcome& b) {
  return a.st == b.st && a.out == b.out && a.consumed == b.consumed && a.by == b.by &&
         a.identity == b.identity && a.reason == b.reason && a.reply == b.reply &&
         a.cmd == b.cmd && a.dst == b.dst;
}

// Feeds the buffered bytes like the session does: the unconsumed tail stays buffered.
void feed(negotiator& neg, bytes& buffered, outcome& o) {
  tlsmux_fuzz::heap_copy copy(buffered.data(), buffered.size());
  std::size_t used = 12345;
  const std::size_t out_before = o.out.size();
  negotiator::state st = neg.feed(copy.data(), copy.size(), used, o.out);
  FUZZ_CHECK(used <= copy.size());
  if (o.st != negotiator::state::need_more) {
    // Once finished, nothing more is consumed, written or changed.
    FUZZ_CHECK(used == 0 && st == o.st && o.out.size() == out_before);
  }
  o.st = st;
  o.consumed += used;
  buffered.erase(buffered.begin(), buffered.begin() + static_cast<std::ptrdiff_t>(used));
}

outcome run(const tlsmux::socks5::method_policy& policy, int check_mode, const std::uint8_t* p,
            std::size_t n, const std::vector<std::size_t>& cuts) {
  tlsmux::socks5::password_check check;
  if (check_mode != 0) {
    check = [check_mode](const tlsmux::socks5::credentials& c, std::string& id) {
      if (check_mode == 1) return true;
      if (check_mode == 2) return false;
      if (c.user == "alice" && c.password == "secret") {
        if (check_mode == 3) id = "alice@passwd";
        return true;
      }
      return false;
    };
  }
  negotiator neg(policy, check);
  outcome o;
  bytes buffered;
  std::size_t at = 0;
  for (std::size_t i = 0; i <= cuts.size(); ++i) {
    const std::size_t end = i < cuts.size() ? cuts[i] : n;
    buffered.insert(buffered.end(), p + at, p + end);
    at = end;
    feed(neg, buffered, o);
  }
  // One more call after the end: a finished negotiator must stay put.
  feed(neg, buffered, o);
  o.by = neg.authenticated_by();
  o.identity = neg.identity();
  o.reason = neg.reason();
  o.reply = neg.reply_sent();
  if (o.st == negotiator::state::request_ready) {
    o.cmd = neg.get_request().cmd;
    o.dst = neg.get_request().dst.to_string();
    FUZZ_CHECK(o.by != negotiator::auth::none);
    FUZZ_CHECK(o.reason.empty());
  }
  if (o.st == negotiator::state::failed) {
    FUZZ_CHECK(!o.reason.empty());
    FUZZ_CHECK(o.by == negotiator::auth::none);
    FUZZ_CHECK(o.reply == -1 || (o.reply >= 0x01 && o.reply <= 0x08));
  } else {
    FUZZ_CHECK(o.reply == -1);
  }
  return o;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  tlsmux_fuzz::reader in(data, size);
  const std::uint8_t flags = in.byte();
  const std::size_t ncuts = in.byte() % 8;
  std::vector<std::size_t> raw_cuts;
  for (std::size_t i = 0; i < ncuts; ++i) raw_cuts.push_back(in.u16());
  const std::uint8_t* stream = in.rest();
  const std::size_t n = in.remaining();
  std::vector<std::size_t> cuts;
  for (std::size_t i = 0; i < raw_cuts.size(); ++i) cuts.push_back(n ? raw_cuts[i] % (n + 1) : 0);
  std::sort(cuts.begin(), cuts.end());

  tlsmux::socks5::method_policy policy;
  policy.anonymous = (flags & 0x01) != 0;
  policy.password = (flags & 0x02) != 0;
  policy.certificate = (flags & 0x04) != 0;
  if (policy.certificate) policy.cert_identity = "CN=client";
  const int check_mode = (flags >> 3) % 5;   // 0: no checker, 1: yes, 2: no, 3/4: alice

  outcome whole = run(policy, check_mode, stream, n, std::vector<std::size_t>());
  outcome split = run(policy, check_mode, stream, n, cuts);
  FUZZ_CHECK(same(whole, split));
  // Byte by byte is the harshest split.
  if (n <= 600) {
    std::vector<std::size_t> every;
    for (std::size_t i = 1; i < n; ++i) every.push_back(i);
    FUZZ_CHECK(same(whole, run(policy, check_mode, stream, n, every)));
  }
  return 0;
}
