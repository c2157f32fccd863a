// SPDX-License-Identifier: GPL-2.0-or-later
// server::session_table and plan_capacity, table-driven, with ints standing in for sessions.
#include "server/session_table.hpp"

#include <string>
#include <vector>

#include <CppUTest/TestHarness.h>

using namespace tlsmux::server;

namespace {

typedef session_table<int> table;

client_key client(int n) {
  static const char* const addresses[] = {"192.0.2.1", "192.0.2.2", "2001:db8::1", "::ffff:192.0.2.1",
                                          "198.51.100.7"};
  return client_key::of(asio::ip::make_address(addresses[n]));
}

enum op { check, add, drop, extra, unextra, drain };

// One step of a scenario: `arg` is a client (check, add, extra, unextra) or the number of an
// earlier add (drop); `expect` is an admission (check), a bool (extra, drain, drop: the
// table is now empty) and unused for add and unextra; `open` is the size afterwards.
struct step {
  op what;
  int arg;
  int expect;
  std::size_t open;
};

const int yes = 1, no = 0, any = -1;
const int admitted = static_cast<int>(admission::admitted);
const int shutting_down = static_cast<int>(admission::shutting_down);
const int session_limit = static_cast<int>(admission::session_limit);
const int client_limit = static_cast<int>(admission::client_limit);

session_limits limits(std::size_t sessions, std::size_t per_client, std::size_t extras) {
  session_limits l;
  l.sessions = sessions;
  l.per_client = per_client;
  l.extra_sockets = extras;
  l.extra_per_client = extras;
  l.startups = sessions;  // startups: startup_table_test.cpp
  l.startups_per_client = per_client;
  return l;
}

void play(table& t, const step* steps, std::size_t n) {
  std::vector<std::shared_ptr<int> > added;
  for (std::size_t i = 0; i < n; ++i) {
    const step& s = steps[i];
    const std::string where = "step " + std::to_string(i);
    int got = any;
    switch (s.what) {
      case check: got = static_cast<int>(t.check(client(s.arg))); break;
      case add:
        added.push_back(std::make_shared<int>(s.arg));
        t.add(added.back(), client(s.arg), 0);
        t.negotiated(added.back().get());  // a working session (startups: startup_table_test.cpp)
        break;
      case drop: {
        table::removal r = t.remove(added[s.arg].get());
        CHECK_TEXT(r.member == added[s.arg], where.c_str());
        got = r.last ? yes : no;
        break;
      }
      case extra: got = t.acquire_extra(client(s.arg)) ? yes : no; break;
      case unextra: t.release_extra(client(s.arg)); break;
      case drain: got = t.begin_drain() ? yes : no; break;
    }
    if (s.expect != any) LONGS_EQUAL_TEXT(s.expect, got, where.c_str());
    LONGS_EQUAL_TEXT(s.open, t.size(), where.c_str());
  }
}

}  // namespace

TEST_GROUP(session_table) {};

TEST(session_table, admits_up_to_the_caps_and_again_after_a_release) {
  table t;
  t.set_limits(limits(3, 2, 0));
  const step steps[] = {
      {check, 0, admitted, 0},      {add, 0, any, 1},
      {check, 0, admitted, 1},      {add, 0, any, 2},
      {check, 0, client_limit, 2},  // client 0 holds its two
      {check, 1, admitted, 2},      {add, 1, any, 3},
      {check, 1, session_limit, 3}, {check, 2, session_limit, 3},  // all three taken
      {drop, 1, no, 2},                                            // one of client 0's
      {check, 0, admitted, 2},      {check, 2, admitted, 2},
      {drop, 0, no, 1},             {drop, 2, yes, 0},
      {check, 0, admitted, 0},
  };
  play(t, steps, sizeof steps / sizeof steps[0]);
  LONGS_EQUAL(0, t.count_of(client(0)));
}

TEST(session_table, counts_each_client_key_apart) {
  table t;
  t.set_limits(limits(10, 1, 0));
  const step steps[] = {
      {add, 0, any, 1},          {check, 0, client_limit, 1},
      {check, 1, admitted, 1},   {check, 2, admitted, 1},
      {check, 3, client_limit, 1},  // IPv4-mapped IPv6 counts as the IPv4 address
      {add, 2, any, 2},          {check, 2, client_limit, 2},
  };
  play(t, steps, sizeof steps / sizeof steps[0]);
}

TEST(session_table, a_reload_changes_the_caps_for_new_sessions_only) {
  table t;
  t.set_limits(limits(2, 2, 0));
  const step before[] = {{add, 0, any, 1}, {add, 0, any, 2}, {check, 1, session_limit, 2}};
  play(t, before, sizeof before / sizeof before[0]);
  t.set_limits(limits(1, 1, 0));
  LONGS_EQUAL(2, t.size());
  LONGS_EQUAL(static_cast<int>(admission::session_limit), static_cast<int>(t.check(client(1))));
}

TEST(session_table, the_extra_socket_reserve_is_shared_by_all_clients) {
  table t;
  t.set_limits(limits(10, 10, 2));
  const step steps[] = {
      {extra, 0, yes, 0}, {extra, 1, yes, 0}, {extra, 0, no, 0}, {extra, 2, no, 0},
      {unextra, 1, any, 0}, {extra, 2, yes, 0}, {extra, 1, no, 0},
      {unextra, 0, any, 0}, {unextra, 2, any, 0}, {unextra, 2, any, 0},  // one too many
      {extra, 0, yes, 0}, {extra, 0, yes, 0}, {extra, 0, no, 0},
  };
  play(t, steps, sizeof steps / sizeof steps[0]);
  LONGS_EQUAL(2, t.extra_in_use());
}

// Issue 13, finding 5: one client used to take the whole reserve with idle associations.
TEST(session_table, a_client_holds_at_most_its_share_of_the_reserve) {
  table t;
  session_limits l = limits(10, 10, 6);
  l.extra_per_client = 2;
  t.set_limits(l);
  const step steps[] = {
      {extra, 0, yes, 0}, {extra, 0, yes, 0}, {extra, 0, no, 0}, {extra, 0, no, 0},
      {extra, 1, yes, 0}, {extra, 1, yes, 0}, {extra, 1, no, 0},
      {extra, 2, yes, 0}, {unextra, 0, any, 0}, {extra, 0, yes, 0}, {extra, 0, no, 0},
      {unextra, 4, any, 0},  // holds none: changes nothing
      {extra, 2, yes, 0}, {extra, 4, no, 0},  // the reserve (6) is used up
  };
  play(t, steps, sizeof steps / sizeof steps[0]);
  LONGS_EQUAL(6, t.extra_in_use());
}

TEST(session_table, no_reserve_means_no_extra_socket) {
  table t;
  t.set_limits(limits(10, 10, 0));
  const step steps[] = {{extra, 0, no, 0}};
  play(t, steps, sizeof steps / sizeof steps[0]);
}

TEST(session_table, a_drain_refuses_new_sessions_and_ends_with_the_last_one) {
  table t;
  t.set_limits(limits(10, 10, 0));
  const step steps[] = {
      {add, 0, any, 1}, {add, 1, any, 2},
      {drain, 0, yes, 2}, {drain, 0, no, 2},  // only the first call starts it
      {check, 2, shutting_down, 2},
      {drop, 0, no, 1},
  };
  play(t, steps, sizeof steps / sizeof steps[0]);
  CHECK_TRUE(t.draining());
  CHECK_FALSE(t.drained());
  t.remove(nullptr);  // not a member: nothing changes
  LONGS_EQUAL(1, t.size());
  std::vector<table::member_ptr> left = t.members();
  LONGS_EQUAL(1, left.size());
  CHECK_TRUE(t.remove(left[0].get()).last);
  CHECK_TRUE(t.drained());
}

TEST(session_table, new_sessions_go_to_the_least_loaded_loop) {
  table t;
  t.set_loops(3);
  LONGS_EQUAL(0, t.least_loaded_loop());
  std::shared_ptr<int> a = std::make_shared<int>(0), b = std::make_shared<int>(1), c = std::make_shared<int>(2);
  t.set_limits(limits(10, 10, 0));
  t.add(a, client(0), 0);
  LONGS_EQUAL(1, t.least_loaded_loop());
  t.add(b, client(0), 1);
  LONGS_EQUAL(2, t.least_loaded_loop());
  t.add(c, client(0), 2);
  LONGS_EQUAL(0, t.least_loaded_loop());
  t.remove(b.get());
  LONGS_EQUAL(1, t.least_loaded_loop());
  std::vector<std::size_t> loads = t.loop_loads();
  LONGS_EQUAL(3, loads.size());
  LONGS_EQUAL(1, loads[0]);
  LONGS_EQUAL(0, loads[1]);
  LONGS_EQUAL(1, loads[2]);
}

TEST_GROUP(plan_capacity) {};

TEST(plan_capacity, two_descriptors_a_session_after_the_reserves) {
  struct row {
    std::size_t descriptors, threads;
    bool extras;
    std::size_t max_sessions;
    std::size_t sessions, extra_sockets;
    bool clipped;
    std::size_t extra_per_client;
  };
  const row rows[] = {
      {1024, 1, false, 0, 496, 0, false, 0},    // (1024 - 32) / 2
      {1024, 1, true, 0, 464, 64, false, 8},    // 64 extra sockets for UDP and BIND, 8 a client
      {1024, 4, false, 0, 490, 0, false, 0},    // 4 descriptors per extra loop
      {64, 1, true, 0, 20, 8, false, 2},        // ulimit -n 64: reserves scale down to 1/4 and 1/8
      {1024, 1, false, 100, 100, 0, false, 0},  // max-sessions below what the descriptors allow
      {1024, 1, false, 1000, 496, 0, true, 0},  // and above: lowered
      {4, 1, false, 0, 1, 0, false, 0},
      {2, 1, false, 0, 1, 0, false, 0},  // never below one
  };
  for (std::size_t i = 0; i < sizeof rows / sizeof rows[0]; ++i) {
    const row& r = rows[i];
    const std::string where = "row " + std::to_string(i);
    capacity_inputs in;
    in.descriptors = r.descriptors;
    in.threads = r.threads;
    in.extra_sockets = r.extras;
    in.max_sessions = r.max_sessions;
    in.per_client = 7;
    bool clipped = !r.clipped;
    session_limits l = plan_capacity(in, clipped);
    LONGS_EQUAL_TEXT(r.sessions, l.sessions, where.c_str());
    LONGS_EQUAL_TEXT(r.extra_sockets, l.extra_sockets, where.c_str());
    LONGS_EQUAL_TEXT(7, l.per_client, where.c_str());
    if (r.extras) LONGS_EQUAL_TEXT(r.extra_per_client, l.extra_per_client, where.c_str());
    CHECK_EQUAL_TEXT(r.clipped, clipped, where.c_str());
  }
}

// Found by abuse/fd_exhaustion.sh: under ulimit -n 64 four waiting refusals on top of 24
// relayed sessions and the server's own 13 descriptors hit EMFILE, and the acceptor stopped.
TEST(plan_capacity, refusals_wait_only_when_the_reserve_has_room) {
  const std::size_t descriptors[] = {1024, 4096, 64, 100};
  const std::size_t waiting[] = {8, 8, 0, 0};
  for (std::size_t i = 0; i < 4; ++i) {
    capacity_inputs in;
    in.descriptors = descriptors[i];
    bool clipped = false;
    LONGS_EQUAL_TEXT(waiting[i], plan_capacity(in, clipped).refusals_waiting,
                     std::to_string(descriptors[i]).c_str());
  }
}

TEST(plan_capacity, every_refusal_has_a_text) {
  STRCMP_EQUAL("session limit reached", admission_text(admission::session_limit));
  STRCMP_EQUAL("per-client session limit reached", admission_text(admission::client_limit));
  STRCMP_EQUAL("shutting down", admission_text(admission::shutting_down));
  STRCMP_EQUAL("per-client startup limit reached", admission_text(admission::startup_limit));
}
