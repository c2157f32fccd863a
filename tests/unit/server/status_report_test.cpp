// SPDX-License-Identifier: GPL-2.0-or-later
// server::status_report: the control socket's request line (fed split at every byte
// position) and the text and JSON reports, byte for byte.
#include "server/status_report.hpp"

#include <string>

#include <CppUTest/TestHarness.h>

using namespace tlsmux::server;

namespace {

// Feeds `bytes` in two pieces cut at `cut`; returns the result and the line.
control_line::result feed_cut(const std::string& bytes, std::size_t cut, std::string& line) {
  control_line l;
  control_line::result r = l.feed(bytes.data(), cut);
  if (r == control_line::more) r = l.feed(bytes.data() + cut, bytes.size() - cut);
  line = l.line();
  return r;
}

server_status sample() {
  server_status s;
  s.version = "1.0";
  s.reactor = "select";
  s.pid = 42;
  s.uptime_seconds = 3725;
  s.listeners.push_back("127.0.0.1:4430");
  s.max_sessions = 100;
  s.per_client = 4;
  s.startups = 50;
  s.startups_per_client = 8;
  s.idle_timeout_ms = 0;
  s.handshake_timeout_ms = 10000;
  s.accepted = 7;
  s.refused = 2;
  s.ended = 5;
  session_status x;
  x.client = "192.0.2.7:40000";
  x.user = "al\"ice\x01";
  x.phase = "relay";
  x.command = "connect";
  x.destination = "127.0.0.1:22";
  x.seconds = 65;
  x.up = 10;
  x.down = 2000;
  s.sessions.push_back(x);
  return s;
}

}  // namespace

TEST_GROUP(status_report){};

TEST(status_report, requests_parse_at_every_split) {
  const char* inputs[] = {"status\n", "status json\n", "status json\r\n"};
  const char* lines[] = {"status", "status json", "status json"};
  for (int i = 0; i < 3; ++i) {
    const std::string in = inputs[i];
    for (std::size_t cut = 0; cut <= in.size(); ++cut) {
      std::string line;
      LONGS_EQUAL(control_line::done, feed_cut(in, cut, line));
      STRCMP_EQUAL(lines[i], line.c_str());
    }
  }
  control_command c = control_command::status_text;
  CHECK(parse_control_request("status json", c));
  CHECK(c == control_command::status_json);
  CHECK(parse_control_request("status", c));
  CHECK(c == control_command::status_text);
}

TEST(status_report, other_lines_are_refused) {
  control_command c;
  CHECK_FALSE(parse_control_request("", c));
  CHECK_FALSE(parse_control_request("STATUS", c));
  CHECK_FALSE(parse_control_request("status  json", c));
  CHECK_FALSE(parse_control_request("status json x", c));
  CHECK_FALSE(parse_control_request("reload", c));
}

TEST(status_report, an_incomplete_line_waits_and_a_long_or_nul_line_is_bad) {
  std::string line;
  LONGS_EQUAL(control_line::more, feed_cut("status", 3, line));
  const std::string too_long = std::string(max_control_line, 's') + "\n";
  for (std::size_t cut = 0; cut <= too_long.size(); ++cut)
    LONGS_EQUAL(control_line::bad, feed_cut(too_long, cut, line));
  const std::string fits = std::string(max_control_line - 2, 's') + "\n";
  LONGS_EQUAL(control_line::done, feed_cut(fits, 5, line));
  const std::string nul("sta\0tus\n", 8);
  for (std::size_t cut = 0; cut <= nul.size(); ++cut) LONGS_EQUAL(control_line::bad, feed_cut(nul, cut, line));
}

TEST(status_report, text_report) {
  STRCMP_EQUAL(
      "tlsmux 1.0, pid 42, up 1h02m, select reactor, 1 thread\n"
      "listening on: 127.0.0.1:4430\n"
      "limits: max-sessions 100, per client 4, not negotiated 50 (8 per client), UDP/BIND sockets 0, "
      "idle-timeout none, handshake-timeout 10s\n"
      "counters: 7 accepted, 2 refused over a limit, 5 ended, 0 dropped before negotiation, 0 refused by "
      "allow-from/deny-from\n"
      "sessions: 1 open, 0 not yet negotiated\n"
      "  CLIENT  USER  DESTINATION  PHASE  AGE  UP  DOWN\n"
      "  192.0.2.7:40000  al\"ice\\x01  127.0.0.1:22  relay  1m05s  10  2000\n",
      status_text(sample()).c_str());
}

TEST(status_report, json_report_escapes_peer_text) {
  STRCMP_EQUAL(
      "{\"version\":\"1.0\",\"pid\":42,\"uptime_seconds\":3725,\"reactor\":\"select\",\"threads\":1,"
      "\"draining\":false,\"listening\":[\"127.0.0.1:4430\"],\"limits\":{\"max_sessions\":100,"
      "\"max_sessions_per_client\":4,\"max_startups\":50,\"max_startups_per_client\":8,\"extra_sockets\":0,"
      "\"idle_timeout_ms\":0,\"handshake_timeout_ms\":10000},\"counters\":{\"accepted\":7,\"refused\":2,"
      "\"ended\":5,\"dropped_startups\":0,\"filtered\":0,\"open\":1,\"not_negotiated\":0},\"sessions\":[{\"client\":"
      "\"192.0.2.7:40000\",\"user\":\"al\\\"ice\\u0001\",\"destination\":\"127.0.0.1:22\",\"command\":"
      "\"connect\",\"phase\":\"relay\",\"age_seconds\":65,\"up\":10,\"down\":2000}]}\n",
      status_json(sample()).c_str());
}
