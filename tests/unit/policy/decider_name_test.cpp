// SPDX-License-Identifier: GPL-2.0-or-later
// The decider on DOMAINNAME requests (expose = local): threats T1, T2, T8 and T21.
#include "policy_harness.hpp"

#include <asio/error.hpp>
#include <string>
#include <vector>

#include <CppUTest/TestHarness.h>

using namespace policy_test;
using tlsmux::socks5::reply_code;

TEST_GROUP(decider_name) {
  harness h;

  // A name the fake resolves to literals; returns the verdict for port 25.
  verdict resolve_to(const std::string& name, const std::vector<std::string>& answer) {
    h.names.answer(answer);
    return h.decide(to_name(name, 25));
  }
};

TEST(decider_name, resolves_once_and_connects_to_the_result) {
  verdict v = resolve_to("localhost", {"127.0.0.1"});
  CHECK(v.allowed);
  STRCMP_EQUAL("127.0.0.1:25", only_target(v).c_str());
  LONGS_EQUAL(1, h.names.calls);
  STRCMP_EQUAL("localhost", h.names.names[0].c_str());
  LONGS_EQUAL(1, h.done_calls);
}

TEST(decider_name, numeric_names_are_judged_by_their_binary_result) {
  // glibc turns these strings into addresses; only the binary result may decide (T2).
  CHECK(resolve_to("127.1", {"127.0.0.1"}).allowed);
  CHECK(resolve_to("2130706433", {"127.0.0.1"}).allowed);
  CHECK(resolve_to("0x7f.1", {"127.0.0.1"}).allowed);
  verdict v = resolve_to("0x0a000001", {"10.0.0.1"});
  CHECK_FALSE(v.allowed);
  CHECK(v.code == reply_code::not_allowed);
  v = resolve_to("0", {"0.0.0.0"});
  CHECK_FALSE(v.allowed);
  STRCMP_EQUAL("'0' has no local address (0.0.0.0 is unspecified)", v.reason.c_str());
  CHECK_FALSE(resolve_to("::ffff:10.0.0.1", {"::ffff:10.0.0.1"}).allowed);
  v = resolve_to("::ffff:127.0.0.1", {"::ffff:127.0.0.1"});
  CHECK(v.allowed);
  STRCMP_EQUAL("127.0.0.1:25", only_target(v).c_str());
  LONGS_EQUAL(7, h.names.calls);
}

TEST(decider_name, mixed_answer_keeps_only_the_local_subset_in_order) {
  verdict v = resolve_to("mixed.example", {"127.0.0.1", "10.0.0.5"});
  CHECK(v.allowed);
  STRCMP_EQUAL("127.0.0.1:25", only_target(v).c_str());
  v = resolve_to("mixed2.example", {"10.0.0.5", "::1", "169.254.169.254", "192.0.2.10",
                                    "::ffff:127.0.0.1"});
  CHECK(v.allowed);
  LONGS_EQUAL(3, v.targets.size());
  CHECK(v.targets[0].address() == ip("::1"));
  CHECK(v.targets[1].address() == ip("192.0.2.10"));
  CHECK(v.targets[2].address() == ip("127.0.0.1"));
}

TEST(decider_name, duplicate_answers_become_one_target) {
  verdict v = resolve_to("dup.example", {"127.0.0.1", "::ffff:127.0.0.1", "127.0.0.1"});
  CHECK(v.allowed);
  STRCMP_EQUAL("127.0.0.1:25", only_target(v).c_str());
}

TEST(decider_name, rebinding_resolver_is_asked_exactly_once) {
  h.names.answer({"127.0.0.1"});
  h.names.answer({"10.0.0.5"});  // what a second lookup would return
  verdict v = h.decide(to_name("rebind.test", 25));
  CHECK(v.allowed);
  LONGS_EQUAL(1, h.names.calls);
  LONGS_EQUAL(1, v.targets.size());
  CHECK(v.targets[0].address() == ip("127.0.0.1"));
  // The next request resolves anew and is judged on its own answer.
  v = h.decide(to_name("rebind.test", 25));
  CHECK_FALSE(v.allowed);
  LONGS_EQUAL(2, h.names.calls);
}

TEST(decider_name, all_non_local_answer_is_0x02) {
  verdict v = resolve_to("evil.example", {"10.0.0.5", "2001:db8::99"});
  CHECK_FALSE(v.allowed);
  CHECK(v.code == reply_code::not_allowed);
  CHECK(v.targets.empty());
  STRCMP_EQUAL("'evil.example' has no local address (10.0.0.5 is not a local address)",
               v.reason.c_str());
  CHECK_FALSE(resolve_to("ll.example", {"fe80::1", "169.254.1.1"}).allowed);
  CHECK_FALSE(resolve_to("nat64.example", {"64:ff9b::7f00:1"}).allowed);
}

TEST(decider_name, resolution_failure_is_0x04) {
  h.names.fail(asio::error::host_not_found);
  verdict v = h.decide(to_name("nxdomain.example", 25));
  CHECK_FALSE(v.allowed);
  CHECK(v.code == reply_code::host_unreachable);
  CHECK(v.targets.empty());
  CHECK(v.reason.find("cannot resolve 'nxdomain.example'") == 0);
  v = resolve_to("empty.example", {});
  CHECK_FALSE(v.allowed);
  CHECK(v.code == reply_code::host_unreachable);
}

TEST(decider_name, malformed_names_are_refused_without_resolution) {
  const std::string bad[] = {std::string("127.0.0.1\0.example.com", 22),
                             "evil host",
                             "localhost ",
                             "a\r\nInjected: log line",
                             "\x1b[31mred",
                             "[::1]",
                             "fe80::1%eth0",
                             std::string(256, 'a'),
                             "caf\xc3\xa9"};
  h.names.answer({"127.0.0.1"});
  for (std::size_t i = 0; i < sizeof bad / sizeof bad[0]; ++i) {
    verdict v = h.decide(to_name(bad[i], 25));
    CHECK_FALSE(v.allowed);
    CHECK(v.code == reply_code::not_allowed);
    // The reason keeps the name as sent; the session line escapes it (text/log_fields.hpp).
    CHECK(v.reason == "'" + bad[i] + "' is not a plain host name");
  }
  LONGS_EQUAL(0, h.names.calls);
}

TEST(decider_name, longest_name_is_resolved) {
  CHECK(resolve_to(std::string(255, 'a'), {"127.0.0.1"}).allowed);
  LONGS_EQUAL(1, h.names.calls);
}

TEST(decider_name, own_port_and_port_zero_are_refused_before_resolution) {
  h.names.answer({"127.0.0.1"});
  verdict v = h.decide(to_name("localhost", own_port));
  CHECK_FALSE(v.allowed);
  STRCMP_EQUAL("port 4430 is tlsmux itself", v.reason.c_str());
  v = h.decide(to_name("localhost", 0));
  CHECK_FALSE(v.allowed);
  LONGS_EQUAL(0, h.names.calls);
}

TEST(decider_name, addresses_are_read_after_resolution) {
  h.names.deferred = true;
  h.names.answer({"192.0.2.99"});
  tlsmux::policy::decider d(h.r, h.local, h.names);
  int calls = 0;
  verdict out;
  d.decide(to_name("new.example", 25), h.facts, [&](const verdict& v) {
    ++calls;
    out = v;
  });
  LONGS_EQUAL(0, calls);
  h.local.list.push_back(ip("192.0.2.99"));  // assigned while the lookup ran
  h.names.complete();
  LONGS_EQUAL(1, calls);
  CHECK(out.allowed);
  STRCMP_EQUAL("192.0.2.99:25", only_target(out).c_str());
}

TEST(decider_name, done_runs_once_even_if_the_resolver_misbehaves) {
  h.names.deferred = true;
  h.names.answer({"127.0.0.1"});
  int calls = 0;
  {
    // The decider may be gone when the answer arrives: the handler must not need it.
    tlsmux::policy::decider d(h.r, h.local, h.names);
    d.decide(to_name("late.example", 25), h.facts, [&](const verdict&) { ++calls; });
  }
  h.names.complete(true);
  LONGS_EQUAL(1, calls);
  LONGS_EQUAL(1, h.names.calls);
}
