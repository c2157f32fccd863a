// SPDX-License-Identifier: GPL-2.0-or-later
// Tests for local_addresses() on the build host (whichever variant the build picked).
#include <tlsmux/platform/local_addresses.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include <CppUTest/TestHarness.h>

using namespace tlsmux;

TEST_GROUP(local_addresses){};

TEST(local_addresses, include_ipv4_loopback) {
  std::vector<asio::ip::address> list(3);  // must be replaced, not appended to
  std::string what = "untouched";
  std::error_code ec = platform::local_addresses(list, what);
  CHECK_FALSE(ec);
  STRCMP_EQUAL("untouched", what.c_str());
  CHECK(std::find(list.begin(), list.end(), asio::ip::make_address("127.0.0.1")) != list.end());
}

TEST(local_addresses, are_unicast_without_scope) {
  std::vector<asio::ip::address> list;
  std::string what;
  CHECK_FALSE(platform::local_addresses(list, what));
  for (std::size_t i = 0; i < list.size(); ++i) {
    CHECK_FALSE(list[i].is_unspecified());
    CHECK_FALSE(list[i].is_multicast());
    if (list[i].is_v6()) {
      LONGS_EQUAL(0, list[i].to_v6().scope_id());
      // Link-local addresses carry no KAME-embedded scope in bytes 2-3.
      if (list[i].to_v6().is_link_local()) LONGS_EQUAL(0, list[i].to_v6().to_bytes()[2]);
    }
  }
}
