// SPDX-License-Identifier: GPL-2.0-or-later
// server::session_table's startup budget (connections not yet through TLS and SOCKS) and
// its client networks, table-driven, with ints standing in for sessions.
#include "server/session_table.hpp"

#include <string>
#include <vector>

#include <CppUTest/TestHarness.h>

using namespace tlsmux::server;

namespace {

typedef session_table<int> table;

// Clients 0-2 are IPv4 hosts, 3 and 4 two addresses of one IPv6 /64, 5 another /64 of the
// same /48, 6 the IPv4-mapped spelling of client 0.
client_key client(int n) {
  static const char* const addresses[] = {"192.0.2.1",          "192.0.2.2",   "198.51.100.9",
                                          "2001:db8:0:1::1",    "2001:db8:0:1:ffff:1:2:3",
                                          "2001:db8:0:2::1",    "::ffff:192.0.2.1"};
  return client_key::of(asio::ip::make_address(addresses[n]));
}

// start: a connection of client `arg` asks to be admitted (admit) and, if admitted, is added
// as a startup; `expect` is the admission, `victim` the number of the earlier session the
// table chose to drop (or `nobody`). negotiate: session `arg` finished TLS and SOCKS; expect
// says whether the table still counted it. finish: session `arg` ends (remove).
enum op { start, negotiate, finish };

struct step {
  op what;
  int arg;
  int expect;
  int victim;
  std::size_t counted_startups;
};

const int nobody = -1, yes = 1, no = 0;
const int admitted = static_cast<int>(admission::admitted);
const int session_limit = static_cast<int>(admission::session_limit);
const int client_limit = static_cast<int>(admission::client_limit);
const int startup_limit = static_cast<int>(admission::startup_limit);

session_limits limits(std::size_t sessions, std::size_t per_client, std::size_t startups,
                      std::size_t startups_per_client) {
  session_limits l;
  l.sessions = sessions;
  l.per_client = per_client;
  l.startups = startups;
  l.startups_per_client = startups_per_client;
  return l;
}

struct player {
  table t;
  std::vector<std::shared_ptr<int> > sessions;  ///< every admitted one, in order

  int number_of(const table::member_ptr& m) const {
    for (std::size_t i = 0; i < sessions.size(); ++i)
      if (sessions[i] == m) return static_cast<int>(i);
    return nobody;
  }

  void play(const step* steps, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) {
      const step& s = steps[i];
      const std::string where = "step " + std::to_string(i);
      switch (s.what) {
        case start: {
          LONGS_EQUAL_TEXT(s.expect, static_cast<int>(t.check(client(s.arg))), where.c_str());
          table::answer a = t.admit(client(s.arg));
          LONGS_EQUAL_TEXT(s.expect, static_cast<int>(a.verdict), where.c_str());
          LONGS_EQUAL_TEXT(s.victim, number_of(a.victim), where.c_str());
          CHECK_TEXT((a.why != nullptr) == (s.victim != nobody), where.c_str());
          if (a.verdict == admission::admitted) {
            sessions.push_back(std::make_shared<int>(s.arg));
            t.add(sessions.back(), client(s.arg), 0);
          }
          break;
        }
        case negotiate:
          LONGS_EQUAL_TEXT(s.expect, t.negotiated(sessions[s.arg].get()) ? yes : no, where.c_str());
          break;
        case finish:
          CHECK_TEXT(t.remove(sessions[s.arg].get()).member == sessions[s.arg], where.c_str());
          break;
      }
      LONGS_EQUAL_TEXT(s.counted_startups, t.startups(), where.c_str());
    }
  }
};

#define PLAY(p, steps) (p).play(steps, sizeof steps / sizeof steps[0])

}  // namespace

TEST_GROUP(startup_table) {};

// A full budget drops the oldest startup of the client holding the most, never refuses.
TEST(startup_table, a_full_budget_drops_the_oldest_startup_of_the_biggest_client) {
  player p;
  p.t.set_limits(limits(100, 100, 4, 3));
  const step steps[] = {
      {start, 0, admitted, nobody, 1},    // #0
      {start, 0, admitted, nobody, 2},    // #1
      {start, 0, admitted, nobody, 3},    // #2
      {start, 0, startup_limit, nobody, 3},  // client 0 holds its three
      {start, 1, admitted, nobody, 4},    // #3: the budget is full now
      {start, 2, admitted, 0, 4},         // #4, client 0 holds the most: its oldest goes
      {start, 1, admitted, 1, 4},         // #5: client 0 still holds the most (2)
      {finish, 0, 0, 0, 4},                // the dropped one closes: nothing counted twice
      {finish, 1, 0, 0, 4},
      {start, 2, admitted, 3, 4},         // #6: now client 1 holds the most (#3, #5)
  };
  PLAY(p, steps);
  LONGS_EQUAL(3, p.t.dropped_startups());
  LONGS_EQUAL(5, p.t.size());  // #0 and #1 removed; #3 dropped but still open
}

// Negotiated sessions are never dropped: with none left to drop, the session cap refuses.
TEST(startup_table, negotiated_sessions_are_never_dropped) {
  player p;
  p.t.set_limits(limits(3, 3, 3, 3));
  const step steps[] = {
      {start, 0, admitted, nobody, 1},  {negotiate, 0, yes, 0, 0},  // #0 works
      {start, 0, admitted, nobody, 1},  {negotiate, 1, yes, 0, 0},  // #1 works
      {start, 1, admitted, nobody, 1},                              // #2
      {start, 2, admitted, 2, 1},       // #3: the session cap is full; #2 is the only startup
      {negotiate, 2, no, 0, 1},         // #2 was dropped: it may not start working
      {negotiate, 3, yes, 0, 0},        // #3 works
      {start, 1, session_limit, nobody, 0},
      {finish, 0, 0, 0, 0},
      {start, 1, admitted, nobody, 1},  // #4
  };
  PLAY(p, steps);
  LONGS_EQUAL(1, p.t.dropped_startups());
  LONGS_EQUAL(1, p.t.count_of(client(0)));
}

// The client's own limits refuse: it cannot make room by dropping someone else.
TEST(startup_table, a_client_at_its_own_limit_is_refused) {
  player p;
  p.t.set_limits(limits(4, 2, 4, 4));
  const step steps[] = {
      {start, 0, admitted, nobody, 1},  {start, 0, admitted, nobody, 2},
      {start, 0, client_limit, nobody, 2},
      {start, 1, admitted, nobody, 3},  {start, 1, admitted, nobody, 4},
      {start, 2, admitted, 0, 4},       // the shared limits make room: client 0 and 1 hold 2,
  };                                    // 0's oldest is older
  PLAY(p, steps);
}

// One client is one network: the addresses of a /64 share one count, and an IPv4-mapped
// address is the IPv4 client.
TEST(startup_table, clients_are_counted_per_network) {
  player p;
  p.t.set_limits(limits(100, 2, 100, 100));
  const step steps[] = {
      {start, 3, admitted, nobody, 1},     {start, 4, admitted, nobody, 2},
      {start, 3, client_limit, nobody, 2}, {start, 4, client_limit, nobody, 2},
      {start, 5, admitted, nobody, 3},     // the next /64
      {start, 0, admitted, nobody, 4},     {start, 6, admitted, nobody, 5},
      {start, 0, client_limit, nobody, 5},
  };
  PLAY(p, steps);
  LONGS_EQUAL(2, p.t.count_of(client(3)));
  LONGS_EQUAL(2, p.t.startups_of(client(4)));
  CHECK_TRUE(client(0) == client(6));
  STRCMP_EQUAL("2001:db8:0:1::/64", client(4).to_string().c_str());
  STRCMP_EQUAL("192.0.2.1", client(6).to_string().c_str());
}

TEST(startup_table, other_prefix_lengths) {
  tlsmux::policy::prefix_lengths wide;
  wide.v4 = 24;
  wide.v6 = 48;
  const client_key a = client_key::of(asio::ip::make_address("192.0.2.1"), wide);
  CHECK_TRUE(a == client_key::of(asio::ip::make_address("::ffff:192.0.2.200"), wide));
  CHECK_TRUE(a != client_key::of(asio::ip::make_address("192.0.3.1"), wide));
  STRCMP_EQUAL("192.0.2.0/24", a.to_string().c_str());
  const client_key b = client_key::of(asio::ip::make_address("2001:db8:0:1::1"), wide);
  CHECK_TRUE(b == client_key::of(asio::ip::make_address("2001:db8:0:2::1"), wide));
  STRCMP_EQUAL("2001:db8::/48", b.to_string().c_str());
  tlsmux::policy::prefix_lengths exact;
  exact.v6 = 128;
  CHECK_TRUE(client_key::of(asio::ip::make_address("2001:db8::1"), exact) !=
             client_key::of(asio::ip::make_address("2001:db8::2"), exact));
  STRCMP_EQUAL("2001:db8::1", client_key::of(asio::ip::make_address("2001:db8::1"), exact).to_string().c_str());
}

// A reload that shrinks the budget keeps what is counted; each admit then makes room for
// itself (one startup dropped per new connection) rather than closing many at once.
TEST(startup_table, a_smaller_budget_applies_from_the_next_connection) {
  player p;
  p.t.set_limits(limits(10, 10, 10, 10));
  const step before[] = {{start, 0, admitted, nobody, 1}, {start, 1, admitted, nobody, 2},
                         {start, 1, admitted, nobody, 3}};
  PLAY(p, before);
  p.t.set_limits(limits(10, 10, 2, 2));
  const step after[] = {{start, 2, admitted, 1, 3},   // client 1 holds the most
                        {start, 2, admitted, 0, 3}};  // one each: the oldest
  PLAY(p, after);
  LONGS_EQUAL(5, p.t.size());
}

TEST(startup_table, plan_capacity_keeps_the_budget_within_the_session_cap) {
  capacity_inputs in;
  in.descriptors = 1024;
  in.per_client = 64;
  in.max_startups = 256;
  in.startups_per_client = 32;
  bool clipped = false;
  session_limits l = plan_capacity(in, clipped);
  LONGS_EQUAL(496, l.sessions);
  LONGS_EQUAL(256, l.startups);
  LONGS_EQUAL(32, l.startups_per_client);
  in.max_sessions = 100;
  l = plan_capacity(in, clipped);
  LONGS_EQUAL(100, l.startups);
  LONGS_EQUAL(32, l.startups_per_client);
  in.max_startups = 8;
  l = plan_capacity(in, clipped);
  LONGS_EQUAL(8, l.startups);
  LONGS_EQUAL(8, l.startups_per_client);
}
