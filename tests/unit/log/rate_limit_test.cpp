// SPDX-License-Identifier: GPL-2.0-or-later
// Tests for the rate limiter of lines a peer can cause: one line a second per cause, and a
// count of the lines held back in between.
#include "log/rate_limit.hpp"

#include <CppUTest/TestHarness.h>

using namespace tlsmux;

namespace {

typedef std::chrono::steady_clock clock_type;

clock_type::time_point at(int ms) { return clock_type::time_point() + std::chrono::milliseconds(ms + 100000); }

}  // namespace

TEST_GROUP(rate_limit){};

TEST(rate_limit, first_line_of_a_cause_goes_out) {
  log::rate_limiter r;
  std::uint64_t n = 99;
  CHECK_TRUE(r.admit("udp drop", at(0), n));
  UNSIGNED_LONGS_EQUAL(0, n);
}

TEST(rate_limit, a_flood_gives_one_line_a_second_with_the_count) {
  log::rate_limiter r;
  std::uint64_t n = 0;
  int out = 0;
  // 10,000 events over 5 s, one every 0.5 ms.
  for (int i = 0; i < 10000; ++i) {
    std::uint64_t s = 0;
    if (r.admit("udp drop", at(i / 2), s)) {
      ++out;
      n += s;
    }
  }
  CHECK_TRUE(out >= 5 && out <= 6);
  // Every event is either written or counted in a later line, except those after the last.
  CHECK_TRUE(n + out <= 10000);
  CHECK_TRUE(n + out >= 10000 - 2000);
}

TEST(rate_limit, causes_are_independent) {
  log::rate_limiter r;
  std::uint64_t n = 0;
  CHECK_TRUE(r.admit("a", at(0), n));
  CHECK_TRUE(r.admit("b", at(1), n));
  CHECK_FALSE(r.admit("a", at(2), n));
  CHECK_FALSE(r.admit("b", at(3), n));
}

TEST(rate_limit, the_next_line_reports_the_suppressed_ones) {
  log::rate_limiter r;
  std::uint64_t n = 0;
  CHECK_TRUE(r.admit("a", at(0), n));
  CHECK_FALSE(r.admit("a", at(10), n));
  CHECK_FALSE(r.admit("a", at(20), n));
  CHECK_FALSE(r.admit("a", at(999), n));
  CHECK_TRUE(r.admit("a", at(1000), n));
  UNSIGNED_LONGS_EQUAL(3, n);
  CHECK_TRUE(r.admit("a", at(5000), n));
  UNSIGNED_LONGS_EQUAL(0, n);
}
