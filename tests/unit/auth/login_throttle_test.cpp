// SPDX-License-Identifier: GPL-2.0-or-later
// auth::login_throttle with a hand-moved clock.
#include "auth/login_throttle.hpp"

#include <string>

#include <CppUTest/TestHarness.h>

using tlsmux::auth::login_throttle;

namespace {

typedef login_throttle::clock clock;

std::string v4(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d) {
  const std::uint8_t bytes[4] = {a, b, c, d};
  return login_throttle::key(bytes, sizeof bytes);
}

std::string v6(std::uint8_t net, std::uint8_t host) {
  std::uint8_t bytes[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, net, 0, 0, 0, 0, 0, 0, 0, host};
  return login_throttle::key(bytes, sizeof bytes);
}

}  // namespace

TEST_GROUP(login_throttle) {
  clock::time_point t0 = clock::time_point() + std::chrono::hours(1);
  std::chrono::seconds s(long n) { return std::chrono::seconds(n); }
};

TEST(login_throttle, locks_after_the_failures_in_a_row_until_the_lockout_has_passed) {
  login_throttle t(3, s(60));
  const std::string a = v4(192, 0, 2, 1);
  for (int i = 0; i < 3; ++i) {
    CHECK(t.allowed(a, t0 + s(i)));
    CHECK_EQUAL(i == 2, t.failed(a, t0 + s(i)));  // the third one locks it, once
  }
  CHECK_FALSE(t.allowed(a, t0 + s(3)));
  CHECK_FALSE(t.allowed(a, t0 + s(61)));  // 59 s after the last failure
  CHECK(t.allowed(a, t0 + s(62)));        // 60 s after it
  t.failed(a, t0 + s(62));                // counting starts again
  CHECK(t.allowed(a, t0 + s(63)));
}

TEST(login_throttle, refused_attempts_do_not_extend_the_lockout) {
  login_throttle t(1, s(10));
  const std::string a = v4(192, 0, 2, 1);
  t.failed(a, t0);
  for (int i = 1; i < 10; ++i) CHECK_FALSE(t.allowed(a, t0 + s(i)));
  CHECK(t.allowed(a, t0 + s(10)));
}

TEST(login_throttle, a_good_password_starts_the_address_again) {
  login_throttle t(2, s(60));
  const std::string a = v4(192, 0, 2, 1);
  t.failed(a, t0);
  t.succeeded(a);
  t.failed(a, t0 + s(1));
  CHECK(t.allowed(a, t0 + s(2)));
  LONGS_EQUAL(1, t.size());
}

TEST(login_throttle, addresses_count_apart_and_ipv6_per_64) {
  login_throttle t(1, s(60));
  t.failed(v4(192, 0, 2, 1), t0);
  CHECK_FALSE(t.allowed(v4(192, 0, 2, 1), t0));
  CHECK(t.allowed(v4(192, 0, 2, 2), t0));
  t.failed(v6(1, 1), t0);
  CHECK_FALSE(t.allowed(v6(1, 200), t0));  // same /64
  CHECK(t.allowed(v6(2, 1), t0));          // next /64
}

TEST(login_throttle, zero_failures_turns_it_off) {
  login_throttle t(0, s(60));
  const std::string a = v4(192, 0, 2, 1);
  for (int i = 0; i < 100; ++i) t.failed(a, t0);
  CHECK(t.allowed(a, t0));
  LONGS_EQUAL(0, t.size());
}

TEST(login_throttle, a_reload_keeps_the_counts_and_takes_the_new_limit) {
  login_throttle t(5, s(60));
  const std::string a = v4(192, 0, 2, 1);
  t.failed(a, t0);
  t.failed(a, t0);
  CHECK(t.allowed(a, t0));
  t.configure(2, s(60));
  CHECK_FALSE(t.allowed(a, t0));
}

TEST(login_throttle, memory_is_bounded_and_the_longest_quiet_address_goes_first) {
  login_throttle t(1, s(60), 3);
  t.failed(v4(192, 0, 2, 1), t0);
  t.failed(v4(192, 0, 2, 2), t0 + s(1));
  t.failed(v4(192, 0, 2, 3), t0 + s(2));
  t.failed(v4(192, 0, 2, 4), t0 + s(3));
  LONGS_EQUAL(3, t.size());
  CHECK(t.allowed(v4(192, 0, 2, 1), t0 + s(4)));  // forgotten
  CHECK_FALSE(t.allowed(v4(192, 0, 2, 2), t0 + s(4)));
  CHECK_FALSE(t.allowed(v4(192, 0, 2, 4), t0 + s(4)));
  // Expired entries make room before a live one is forgotten.
  t.failed(v4(192, 0, 2, 5), t0 + s(62));  // .2 expired at t0 + 61 s, .3 at 62 s
  CHECK_FALSE(t.allowed(v4(192, 0, 2, 4), t0 + s(62)));
  CHECK_FALSE(t.allowed(v4(192, 0, 2, 5), t0 + s(62)));
}
