// SPDX-License-Identifier: GPL-2.0-or-later
// policy::network_of: the client networks every per-client limit counts in.
#include "policy/address_prefix.hpp"

#include <CppUTest/TestHarness.h>

using namespace tlsmux::policy;

namespace {

std::string net(const char* address, unsigned v4, unsigned v6) {
  prefix_lengths p;
  p.v4 = v4;
  p.v6 = v6;
  return network_text(asio::ip::make_address(address), p);
}

}  // namespace

TEST_GROUP(address_prefix) {};

TEST(address_prefix, defaults_are_the_ipv4_host_and_the_ipv6_64) {
  STRCMP_EQUAL("192.0.2.7", net("192.0.2.7", 32, 64).c_str());
  STRCMP_EQUAL("2001:db8:1:2::/64", net("2001:db8:1:2:aaaa:bbbb:cccc:dddd", 32, 64).c_str());
  STRCMP_EQUAL("192.0.2.7", net("::ffff:192.0.2.7", 32, 64).c_str());  // mapped counts as IPv4
  STRCMP_EQUAL("::/64", net("::1", 32, 64).c_str());
}

TEST(address_prefix, lengths_that_cut_inside_a_byte) {
  STRCMP_EQUAL("192.0.0.0/20", net("192.0.15.255", 20, 64).c_str());
  STRCMP_EQUAL("2001:db8:1:8::/61", net("2001:db8:1:f::1", 32, 61).c_str());
  STRCMP_EQUAL("128.0.0.0/1", net("200.1.2.3", 1, 64).c_str());
  STRCMP_EQUAL("2001:db8::1", net("2001:db8::1", 32, 128).c_str());
  STRCMP_EQUAL("2001:db8::1", net("2001:db8::1", 32, 200).c_str());  // beyond: the whole address
}

TEST(address_prefix, keys_are_equal_within_a_network_only) {
  prefix_lengths p;
  const std::string a = network_key(asio::ip::make_address("2001:db8:0:1::1"), p);
  LONGS_EQUAL(16, a.size());
  CHECK_TRUE(a == network_key(asio::ip::make_address("2001:db8:0:1:ffff::"), p));
  CHECK_TRUE(a != network_key(asio::ip::make_address("2001:db8:0:2::1"), p));
  LONGS_EQUAL(4, network_key(asio::ip::make_address("::ffff:10.1.2.3"), p).size());
}
