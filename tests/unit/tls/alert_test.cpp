// SPDX-License-Identifier: GPL-2.0-or-later
// tls/alert: alert names, plaintext alert records, and the reason an engine reports when
// the peer refuses the handshake with an alert.
#include "tls/alert.hpp"
#include "tls/engine.hpp"
#include "unit/tls/tls_pair.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include <CppUTest/TestHarness.h>

using tlsmux::tls::alert_text;
using tlsmux::tls::parse_plain_alert;
using tlsmux::tls::settings;
using tlsmux::tls::status;
using tlsmux_test::data_file;
using tlsmux_test::server_settings;
using tlsmux_test::tls_pair;
using tlsmux_test::transfer;
using tlsmux_test::verifying_client_settings;

namespace {

// What OpenSSL sends when it does not trust our certificate in a TLS 1.3 handshake.
const std::uint8_t unknown_ca_record[] = {21, 3, 3, 0, 2, 2, 48};

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_GROUP(tls_alert){};

TEST(tls_alert, names_the_codes_of_the_rfcs) {
  STRCMP_EQUAL("48 unknown_ca", alert_text(48).c_str());
  STRCMP_EQUAL("116 certificate_required", alert_text(116).c_str());
  STRCMP_EQUAL("0 close_notify", alert_text(0).c_str());
  STRCMP_EQUAL("201", alert_text(201).c_str());
}

TEST(tls_alert, recognises_plaintext_alert_records) {
  int level = 0;
  int description = 0;
  CHECK(parse_plain_alert(unknown_ca_record, sizeof unknown_ca_record, level, description));
  LONGS_EQUAL(2, level);
  LONGS_EQUAL(48, description);
  for (std::size_t n = 0; n < 5; ++n)
    CHECK_FALSE(parse_plain_alert(unknown_ca_record, n, level, description));
  // The header alone is recognised; the body says which alert.
  for (std::size_t n = 5; n < sizeof unknown_ca_record; ++n) {
    CHECK(parse_plain_alert(unknown_ca_record, n, level, description));
    LONGS_EQUAL(-1, description);
  }
  const std::uint8_t handshake[] = {22, 3, 3, 0, 2, 2, 48};
  const std::uint8_t longer[] = {21, 3, 3, 0, 3, 2, 48, 0};
  const std::uint8_t bad_level[] = {21, 3, 3, 0, 2, 7, 48};
  const std::uint8_t not_tls[] = {21, 2, 0, 0, 2, 2, 48};
  CHECK_FALSE(parse_plain_alert(handshake, sizeof handshake, level, description));
  CHECK_FALSE(parse_plain_alert(longer, sizeof longer, level, description));
  CHECK_FALSE(parse_plain_alert(bad_level, sizeof bad_level, level, description));
  CHECK_FALSE(parse_plain_alert(not_tls, sizeof not_tls, level, description));
}

// The server has sent its flight; the client answers with a plaintext alert, delivered in
// pieces of every size. wolfSSL alone says "-306 parse error on header". It gives up on
// the header; the body says which alert when it came with it (as on a real socket).
TEST(tls_alert, server_names_a_plaintext_alert_at_every_split) {
  for (std::size_t piece = 1; piece <= sizeof unknown_ca_record; ++piece) {
    tls_pair p(server_settings(), verifying_client_settings());
    CHECK_TEXT(p.ok(), p.error.c_str());
    CHECK_EQUAL(status::want_input, p.client->handshake());
    transfer(*p.client, *p.server);
    CHECK_EQUAL(status::want_input, p.server->handshake());
    status s = status::want_input;
    for (std::size_t off = 0; off < sizeof unknown_ca_record && s == status::want_input; off += piece) {
      const std::size_t n = std::min(piece, sizeof unknown_ca_record - off);
      p.server->feed(unknown_ca_record + off, n);
      s = p.server->handshake();
    }
    CHECK_EQUAL(status::error, s);
    const std::string e = p.server->error_string();
    CHECK_TEXT(contains(e, "peer sent plaintext alert"), e.c_str());
    if (piece >= sizeof unknown_ca_record) CHECK_TEXT(contains(e, "plaintext alert 48 unknown_ca"), e.c_str());
  }
}

// A TLS 1.2 client that does not trust the server: the server hears why.
TEST(tls_alert, server_names_the_alert_of_a_tls12_client_that_refuses_it) {
  settings s;
  s.cert_file = data_file("other.crt");
  s.key_file = data_file("other.key");
  settings c = verifying_client_settings();
  c.max_version = "1.2";
  tls_pair p(s, c);
  CHECK_TEXT(p.ok(), p.error.c_str());
  CHECK_FALSE(p.handshake());
  CHECK_EQUAL(status::error, p.client_status);
  transfer(*p.client, *p.server);
  CHECK_EQUAL(status::error, p.server->handshake());
  const std::string e = p.server->error_string();
  CHECK_TEXT(contains(e, "-313 ") && contains(e, "received alert"), e.c_str());
  CHECK_TEXT(e.find(": ", e.find("received alert")) != std::string::npos, e.c_str());
}

// A TLS 1.3 client without the certificate the server requires learns the reason once it
// reads: the server's alert.
TEST(tls_alert, client_names_the_alert_of_a_server_that_requires_a_certificate) {
  settings s = server_settings();
  s.ca_file = data_file("ca.crt");
  s.require_peer_cert = true;
  tls_pair p(s, verifying_client_settings());
  CHECK_TEXT(p.ok(), p.error.c_str());
  CHECK_FALSE(p.handshake());
  transfer(*p.server, *p.client);
  std::uint8_t buf[16];
  std::size_t got = 0;
  CHECK_EQUAL(status::error, p.client->read(buf, sizeof buf, got));
  const std::string e = p.client->error_string();
  CHECK_TEXT(contains(e, "received alert") && contains(e, ": 116 certificate_required"), e.c_str());
}

// Every byte of every prefix, set to every value, in a buffer of exactly that size: the
// parser reads nothing beyond it (ASan in CI) and accepts alert headers only.
TEST(tls_alert, every_single_byte_variant_of_every_prefix) {
  for (std::size_t n = 0; n <= sizeof unknown_ca_record; ++n) {
    for (std::size_t pos = 0; pos < n; ++pos) {
      for (int v = 0; v < 256; ++v) {
        std::vector<std::uint8_t> buf(unknown_ca_record, unknown_ca_record + n);
        buf[pos] = static_cast<std::uint8_t>(v);
        int level = 0;
        int description = 0;
        const bool ok = parse_plain_alert(buf.data(), buf.size(), level, description);
        if (!ok) continue;
        CHECK(n >= 5 && buf[0] == 21 && buf[1] == 3 && buf[2] <= 4 && buf[3] == 0 && buf[4] == 2);
        if (n < 7) LONGS_EQUAL(-1, description);
        else CHECK(level == 1 || level == 2);
      }
    }
  }
}

TEST(tls_alert, plain_fatal_alert_is_a_whole_record) {
  const std::vector<std::uint8_t> a = tlsmux::tls::plain_fatal_alert(47);
  const std::uint8_t want[] = {21, 3, 3, 0, 2, 2, 47};
  CHECK(a == std::vector<std::uint8_t>(want, want + sizeof want));
}

// The record types a stream carries, whatever pieces it is written in: handshake, then the
// TLS 1.3 middlebox change_cipher_spec, then application data.
TEST(tls_alert, record_watch_follows_headers_at_every_split) {
  const std::uint8_t stream[] = {22, 3, 3, 0, 3, 1, 2, 3, 20, 3, 3, 0, 1, 1, 23, 3, 3, 0, 2, 9, 9};
  for (std::size_t piece = 1; piece <= sizeof stream; ++piece) {
    tlsmux::tls::record_watch w;
    std::size_t off = 0;
    for (; off < 8; off += 1) w.feed(stream + off, 1);  // the handshake record
    CHECK(w.sent(22) && !w.sent(20) && w.plaintext_allowed(false));
    for (; off < 14; off += 1) w.feed(stream + off, 1);  // the change_cipher_spec
    CHECK(w.sent(20) && !w.plaintext_allowed(false) && w.plaintext_allowed(true));
    while (off < sizeof stream) {
      const std::size_t n = std::min(piece, sizeof stream - off);
      w.feed(stream + off, n);
      off += n;
    }
    CHECK(w.sent(23) && !w.plaintext_allowed(true));
    CHECK_FALSE(w.sent(21) || w.sent(19) || w.sent(24));
  }
}

// A ClientHello announcing 16 MB: wolfSSL gives up without an alert (-404), the server
// engine sends a plaintext illegal_parameter itself. A peer that is not speaking TLS
// records (an HTTP request) gets nothing.
TEST(tls_alert, server_sends_an_alert_when_wolfssl_gives_up_silently) {
  const std::uint8_t huge[] = {22, 3, 1, 0, 8, 1, 0xff, 0xff, 0xff, 3, 3, 0, 0};
  tls_pair p(server_settings(), verifying_client_settings());
  CHECK_TEXT(p.ok(), p.error.c_str());
  p.server->feed(huge, sizeof huge);
  CHECK_EQUAL(status::error, p.server->handshake());
  const std::uint8_t want[] = {21, 3, 3, 0, 2, 2, 47};
  LONGS_EQUAL(sizeof want, p.server->output_size());
  MEMCMP_EQUAL(want, p.server->output(), sizeof want);

  const char http[] = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
  tls_pair q(server_settings(), verifying_client_settings());
  q.server->feed(reinterpret_cast<const std::uint8_t*>(http), sizeof http - 1);
  CHECK_EQUAL(status::error, q.server->handshake());
  LONGS_EQUAL(0, q.server->output_size());
}
