// SPDX-License-Identifier: GPL-2.0-or-later
// splice moving bytes: both ways, half-close from either side, pipelined first bytes, and
// backpressure (a side that does not read stops the other side's reads; buffering stays
// bounded). In-memory streams on one io_context: no sockets, no timing.
#include "unit/relay/splice_rig.hpp"

#include <CppUTest/TestHarness.h>

using namespace relay_test;

TEST_GROUP(splice_flow) {};

TEST(splice_flow, relays_both_ways_and_ends_clean_after_both_eofs) {
  splice_rig r;
  r.start();
  r.client->send("hello");
  r.service->send("world!");
  r.flow();
  STRCMP_EQUAL("hello", r.service->received().c_str());
  STRCMP_EQUAL("world!", r.client->received().c_str());
  CHECK_EQUAL(5u, static_cast<unsigned>(r.sp->bytes_a_to_b()));
  CHECK_EQUAL(6u, static_cast<unsigned>(r.sp->bytes_b_to_a()));
  r.client->send_eof();
  r.service->send_eof();
  r.flow();
  CHECK_EQUAL(1, r.done_calls);
  CHECK(r.outcome.end == splice_end::eof);
  CHECK(r.outcome.clean());
  // Each side saw the other's FIN, then the splice closed both of its streams.
  CHECK(r.client->peer_sent_eof());
  CHECK(r.service->peer_sent_eof());
  CHECK(r.a->closed());
  CHECK(r.b->closed());
}

TEST(splice_flow, half_close_from_the_client_keeps_the_reply_direction_open) {
  splice_rig r;
  r.start();
  r.client->send("request");
  r.client->send_eof();
  r.flow();
  STRCMP_EQUAL("request", r.service->received().c_str());
  CHECK(r.service->at_eof());
  CHECK_FALSE(r.sp->finished());
  r.service->send(pattern(500));
  r.flow();
  CHECK(pattern(500) == r.client->received());
  CHECK_FALSE(r.client->at_eof());
  CHECK_EQUAL(0, r.done_calls);
  r.service->send_eof();
  r.flow();
  CHECK(r.client->peer_sent_eof());
  CHECK_EQUAL(1, r.done_calls);
  CHECK(r.outcome.end == splice_end::eof);
}

TEST(splice_flow, half_close_from_the_service_keeps_the_request_direction_open) {
  splice_rig r;
  r.start();
  r.service->send("banner");
  r.service->send_eof();
  r.flow();
  STRCMP_EQUAL("banner", r.client->received().c_str());
  CHECK(r.client->at_eof());
  CHECK_FALSE(r.sp->finished());
  r.client->send(pattern(300));
  r.flow();
  CHECK(pattern(300) == r.service->received());
  CHECK_EQUAL(0, r.done_calls);
  r.client->send_eof();
  r.flow();
  CHECK(r.service->peer_sent_eof());
  CHECK_EQUAL(1, r.done_calls);
  CHECK(r.outcome.end == splice_end::eof);
}

TEST(splice_flow, finish_when_b_closes_ends_at_the_services_eof) {
  splice_rig r;
  r.sp->finish_when_b_closes();
  r.start();
  r.service->send("bye");
  r.service->send_eof();
  r.flow();
  STRCMP_EQUAL("bye", r.client->received().c_str());
  CHECK_EQUAL(1, r.done_calls);
  CHECK(r.outcome.end == splice_end::eof);
  // The client side never sent EOF, yet the splice closed it.
  CHECK_FALSE(r.client->sent_eof());
  CHECK(r.client->at_eof());
  CHECK(r.a->closed());
  CHECK(r.b->closed());
}

TEST(splice_flow, pipelined_bytes_go_out_before_anything_read_later) {
  splice_rig r;
  r.client->send("-more");  // already waiting in a when the splice starts
  r.service->send("-then");
  r.flow();
  r.start("GET /", "220 hello");
  r.flow();
  STRCMP_EQUAL("GET /-more", r.service->received().c_str());
  STRCMP_EQUAL("220 hello-then", r.client->received().c_str());
  CHECK_EQUAL(10u, static_cast<unsigned>(r.sp->bytes_a_to_b()));
  CHECK_EQUAL(14u, static_cast<unsigned>(r.sp->bytes_b_to_a()));
}

TEST(splice_flow, pipelined_bytes_larger_than_the_buffer_are_sent_whole) {
  splice_rig r(16, 64);
  std::string first = pattern(200);
  r.start(first);
  r.client->send("tail");
  r.flow();
  CHECK(first + "tail" == r.service->received());
}

TEST(splice_flow, a_quiet_direction_waits_for_readability_before_taking_a_buffer) {
  splice_rig r;
  r.start();
  r.settle();
  // Nothing to read: each side is awaited for readability, no read holds a buffer.
  CHECK_EQUAL(1u, r.a->wait_calls());
  CHECK_EQUAL(0u, r.a->read_calls());
  CHECK_EQUAL(1u, r.b->wait_calls());
  CHECK_EQUAL(0u, r.b->read_calls());
  r.client->send("x");
  r.flow();
  CHECK_EQUAL(1u, r.a->read_calls());
  CHECK_EQUAL(2u, r.a->wait_calls());  // short read: the buffer went back, waiting again
}

namespace {

// from -> inlet =splice= outlet -> to, where `to` does not read: the outlet's window fills,
// the splice's write to it stays pending, and the splice stops reading the inlet.
// (Not near/far: <windows.h> defines both as macros.)
void check_backpressure(splice_rig& r, memory_stream& from, memory_stream& inlet, memory_stream& to,
                        std::size_t buffer) {
  const std::string data = pattern(10000);
  from.send(data);
  r.settle();
  CHECK_EQUAL(to.capacity(), to.unread());  // the receiver's window is full
  CHECK_FALSE(from.send_done());            // and the sender is held up
  // Read from the inlet but not yet delivered: at most one buffer in the splice.
  CHECK(inlet.bytes_read() <= to.unread() + buffer);
  CHECK(inlet.unread() <= inlet.capacity());
  std::size_t reads = inlet.read_calls();
  std::size_t waits = inlet.wait_calls();
  r.settle();
  r.settle();
  CHECK_EQUAL(reads, inlet.read_calls());  // no further reads while the write is pending
  CHECK_EQUAL(waits, inlet.wait_calls());
  r.flow();  // the receiver reads again: everything arrives, in order
  CHECK(data == to.received());
  CHECK(from.send_done());
  CHECK_FALSE(from.send_result());
  CHECK_EQUAL(0, r.done_calls);
}

}  // namespace

TEST(splice_flow, a_service_that_does_not_read_stops_reads_from_the_client) {
  splice_rig r(16, 64);
  r.start();
  check_backpressure(r, *r.client, *r.a, *r.service, 16);
  CHECK_EQUAL(10000u, static_cast<unsigned>(r.sp->bytes_a_to_b()));
}

TEST(splice_flow, a_client_that_does_not_read_stops_reads_from_the_service) {
  splice_rig r(16, 64);
  r.start();
  check_backpressure(r, *r.service, *r.b, *r.client, 16);
  CHECK_EQUAL(10000u, static_cast<unsigned>(r.sp->bytes_b_to_a()));
}

TEST(splice_flow, one_stalled_direction_does_not_stop_the_other) {
  splice_rig r(16, 64);
  r.start();
  r.client->send(pattern(5000));
  r.settle();  // the service does not read: client -> service is stalled
  r.service->send("still talking");
  for (int i = 0; i < 4; ++i) {
    r.settle();
    r.client->drain();  // only the client reads
  }
  STRCMP_EQUAL("still talking", r.client->received().c_str());
  CHECK_EQUAL(r.service->capacity(), r.service->unread());
}
