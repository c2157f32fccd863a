// SPDX-License-Identifier: GPL-2.0-or-later
// How a splice ends: which side's error ends it, what the outcome says (and how the session
// log spells it), what each side sees, and that the done handler runs exactly once.
#include "unit/relay/splice_rig.hpp"

#include <asio/error.hpp>
#include <string>
#include <system_error>

#include <CppUTest/TestHarness.h>

using namespace relay_test;
using tlsmux::relay::describe;
using tlsmux::relay::end_name;

namespace {
const std::error_code reset = asio::error::connection_reset;
const std::error_code broken = asio::error::broken_pipe;
}  // namespace

TEST_GROUP(splice_close) {};

TEST(splice_close, a_read_error_on_the_client_side_ends_the_splice) {
  splice_rig r;
  r.start();
  r.client->send("partial");
  r.flow();
  r.a->fail_reads(reset);
  r.flow();
  CHECK_EQUAL(1, r.done_calls);
  CHECK(r.outcome.end == splice_end::read_failed);
  CHECK(r.outcome.side == splice_side::a);
  CHECK(r.outcome.ec == reset);
  CHECK_FALSE(r.outcome.clean());
  STRCMP_EQUAL(("client read: " + reset.message()).c_str(), describe(r.outcome).c_str());
  // Bytes relayed before the error arrived; then both streams are closed without a FIN:
  // the far side sees the connection go away, not a clean end.
  STRCMP_EQUAL("partial", r.service->received().c_str());
  CHECK(r.a->closed());
  CHECK(r.b->closed());
  CHECK(r.service->peer_closed());
  CHECK_FALSE(r.service->peer_sent_eof());
}

TEST(splice_close, a_read_error_on_the_service_side_ends_the_splice) {
  splice_rig r;
  r.start();
  r.b->fail_reads(reset);
  r.flow();
  CHECK_EQUAL(1, r.done_calls);
  CHECK(r.outcome.end == splice_end::read_failed);
  CHECK(r.outcome.side == splice_side::b);
  STRCMP_EQUAL(("service read: " + reset.message()).c_str(), describe(r.outcome).c_str());
  CHECK(r.client->peer_closed());
  CHECK_FALSE(r.client->peer_sent_eof());
}

TEST(splice_close, a_write_error_names_the_side_written_to) {
  splice_rig r;
  r.start();
  r.b->fail_writes(broken);
  r.client->send("to the service");
  r.flow();
  CHECK_EQUAL(1, r.done_calls);
  CHECK(r.outcome.end == splice_end::write_failed);
  CHECK(r.outcome.side == splice_side::b);
  CHECK(r.outcome.ec == broken);
  STRCMP_EQUAL(("service write: " + broken.message()).c_str(), describe(r.outcome).c_str());
  CHECK(r.a->closed());
  CHECK(r.b->closed());
}

TEST(splice_close, a_write_error_towards_the_client) {
  splice_rig r;
  r.start();
  r.a->fail_writes(broken);
  r.service->send("to the client");
  r.flow();
  CHECK(r.outcome.end == splice_end::write_failed);
  CHECK(r.outcome.side == splice_side::a);
  STRCMP_EQUAL(("client write: " + broken.message()).c_str(), describe(r.outcome).c_str());
}

TEST(splice_close, the_peer_closing_outright_is_an_error_not_an_eof) {
  splice_rig r;
  r.start();
  r.service->close();  // no FIN first: a reset
  r.flow();
  CHECK_EQUAL(1, r.done_calls);
  CHECK(r.outcome.end == splice_end::read_failed);
  CHECK(r.outcome.side == splice_side::b);
  CHECK(r.outcome.ec == reset);
}

TEST(splice_close, an_error_after_a_half_close_still_ends_the_splice) {
  splice_rig r;
  r.start();
  r.client->send_eof();
  r.flow();
  CHECK(r.service->at_eof());
  r.b->fail_reads(reset);
  r.flow();
  CHECK_EQUAL(1, r.done_calls);
  CHECK(r.outcome.end == splice_end::read_failed);
  CHECK(r.outcome.side == splice_side::b);
}

TEST(splice_close, the_first_failure_wins_and_done_runs_once) {
  splice_rig r;
  r.a->fail_reads(reset);
  r.b->fail_reads(broken);
  r.start();
  r.flow();
  CHECK_EQUAL(1, r.done_calls);
  CHECK(r.outcome.side == splice_side::a);  // a's direction starts first
  CHECK(r.outcome.ec == reset);
}

TEST(splice_close, stop_closes_both_sides_and_reports_stopped) {
  splice_rig r;
  r.start();
  r.client->send("in flight");
  r.settle();
  r.sp->stop();
  r.flow();  // the aborted operations complete, but done does not run again
  CHECK_EQUAL(1, r.done_calls);
  CHECK(r.outcome.end == splice_end::stopped);
  STRCMP_EQUAL("stopped", describe(r.outcome).c_str());
  CHECK(r.sp->finished());
  CHECK(r.a->closed());
  CHECK(r.b->closed());
  CHECK(r.client->peer_closed());
  CHECK(r.service->peer_closed());
  r.sp->stop();
  CHECK_EQUAL(1, r.done_calls);
}

TEST(splice_close, outcome_names_for_the_log) {
  STRCMP_EQUAL("eof", end_name(splice_end::eof));
  STRCMP_EQUAL("read", end_name(splice_end::read_failed));
  STRCMP_EQUAL("write", end_name(splice_end::write_failed));
  STRCMP_EQUAL("stopped", end_name(splice_end::stopped));
  splice_outcome o;
  STRCMP_EQUAL("eof", describe(o).c_str());  // the session log's close="eof"
  o.end = splice_end::read_failed;
  o.side = splice_side::a;
  STRCMP_EQUAL("client read: no data", describe(o).c_str());
  o.end = splice_end::write_failed;
  o.side = splice_side::b;
  o.ec = broken;
  STRCMP_EQUAL(("service write: " + broken.message()).c_str(), describe(o).c_str());
}
