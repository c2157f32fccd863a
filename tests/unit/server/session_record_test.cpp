// SPDX-License-Identifier: GPL-2.0-or-later
// server::session_record: the session's log line and status line, byte for byte.
#include "server/session_record.hpp"

#include "log_grammar.hpp"

#include <string>

#include <CppUTest/TestHarness.h>

using namespace tlsmux;
using namespace tlsmux::server;

TEST_GROUP(session_record) {
  session_record r;
  session_traffic t;
  void setup() override { r.client = "192.0.2.7:40000"; }
};

TEST(session_record, a_failed_handshake_has_no_reply) {
  r.reason = "tls: no shared cipher";
  STRCMP_EQUAL("session client=192.0.2.7:40000 tls=- id=- cmd=- req=- dst=- up=0 down=0 dur=0.250s"
               " close=\"tls: no shared cipher\"",
               log_line(r, t, 0.25).c_str());
}

TEST(session_record, a_connect_prints_its_reply_as_hex) {
  r.tls = "TLSv1.3/TLS_AES_128_GCM_SHA256";
  r.identity = "anonymous";
  r.command = "connect";
  r.request = "[::1]:25";
  r.connected = "[::1]:25";
  r.reply.record(socks5::reply_code::succeeded);
  r.reason = "eof";
  t.up = 12;
  t.down = 3456;
  STRCMP_EQUAL("session client=192.0.2.7:40000 tls=TLSv1.3/TLS_AES_128_GCM_SHA256 id=anonymous"
               " cmd=connect req=[::1]:25 dst=[::1]:25 rep=0x00 up=12 down=3456 dur=1.500s close=\"eof\"",
               log_line(r, t, 1.5).c_str());
  r.reply.record(socks5::reply_code::address_type_not_supported);
  CHECK_TRUE(log_line(r, t, 1.5).find(" rep=0x08 ") != std::string::npos);
}

TEST(session_record, udp_prints_its_datagram_counters) {
  r.command = "udp-associate";
  r.reply.record(socks5::reply_code::succeeded);
  r.reason = "eof";
  t.up = 10;
  t.down = 20;
  t.datagrams = true;
  t.up_datagrams = 1;
  t.down_datagrams = 2;
  t.denied = 3;
  t.dropped = 4;
  STRCMP_EQUAL("session client=192.0.2.7:40000 tls=- id=- cmd=udp-associate req=- dst=- rep=0x00"
               " up=10 down=20 datagrams=1/2 denied=3 dropped=4 dur=0.000s close=\"eof\"",
               log_line(r, t, 0.0).c_str());
}

TEST(session_record, the_status_line_names_the_phase) {
  const char* names[] = {"handshake", "negotiation", "policy", "connect", "udp", "bind", "relay"};
  for (int p = 0; p < 7; ++p) STRCMP_EQUAL(names[p], phase_name(static_cast<session_phase>(p)));
  r.phase = session_phase::relay;
  t.up = 5;
  STRCMP_EQUAL("client=192.0.2.7:40000 phase=relay id=- cmd=- req=- dst=- up=5 down=0",
               status_line(r, true, t).c_str());
  r.phase = session_phase::negotiation;
  STRCMP_EQUAL("client=192.0.2.7:40000 phase=negotiation id=- cmd=- req=- dst=-",
               status_line(r, false, t).c_str());
}

// Issue 13 finding 7: what a client chose (a name, a user name, a certificate CN) cannot add,
// remove or change a field; the line parses back to the same values.
TEST(session_record, client_text_cannot_forge_fields) {
  const std::string hostile[] = {"x dst=127.0.0.1:22 rep=0x00 id=root", "\"", "\\", "a\nb",
                                 std::string("nul\0", 4), "\x80\xff", "\" close=\"eof", "cert:a=b"};
  for (std::size_t i = 0; i < sizeof hostile / sizeof hostile[0]; ++i) {
    const std::string& v = hostile[i];
    r.identity = v;
    r.request = v + ":80";
    r.reply.record(socks5::reply_code::not_allowed);
    r.reason = "denied: '" + v + "' is not a plain host name";
    std::string tag, got;
    log_grammar::fields f;
    const std::string line = log_line(r, t, 0.5);
    CHECK_TEXT(log_grammar::parse(line, tag, f), line.c_str());
    STRCMP_EQUAL("session", tag.c_str());
    const char* keys[] = {"client", "tls", "id", "cmd", "req", "dst", "rep", "up", "down", "dur", "close"};
    LONGS_EQUAL_TEXT(11, f.size(), line.c_str());
    for (std::size_t k = 0; k < 11; ++k) CHECK_TEXT(log_grammar::only(f, keys[k], got), line.c_str());
    CHECK(log_grammar::only(f, "id", got) && got == v);
    CHECK(log_grammar::only(f, "req", got) && got == v + ":80");
    CHECK(log_grammar::only(f, "close", got) && got == r.reason);
    f.clear();
    CHECK_TEXT(log_grammar::parse("status " + status_line(r, false, t), tag, f), line.c_str());
    CHECK(log_grammar::only(f, "id", got) && got == v);
  }
}
