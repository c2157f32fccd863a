// SPDX-License-Identifier: GPL-2.0-or-later
// Tests for the bounded, aged set of endpoints a UDP association accepts answers from
// (issue 13, finding 6).
#include "server/udp_peers.hpp"

#include <CppUTest/TestHarness.h>

using namespace tlsmux;

namespace {

typedef std::chrono::steady_clock clock_type;

clock_type::time_point at(int ms) { return clock_type::time_point() + std::chrono::milliseconds(ms + 1000000); }

asio::ip::udp::endpoint ep(int port) { return asio::ip::udp::endpoint(asio::ip::make_address("127.0.0.1"), port); }

}  // namespace

TEST_GROUP(udp_peers){};

TEST(udp_peers, answers_only_from_endpoints_sent_to) {
  server::udp_peers p(4, std::chrono::milliseconds(1000));
  p.sent(ep(53), at(0));
  CHECK_TRUE(p.accepts(ep(53), at(10)));
  CHECK_FALSE(p.accepts(ep(54), at(10)));
  CHECK_FALSE(p.accepts(asio::ip::udp::endpoint(asio::ip::make_address("127.0.0.2"), 53), at(10)));
}

TEST(udp_peers, a_million_destinations_keep_the_set_at_its_bound) {
  server::udp_peers p(1024, std::chrono::milliseconds(60000));
  for (int i = 0; i < 1000000; ++i) p.sent(asio::ip::udp::endpoint(asio::ip::address_v4(0x7f000000u + i / 60000), 1 + i % 60000), at(i / 1000));
  UNSIGNED_LONGS_EQUAL(1024, p.size());
  // The youngest are kept, the oldest forgotten.
  CHECK_TRUE(p.accepts(asio::ip::udp::endpoint(asio::ip::address_v4(0x7f000000u + 999999 / 60000), 1 + 999999 % 60000), at(1000)));
  CHECK_FALSE(p.accepts(ep(1), at(1000)));
}

TEST(udp_peers, endpoints_age_out) {
  server::udp_peers p(1024, std::chrono::milliseconds(1000));
  p.sent(ep(1), at(0));
  p.sent(ep(2), at(500));
  CHECK_TRUE(p.accepts(ep(1), at(1000)));
  CHECK_FALSE(p.accepts(ep(1), at(1001)));  // too old even before it is dropped
  p.sent(ep(3), at(1400));                  // any write drops the old ones
  UNSIGNED_LONGS_EQUAL(2, p.size());
  CHECK_TRUE(p.accepts(ep(2), at(1400)));
  p.sent(ep(3), at(2000));
  UNSIGNED_LONGS_EQUAL(1, p.size());
}

TEST(udp_peers, writing_again_makes_an_endpoint_young) {
  server::udp_peers p(2, std::chrono::milliseconds(1000));
  p.sent(ep(1), at(0));
  p.sent(ep(2), at(1));
  p.sent(ep(1), at(2));  // 1 is now the youngest
  p.sent(ep(3), at(3));  // 2 goes
  CHECK_TRUE(p.accepts(ep(1), at(4)));
  CHECK_FALSE(p.accepts(ep(2), at(4)));
  CHECK_TRUE(p.accepts(ep(3), at(4)));
  p.sent(ep(1), at(900));
  CHECK_TRUE(p.accepts(ep(1), at(1800)));
}
