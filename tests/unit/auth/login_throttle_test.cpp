// SPDX-License-Identifier: GPL-2.0-or-later
// auth::login_throttle with a hand-moved clock: table tests of login sequences.
#include "auth/login_throttle.hpp"

#include <string>
#include <vector>

#include <CppUTest/TestHarness.h>

using tlsmux::auth::login_throttle;

namespace {

typedef login_throttle::stamp stamp;

stamp s(long n) { return std::chrono::seconds(n); }

std::string v4(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d) {
  const std::uint8_t bytes[4] = {a, b, c, d};
  return login_throttle::key(bytes, sizeof bytes);
}

std::string v6(std::uint8_t net, std::uint8_t host) {
  std::uint8_t bytes[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, net, 0, 0, 0, 0, 0, 0, 0, host};
  return login_throttle::key(bytes, sizeof bytes);
}

login_throttle::limits make_limits(std::size_t prefix, std::size_t user, long lockout_s) {
  login_throttle::limits l;
  l.prefix_failures = prefix;
  l.user_failures = user;
  l.lockout = s(lockout_s);
  return l;
}

// One step of a table: at second `at`, `user` from `prefix` tries a password that is
// right (ok) or not; `checked` says whether the throttle let it be checked.
struct step {
  long at;
  std::string prefix, user;
  bool ok, checked;
};

// Runs the steps and returns the index of the first that did not go as the table says, or -1.
int play(login_throttle& t, const std::vector<step>& steps) {
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const step& x = steps[i];
    const bool checked = t.begin(x.prefix, x.user, s(x.at)) == stamp(0);
    if (checked != x.checked) return static_cast<int>(i);
    if (checked) t.finish(x.prefix, x.user, x.ok, s(x.at));
  }
  return -1;
}

const std::string a1 = v4(192, 0, 2, 1), a2 = v4(192, 0, 2, 2);

}  // namespace

TEST_GROUP(login_throttle){};

// Issue 13, finding 3: four wrong guesses for bob, one good login as alice, repeated.
TEST(login_throttle, good_logins_of_another_user_do_not_reset_the_guesses) {
  login_throttle t(make_limits(5, 0, 60));
  std::vector<step> steps;
  long at = 0;
  for (int round = 0; round < 10; ++round) {
    for (int i = 0; i < 4; ++i) {
      const bool checked = round * 4 + i < 5;  // the fifth guess for bob locks the prefix
      steps.push_back(step{at++, a1, "bob", false, checked});
    }
    steps.push_back(step{at++, a1, "alice", true, round == 0});
  }
  LONGS_EQUAL(-1, play(t, steps));
}

TEST(login_throttle, a_good_login_takes_back_only_its_own_failures) {
  login_throttle t(make_limits(5, 0, 60));
  const std::vector<step> steps = {
      {0, a1, "alice", false, true}, {1, a1, "alice", false, true}, {2, a1, "alice", false, true},
      {3, a1, "bob", false, true},   {4, a1, "alice", true, true},  // alice's three taken back
      {5, a1, "bob", false, true},   {6, a1, "bob", false, true},   {7, a1, "bob", false, true},
      {8, a1, "bob", false, true},  // bob's fifth: locked
      {9, a1, "alice", true, false}, {67, a1, "alice", true, false},  // 59 s after the last failure
      {68, a1, "alice", true, true}};                                    // 60 s after it
  LONGS_EQUAL(-1, play(t, steps));
}

TEST(login_throttle, user_names_count_over_all_prefixes) {
  login_throttle t(make_limits(5, 3, 60));
  const std::vector<step> steps = {{0, a1, "bob", false, true},  {1, a2, "bob", false, true},
                                   {2, v6(1, 1), "bob", false, true}, {3, v6(2, 1), "bob", true, false},
                                   {3, v6(2, 1), "alice", true, true}, {62, a2, "bob", true, true}};
  LONGS_EQUAL(-1, play(t, steps));
}

TEST(login_throttle, locked_out_says_how_long) {
  login_throttle t(make_limits(2, 0, 60));
  CHECK(t.begin(a1, "bob", s(0)) == stamp(0));
  LONGS_EQUAL(login_throttle::locked_none, t.finish(a1, "bob", false, s(0)));
  CHECK(t.begin(a1, "bob", s(10)) == stamp(0));
  LONGS_EQUAL(login_throttle::locked_prefix, t.finish(a1, "bob", false, s(10)));
  CHECK(t.begin(a1, "carol", s(25)) == s(45));
  CHECK(t.begin(a1, "carol", s(69)) == s(1));
  CHECK(t.begin(a1, "carol", s(70)) == stamp(0));
}

TEST(login_throttle, parallel_attempts_are_counted_before_they_are_checked) {
  login_throttle t(make_limits(3, 0, 60));
  int started = 0;
  for (int i = 0; i < 10; ++i)
    if (t.begin(a1, "bob", s(0)) == stamp(0)) ++started;
  LONGS_EQUAL(3, started);
}

TEST(login_throttle, refused_attempts_do_not_extend_the_lockout) {
  login_throttle t(make_limits(1, 0, 10));
  std::vector<step> steps = {{0, a1, "bob", false, true}};
  for (long i = 1; i < 10; ++i) steps.push_back(step{i, a1, "bob", false, false});
  steps.push_back(step{10, a1, "bob", true, true});
  LONGS_EQUAL(-1, play(t, steps));
}

TEST(login_throttle, addresses_count_apart_and_ipv6_per_64) {
  login_throttle t(make_limits(1, 0, 60));
  const std::vector<step> steps = {{0, a1, "x", false, true},        {0, a1, "x", true, false},
                                   {0, a2, "x", true, true},         {0, v6(1, 1), "x", false, true},
                                   {0, v6(1, 200), "y", true, false}, {0, v6(2, 1), "y", true, true}};
  LONGS_EQUAL(-1, play(t, steps));
}

TEST(login_throttle, zero_limits_turn_it_off) {
  login_throttle t(make_limits(0, 0, 60));
  for (int i = 0; i < 100; ++i) {
    CHECK(t.begin(a1, "bob", s(0)) == stamp(0));
    t.finish(a1, "bob", false, s(0));
  }
  LONGS_EQUAL(0, t.size());
}

TEST(login_throttle, a_reload_keeps_the_counts_and_takes_the_new_limit) {
  login_throttle t(make_limits(5, 0, 60));
  LONGS_EQUAL(-1, play(t, {{0, a1, "bob", false, true}, {0, a1, "bob", false, true}}));
  t.configure(make_limits(2, 0, 60));
  LONGS_EQUAL(-1, play(t, {{1, a1, "bob", true, false}}));
}

TEST(login_throttle, memory_is_bounded_and_the_longest_quiet_counter_goes_first) {
  login_throttle t(make_limits(1, 0, 60), 6);  // two counters per failure: prefix and pair
  LONGS_EQUAL(-1, play(t, {{0, v4(192, 0, 2, 1), "x", false, true}, {1, v4(192, 0, 2, 2), "x", false, true},
                          {2, v4(192, 0, 2, 3), "x", false, true}, {3, v4(192, 0, 2, 4), "x", false, true}}));
  CHECK(t.size() <= 6);
  LONGS_EQUAL(-1, play(t, {{4, v4(192, 0, 2, 1), "x", true, true}, {4, v4(192, 0, 2, 4), "x", true, false}}));
}

TEST(login_throttle, the_state_survives_save_and_load_and_torn_text) {
  login_throttle t(make_limits(2, 0, 60));
  LONGS_EQUAL(-1, play(t, {{0, a1, "b\no b", false, true}, {1, a1, "b\no b", false, true}}));
  login_throttle u(make_limits(2, 0, 60));
  u.load(t.save() + "zz 1 2 0\n70 1\n");
  LONGS_EQUAL(t.size(), u.size());
  CHECK(u.begin(a1, "carol", s(2)) == s(59));
  login_throttle v(make_limits(2, 0, 60));
  v.load(t.save().substr(0, 7));
  CHECK(v.begin(a1, "carol", s(2)) == stamp(0));
}
