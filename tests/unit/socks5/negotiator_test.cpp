// SPDX-License-Identifier: GPL-2.0-or-later
// Tests for the server's SOCKS5 negotiation state machine, including auth-bypass attempts
// and split invariance (the result never depends on how the bytes arrive).
#include "socks5/negotiator.hpp"
#include "socks5_test_support.hpp"

#include <string>
#include <vector>

#include <CppUTest/TestHarness.h>

using namespace tlsmux::socks5;
using namespace socks5_test;

namespace {

typedef negotiator::state state;

const bytes greet_anon = {0x05, 0x01, 0x00};
const bytes greet_pass = {0x05, 0x01, 0x02};
const bytes greet_both = {0x05, 0x02, 0x00, 0x02};
const bytes auth_alice = {0x01, 5, 'a', 'l', 'i', 'c', 'e', 6, 's', 'e', 'c', 'r', 'e', 't'};
const bytes auth_wrong = {0x01, 5, 'a', 'l', 'i', 'c', 'e', 5, 'w', 'r', 'o', 'n', 'g'};
const bytes req_smtp = {0x05, 0x01, 0x00, 0x01, 127, 0, 0, 1, 0x00, 0x19};
const bytes req_name = {0x05, 0x01, 0x00, 0x03, 4, 's', 'm', 't', 'p', 0x00, 0x19};
const bytes ok_v4_reply_tail = {0x00, 0x01, 0, 0, 0, 0, 0, 0};

/// Everything a negotiation run produced, compared across different splits.
struct outcome {
  state st = state::need_more;
  bytes out;
  bytes leftover;  ///< bytes the caller still holds (pipelined payload)
  std::uint8_t cmd = 0;
  std::string dst;
  negotiator::auth by = negotiator::auth::none;
  std::string identity;
  std::string reason;
  int checks = 0;  ///< calls of the password check
};

method_policy anonymous_policy() { return method_policy(); }

method_policy password_policy(bool anonymous) {
  method_policy p;
  p.anonymous = anonymous;
  p.password = true;
  return p;
}

/// Feeds input in chunks ending at the given cut points, as a session would: unconsumed
/// bytes are kept and fed again, each time from an exact-size heap copy.
outcome drive(const method_policy& policy, const bytes& input, const std::vector<std::size_t>& cuts,
              const std::string& set_identity = "") {
  outcome r;
  int* checks = &r.checks;
  negotiator neg(policy, [checks, set_identity](const credentials& c, std::string& id) {
    ++*checks;
    if (!set_identity.empty()) id = set_identity;
    return c.user == "alice" && c.password == "secret";
  });
  bytes pending;
  std::size_t start = 0;
  std::vector<std::size_t> ends(cuts);
  ends.push_back(input.size());
  for (std::size_t i = 0; i < ends.size(); ++i) {
    pending.insert(pending.end(), input.begin() + static_cast<std::ptrdiff_t>(start),
                   input.begin() + static_cast<std::ptrdiff_t>(ends[i]));
    start = ends[i];
    const bytes copy(pending);
    const std::size_t out_before = r.out.size();
    const state before = r.st;
    std::size_t used = untouched;
    r.st = neg.feed(copy.empty() ? nullptr : copy.data(), copy.size(), used, r.out);
    CHECK(used <= copy.size());
    if (before != state::need_more) {
      // Finished: nothing more is consumed or sent, and the verdict stays.
      LONGS_EQUAL(0, used);
      CHECK(before == r.st);
      LONGS_EQUAL(out_before, r.out.size());
    }
    pending.erase(pending.begin(), pending.begin() + static_cast<std::ptrdiff_t>(used));
  }
  r.leftover = pending;
  r.cmd = neg.get_request().cmd;
  r.dst = neg.get_request().dst.to_string();
  r.by = neg.authenticated_by();
  r.identity = neg.identity();
  r.reason = neg.reason();
  return r;
}

outcome drive_whole(const method_policy& policy, const bytes& input,
                    const std::string& set_identity = "") {
  return drive(policy, input, std::vector<std::size_t>(), set_identity);
}

std::string differs(const outcome& a, const outcome& b) {
  if (a.st != b.st) return "state";
  if (a.out != b.out) return "output";
  if (a.leftover != b.leftover) return "leftover";
  if (a.cmd != b.cmd || a.dst != b.dst) return "request";
  if (a.by != b.by || a.identity != b.identity) return "auth";
  if (a.reason != b.reason) return "reason";
  if (a.checks != b.checks) return "check calls";
  return "";
}

/// The same input split once at every position, and fed one byte at a time, must give the
/// outcome of feeding it whole.
void check_split_invariance(const method_policy& policy, const bytes& input) {
  const outcome whole = drive_whole(policy, input);
  for (std::size_t k = 0; k <= input.size(); ++k) {
    const std::string d = differs(whole, drive(policy, input, std::vector<std::size_t>(1, k)));
    STRCMP_EQUAL_TEXT("", d.c_str(), at("split", k).c_str());
  }
  std::vector<std::size_t> every;
  for (std::size_t k = 1; k < input.size(); ++k) every.push_back(k);
  STRCMP_EQUAL("", differs(whole, drive(policy, input, every)).c_str());
}

bytes reply_with(std::uint8_t code) { return cat(bytes{0x05, code}, ok_v4_reply_tail); }

}  // namespace

TEST_GROUP(negotiator) {};

TEST(negotiator, anonymous_flow) {
  const outcome r = drive_whole(anonymous_policy(), cat(greet_anon, req_smtp));
  CHECK(state::request_ready == r.st);
  CHECK(bytes({0x05, 0x00}) == r.out);
  LONGS_EQUAL(0x01, r.cmd);
  STRCMP_EQUAL("127.0.0.1:25", r.dst.c_str());
  CHECK(negotiator::auth::anonymous == r.by);
  STRCMP_EQUAL("anonymous", r.identity.c_str());
  LONGS_EQUAL(0, r.leftover.size());
}

TEST(negotiator, waits_for_a_whole_greeting) {
  negotiator neg(anonymous_policy(), password_check());
  const bytes part = {0x05, 0x02, 0x00};
  std::size_t used = untouched;
  bytes out;
  CHECK(state::need_more == neg.feed(part.data(), part.size(), used, out));
  LONGS_EQUAL(0, used);
  LONGS_EQUAL(0, out.size());
  CHECK(state::need_more == neg.feed(nullptr, 0, used, out));
  LONGS_EQUAL(0, used);
}

TEST(negotiator, certificate_flow) {
  method_policy p;
  p.anonymous = false;
  p.certificate = true;
  p.cert_identity = "CN=alice";
  const outcome r = drive_whole(p, cat(greet_anon, req_smtp));
  CHECK(state::request_ready == r.st);
  CHECK(negotiator::auth::certificate == r.by);
  STRCMP_EQUAL("CN=alice", r.identity.c_str());
}

TEST(negotiator, password_flow_good) {
  const outcome r = drive_whole(password_policy(false), cat(cat(greet_pass, auth_alice), req_name));
  CHECK(state::request_ready == r.st);
  CHECK(bytes({0x05, 0x02, 0x01, 0x00}) == r.out);
  CHECK(negotiator::auth::password == r.by);
  STRCMP_EQUAL("alice", r.identity.c_str());
  STRCMP_EQUAL("smtp:25", r.dst.c_str());
  LONGS_EQUAL(1, r.checks);
}

TEST(negotiator, password_check_may_set_the_identity) {
  const outcome r =
      drive_whole(password_policy(false), cat(cat(greet_pass, auth_alice), req_smtp), "uid=1000");
  CHECK(state::request_ready == r.st);
  STRCMP_EQUAL("uid=1000", r.identity.c_str());
}

TEST(negotiator, password_flow_bad) {
  const outcome r = drive_whole(password_policy(true), cat(cat(greet_both, auth_wrong), req_smtp));
  CHECK(state::failed == r.st);
  CHECK(bytes({0x05, 0x02, 0x01, 0x01}) == r.out);
  STRCMP_EQUAL("authentication failed for user alice", r.reason.c_str());
  CHECK(negotiator::auth::none == r.by);
}

// The reason keeps the peer's bytes; the session line escapes them (text/log_fields.hpp).
TEST(negotiator, failed_user_name_is_kept_raw_for_the_log_line) {
  const bytes evil = {0x01, 4, 'a', '\n', 'b', 0x1b, 1, 'p'};
  const outcome r = drive_whole(password_policy(false), cat(greet_pass, evil));
  CHECK(state::failed == r.st);
  STRCMP_EQUAL("authentication failed for user a\nb\x1b", r.reason.c_str());
}

// Without a password_check the caller checks (on another thread) and answers later; the
// pipelined request waits, unconsumed, until then.
TEST(negotiator, caller_checks_the_password_later) {
  negotiator neg(password_policy(false), password_check());
  const bytes in = cat(cat(greet_pass, auth_alice), req_smtp);
  std::size_t used = 0;
  bytes out;
  CHECK(state::check_password == neg.feed(in.data(), in.size(), used, out));
  LONGS_EQUAL(greet_pass.size() + auth_alice.size(), used);
  STRCMP_EQUAL("alice", neg.pending_credentials().user.c_str());
  STRCMP_EQUAL("secret", neg.pending_credentials().password.c_str());
  CHECK(state::check_password == neg.feed(req_smtp.data(), req_smtp.size(), used, out));
  LONGS_EQUAL(0, used);
  CHECK(state::need_more == neg.password_checked(0x00, "", "", out));
  LONGS_EQUAL(0, neg.pending_credentials().password.size());
  CHECK(state::request_ready == neg.feed(req_smtp.data(), req_smtp.size(), used, out));
  CHECK(bytes({0x05, 0x02, 0x01, 0x00}) == out);
  CHECK(negotiator::auth::password == neg.authenticated_by());
  STRCMP_EQUAL("alice", neg.identity().c_str());
}

TEST(negotiator, caller_refuses_with_its_own_status) {
  negotiator neg(password_policy(false), password_check());
  const bytes in = cat(greet_pass, auth_wrong);
  std::size_t used = 0;
  bytes out;
  CHECK(state::check_password == neg.feed(in.data(), in.size(), used, out));
  CHECK(state::failed == neg.password_checked(0xBD, "", " (locked out)", out));
  CHECK(bytes({0x05, 0x02, 0x01, 0xBD}) == out);
  STRCMP_EQUAL("authentication failed for user alice (locked out)", neg.reason().c_str());
  CHECK(negotiator::auth::none == neg.authenticated_by());
}

TEST(negotiator, empty_user_name_fails_with_status) {
  const outcome r = drive_whole(password_policy(false), cat(greet_pass, {0x01, 0x00, 0x01, 'p'}));
  CHECK(state::failed == r.st);
  CHECK(bytes({0x05, 0x02, 0x01, 0x01}) == r.out);
  LONGS_EQUAL(0, r.checks);
}

TEST(negotiator, password_preferred_when_both_offered) {
  const outcome r = drive_whole(password_policy(true), cat(cat(greet_both, auth_alice), req_smtp));
  CHECK(state::request_ready == r.st);
  CHECK(negotiator::auth::password == r.by);
}

TEST(negotiator, anonymous_chosen_when_password_not_configured) {
  const outcome r = drive_whole(anonymous_policy(), cat(greet_both, req_smtp));
  CHECK(state::request_ready == r.st);
  CHECK(bytes({0x05, 0x00}) == r.out);
}

TEST(negotiator, no_acceptable_method) {
  // Password required, client offers only anonymous.
  outcome r = drive_whole(password_policy(false), cat(greet_anon, req_smtp));
  CHECK(state::failed == r.st);
  CHECK(bytes({0x05, 0xff}) == r.out);
  STRCMP_EQUAL("no acceptable method", r.reason.c_str());
  // Password not configured, client offers only 0x02 (and GSSAPI): 0x00 was not offered.
  r = drive_whole(anonymous_policy(), cat(bytes{0x05, 0x02, 0x01, 0x02}, req_smtp));
  CHECK(state::failed == r.st);
  CHECK(bytes({0x05, 0xff}) == r.out);
  // Nothing enabled at all.
  method_policy none;
  none.anonymous = false;
  r = drive_whole(none, cat(greet_both, req_smtp));
  CHECK(bytes({0x05, 0xff}) == r.out);
  CHECK(negotiator::auth::none == r.by);
}

TEST(negotiator, request_without_sub_negotiation_is_refused) {
  // 0x02 was chosen; the client skips RFC 1929 and sends the request straight away.
  outcome r = drive_whole(password_policy(true), cat(greet_both, req_smtp));
  CHECK(state::failed == r.st);
  CHECK(bytes({0x05, 0x02}) == r.out);
  CHECK(negotiator::auth::none == r.by);
  LONGS_EQUAL(0, r.checks);
  LONGS_EQUAL(0, r.cmd);
  // A second greeting instead of credentials.
  r = drive_whole(password_policy(true), cat(greet_both, greet_anon));
  CHECK(state::failed == r.st);
  CHECK(bytes({0x05, 0x02}) == r.out);
}

TEST(negotiator, malformed_greetings_close_silently) {
  const bytes cases[] = {{0x04, 0x01, 0x00, 0x19, 127, 0, 0, 1, 0x00},
                         from_text("GET / HTTP/1.1\r\nHost: x\r\n\r\n"),
                         {0x05, 0x00}};
  for (std::size_t i = 0; i < 3; ++i) {
    const outcome r = drive_whole(password_policy(true), cases[i]);
    CHECK(state::failed == r.st);
    LONGS_EQUAL(0, r.out.size());
    check_split_invariance(password_policy(true), cases[i]);
  }
}

TEST(negotiator, pipelined_anonymous_with_payload) {
  const bytes payload = from_text("EHLO x\r\n");
  const outcome r = drive_whole(anonymous_policy(), cat(cat(greet_anon, req_name), payload));
  CHECK(state::request_ready == r.st);
  CHECK(payload == r.leftover);
  check_split_invariance(anonymous_policy(), cat(cat(greet_anon, req_name), payload));
}

TEST(negotiator, pipelined_password_with_payload) {
  const bytes payload = {0x05, 0x01, 0x00, 0x01};  // payload that looks like SOCKS stays payload
  const bytes in = cat(cat(cat(greet_both, auth_alice), req_smtp), payload);
  const outcome r = drive_whole(password_policy(true), in);
  CHECK(state::request_ready == r.st);
  CHECK(bytes({0x05, 0x02, 0x01, 0x00}) == r.out);
  CHECK(payload == r.leftover);
  check_split_invariance(password_policy(true), in);
}

TEST(negotiator, failing_flows_are_split_invariant) {
  check_split_invariance(password_policy(true), cat(cat(greet_both, auth_wrong), req_smtp));
  check_split_invariance(password_policy(true), cat(greet_both, req_smtp));
  check_split_invariance(password_policy(false), cat(greet_anon, req_smtp));
  bytes bad_rsv = req_smtp;
  bad_rsv[2] = 0x01;
  check_split_invariance(anonymous_policy(), cat(greet_anon, bad_rsv));
}

TEST(negotiator, unknown_command_is_left_to_the_caller) {
  bytes req = req_smtp;
  req[1] = 0x09;
  const outcome r = drive_whole(anonymous_policy(), cat(greet_anon, req));
  CHECK(state::request_ready == r.st);
  LONGS_EQUAL(0x09, r.cmd);
  CHECK(bytes({0x05, 0x00}) == r.out);
}

TEST(negotiator, reserved_byte_gets_general_failure) {
  bytes req = req_smtp;
  req[2] = 0x01;
  const outcome r = drive_whole(anonymous_policy(), cat(greet_anon, req));
  CHECK(state::failed == r.st);
  CHECK(cat(bytes{0x05, 0x00}, reply_with(0x01)) == r.out);
  CHECK(!r.reason.empty());
}

TEST(negotiator, empty_domain_gets_general_failure) {
  const bytes req = {0x05, 0x01, 0x00, 0x03, 0x00, 0x00, 0x19};
  const outcome r = drive_whole(anonymous_policy(), cat(greet_anon, req));
  CHECK(state::failed == r.st);
  CHECK(cat(bytes{0x05, 0x00}, reply_with(0x01)) == r.out);
}

TEST(negotiator, unknown_address_type_gets_0x08) {
  bytes req = req_smtp;
  req[3] = 0x02;
  const outcome r = drive_whole(anonymous_policy(), cat(greet_anon, req));
  CHECK(state::failed == r.st);
  CHECK(cat(bytes{0x05, 0x00}, reply_with(0x08)) == r.out);
  check_split_invariance(anonymous_policy(), cat(greet_anon, req));
}

TEST(negotiator, socks4_request_after_greeting_closes_without_reply) {
  const bytes socks4 = {0x04, 0x01, 0x00, 0x19, 127, 0, 0, 1, 0x00};
  const outcome r = drive_whole(anonymous_policy(), cat(greet_anon, socks4));
  CHECK(state::failed == r.st);
  CHECK(bytes({0x05, 0x00}) == r.out);
}

TEST(negotiator, nothing_is_consumed_after_the_end) {
  negotiator neg(anonymous_policy(), password_check());
  const bytes in = cat(cat(greet_anon, req_smtp), req_smtp);
  std::size_t used = 0;
  bytes out;
  CHECK(state::request_ready == neg.feed(in.data(), in.size(), used, out));
  LONGS_EQUAL(greet_anon.size() + req_smtp.size(), used);
  const bytes rest(req_smtp);
  CHECK(state::request_ready == neg.feed(rest.data(), rest.size(), used, out));
  LONGS_EQUAL(0, used);
  LONGS_EQUAL(2, out.size());

  negotiator bad(anonymous_policy(), password_check());
  const bytes junk = {0x04};
  CHECK(state::failed == bad.feed(junk.data(), junk.size(), used, out));
  CHECK(state::failed == bad.feed(in.data(), in.size(), used, out));
  LONGS_EQUAL(0, used);
  LONGS_EQUAL(2, out.size());
}
