// SPDX-License-Identifier: GPL-2.0-or-later
// byte_queue: FIFO order, in-place filling, and no allocation while idle.
#include "tls/byte_queue.hpp"

#include <string>

#include <CppUTest/TestHarness.h>

using tlsmux::tls::byte_queue;

namespace {

std::string contents(const byte_queue& q) {
  return std::string(reinterpret_cast<const char*>(q.data()), q.size());
}

void put(byte_queue& q, const std::string& s) {
  q.append(reinterpret_cast<const std::uint8_t*>(s.data()), s.size());
}

}  // namespace

TEST_GROUP(byte_queue) {};

TEST(byte_queue, fifo_across_appends_and_consumes) {
  byte_queue q;
  CHECK_TRUE(q.empty());
  put(q, "hello ");
  put(q, "world");
  STRCMP_EQUAL("hello world", contents(q).c_str());
  q.consume(6);
  STRCMP_EQUAL("world", contents(q).c_str());
  put(q, "!");
  STRCMP_EQUAL("world!", contents(q).c_str());
  q.consume(6);
  CHECK_TRUE(q.empty());
}

TEST(byte_queue, space_is_filled_in_place_and_survives_consume) {
  byte_queue q;
  put(q, "abc");
  std::uint8_t* room = q.space(4096);
  q.consume(2);  // wolfSSL consuming while a socket read is pending must not move the back
  room[0] = 'x';
  room[1] = 'y';
  q.commit(2);
  STRCMP_EQUAL("cxy", contents(q).c_str());
  q.consume(3);
  // Empty again: the next space() starts at the front of the same block.
  std::size_t cap = q.capacity();
  std::uint8_t* again = q.space(cap);
  again[0] = 'z';
  q.commit(1);
  STRCMP_EQUAL("z", contents(q).c_str());
  LONGS_EQUAL(cap, q.capacity());
}

TEST(byte_queue, grows_keeping_the_unread_part) {
  byte_queue q;
  std::string big(5000, 'a');
  big += "tail";
  put(q, "0123456789");
  q.consume(4);
  put(q, big);
  CHECK(q.capacity() >= big.size() + 6);
  STRCMP_EQUAL(("456789" + big).c_str(), contents(q).c_str());
}

TEST(byte_queue, slides_instead_of_growing_when_the_front_is_free) {
  byte_queue q;
  put(q, std::string(1000, 'a'));
  std::size_t cap = q.capacity();
  q.consume(990);
  put(q, std::string(cap - 20, 'b'));  // fits once the 10 live bytes move to the front
  LONGS_EQUAL(cap, q.capacity());
  STRCMP_EQUAL((std::string(10, 'a') + std::string(cap - 20, 'b')).c_str(), contents(q).c_str());
}

TEST(byte_queue, release_frees_only_when_empty) {
  byte_queue q;
  put(q, "x");
  q.release();
  CHECK(q.capacity() > 0);
  STRCMP_EQUAL("x", contents(q).c_str());
  q.consume(1);
  q.release();
  LONGS_EQUAL(0, q.capacity());
  put(q, "again");
  STRCMP_EQUAL("again", contents(q).c_str());
}
