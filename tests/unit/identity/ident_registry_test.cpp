// SPDX-License-Identifier: GPL-2.0-or-later
// The ident registry: a query is answered only for the exact connection, by both ports and
// both addresses of the query connection (RFC 1413 section 3).
#include "identity/ident_registry.hpp"

#include <string>

#include <CppUTest/TestHarness.h>

using namespace tlsmux::identity;

namespace {

asio::ip::tcp::endpoint ep(const char* a, unsigned short port) {
  return asio::ip::tcp::endpoint(asio::ip::make_address(a), port);
}
asio::ip::address ip(const char* a) { return asio::ip::make_address(a); }

}  // namespace

TEST_GROUP(ident_registry) {
  ident_registry reg;
  std::string who;
};

TEST(ident_registry, finds_exactly_the_connection) {
  ident_registry::token t = reg.add(ep("127.0.0.2", 40000), ep("127.0.0.1", 25), "anonymous");
  CHECK(t != 0);
  CHECK(reg.find(ip("127.0.0.2"), 40000, ip("127.0.0.1"), 25, who));
  STRCMP_EQUAL("anonymous", who.c_str());
  CHECK_FALSE(reg.find(ip("127.0.0.2"), 25, ip("127.0.0.1"), 40000, who));    // ports swapped
  CHECK_FALSE(reg.find(ip("127.0.0.2"), 40000, ip("127.0.0.1"), 26, who));    // other service port
  CHECK_FALSE(reg.find(ip("127.0.0.1"), 40000, ip("127.0.0.1"), 25, who));    // asked on another address
  CHECK_FALSE(reg.find(ip("127.0.0.2"), 40000, ip("192.0.2.1"), 25, who));    // asked by another host
}

TEST(ident_registry, mapped_addresses_match_and_remove_forgets) {
  ident_registry::token a = reg.add(ep("::ffff:127.0.0.3", 1000), ep("::ffff:127.0.0.1", 80), "alice");
  ident_registry::token b = reg.add(ep("127.0.0.4", 1000), ep("127.0.0.1", 80), "cert:bob");
  LONGS_EQUAL(2, reg.size());
  CHECK(reg.find(ip("127.0.0.3"), 1000, ip("::ffff:127.0.0.1"), 80, who));
  STRCMP_EQUAL("alice", who.c_str());
  CHECK(reg.find(ip("127.0.0.4"), 1000, ip("127.0.0.1"), 80, who));
  STRCMP_EQUAL("cert:bob", who.c_str());
  reg.remove(a);
  reg.remove(a);  // twice is harmless
  reg.remove(0);
  CHECK_FALSE(reg.find(ip("127.0.0.3"), 1000, ip("127.0.0.1"), 80, who));
  CHECK(reg.find(ip("127.0.0.4"), 1000, ip("127.0.0.1"), 80, who));
  reg.remove(b);
  LONGS_EQUAL(0, reg.size());
}
