// SPDX-License-Identifier: GPL-2.0-or-later
// tls/suite_order: which AEAD goes first (a table over the setting, AES acceleration and the
// client's suite order), the ClientHello suite reader (fed split at every byte), and the
// suite the engines then agree on.
#include "tls/context.hpp"
#include "tls/engine.hpp"
#include "tls/suite_order.hpp"
#include "unit/tls/tls_pair.hpp"

#include <string>
#include <vector>

#include <CppUTest/TestHarness.h>

using tlsmux::tls::aead;
using tlsmux::tls::aead_setting;
using tlsmux::tls::hello_scan;
using tlsmux::tls::preferred_aead;
using tlsmux::tls::scan_client_hello;
using tlsmux::tls::settings;
using tlsmux::tls::status;
using tlsmux_test::server_settings;
using tlsmux_test::tls_pair;
using tlsmux_test::verifying_client_settings;

namespace {

typedef std::vector<std::uint16_t> suites;

const std::uint16_t aes128 = 0x1301, aes256 = 0x1302, chacha = 0x1303;
const std::uint16_t ecdsa_aes128 = 0xc02b, ecdsa_chacha = 0xcca9, rsa_chacha = 0xcca8;
const std::uint16_t grease = 0x0a0a, scsv = 0x00ff, cbc = 0xc009, ccm = 0x1304;

suites list(std::uint16_t a, std::uint16_t b = 0, std::uint16_t c = 0, std::uint16_t d = 0) {
  suites s(1, a);
  if (b != 0) s.push_back(b);
  if (c != 0) s.push_back(c);
  if (d != 0) s.push_back(d);
  return s;
}

// The first flight of a client engine: its ClientHello record(s).
std::vector<std::uint8_t> client_hello(const settings& c) {
  std::string error;
  std::shared_ptr<tlsmux::tls::context> ctx = tlsmux::tls::context::make_client(c, error);
  CHECK_TEXT(ctx != nullptr, error.c_str());
  tlsmux::tls::engine e(ctx);
  CHECK_EQUAL(status::want_input, e.handshake());
  return std::vector<std::uint8_t>(e.output(), e.output() + e.output_size());
}

std::string negotiated(const settings& s, const settings& c) {
  tls_pair p(s, c);
  CHECK_TEXT(p.ok(), p.error.c_str());
  CHECK_TEXT(p.handshake(), p.server->error_string().c_str());
  CHECK_EQUAL(p.client->cipher(), p.server->cipher());
  return p.server->cipher();
}

settings with_preference(settings s, aead_setting a) {
  s.cipher_preference = a;
  return s;
}

}  // namespace

TEST_GROUP(suite_order) {
  void setup() {
    std::string error;
    CHECK_TEXT(tlsmux::tls::library_init(error), error.c_str());
  }
};

TEST(suite_order, preference_table) {
  struct row {
    aead_setting setting;
    bool aes_accelerated;
    suites client;
    aead want;
  };
  const aead_setting a = aead_setting::automatic;
  const row rows[] = {
      // auto with AES in hardware: the client's first suite that tlsmux knows decides
      {a, true, suites(), aead::aes_gcm},
      {a, true, list(aes128, aes256, chacha), aead::aes_gcm},
      {a, true, list(aes256, chacha, aes128), aead::aes_gcm},
      {a, true, list(chacha, aes128, aes256), aead::chacha20},
      {a, true, list(grease, chacha, aes128), aead::chacha20},
      {a, true, list(scsv, cbc, ccm, chacha), aead::chacha20},
      {a, true, list(grease, aes128, chacha), aead::aes_gcm},
      {a, true, list(ecdsa_chacha, ecdsa_aes128), aead::chacha20},
      {a, true, list(rsa_chacha), aead::chacha20},
      {a, true, list(ecdsa_aes128, ecdsa_chacha), aead::aes_gcm},
      {a, true, list(cbc, ccm), aead::aes_gcm},
      // auto with AES in portable C: ChaCha20 whatever the client's order
      {a, false, suites(), aead::chacha20},
      {a, false, list(aes128, aes256, chacha), aead::chacha20},
      {a, false, list(chacha, aes128), aead::chacha20},
      {a, false, list(aes128), aead::chacha20},  // then wolfSSL matches AES-128, the only one
      // forced
      {aead_setting::aes_gcm, false, list(chacha, aes128), aead::aes_gcm},
      {aead_setting::aes_gcm, true, list(chacha), aead::aes_gcm},
      {aead_setting::chacha20, true, list(aes128, chacha), aead::chacha20},
      {aead_setting::chacha20, true, suites(), aead::chacha20},
  };
  for (std::size_t i = 0; i < sizeof rows / sizeof rows[0]; ++i) {
    const row& r = rows[i];
    CHECK_TEXT(preferred_aead(r.setting, r.aes_accelerated, r.client) == r.want,
               ("row " + std::to_string(i)).c_str());
  }
}

TEST(suite_order, parses_the_setting) {
  aead_setting s = aead_setting::aes_gcm;
  CHECK(tlsmux::tls::parse_aead_setting("auto", s));
  CHECK(s == aead_setting::automatic);
  CHECK(tlsmux::tls::parse_aead_setting("chacha20", s));
  CHECK(s == aead_setting::chacha20);
  CHECK(tlsmux::tls::parse_aead_setting("aes-gcm", s));
  CHECK(s == aead_setting::aes_gcm);
  CHECK_FALSE(tlsmux::tls::parse_aead_setting("AES", s));
  CHECK_FALSE(tlsmux::tls::parse_aead_setting("", s));
}

// A real ClientHello, fed as every prefix: need_more until the suite list is complete, then
// found with the same list; the client's offer follows its own preference.
TEST(suite_order, reads_a_client_hello_split_at_every_byte) {
  const aead_setting prefs[] = {aead_setting::aes_gcm, aead_setting::chacha20};
  for (std::size_t k = 0; k < 2; ++k) {
    const std::vector<std::uint8_t> hello =
        client_hello(with_preference(verifying_client_settings(), prefs[k]));
    suites full;
    CHECK(scan_client_hello(hello.data(), hello.size(), full) == hello_scan::found);
    CHECK(full.size() >= 3);
    LONGS_EQUAL(prefs[k] == aead_setting::chacha20 ? chacha : aes128, full[0]);
    bool seen_found = false;
    for (std::size_t n = 0; n <= hello.size(); ++n) {
      std::vector<std::uint8_t> prefix(hello.begin(), hello.begin() + static_cast<std::ptrdiff_t>(n));
      suites got;
      const hello_scan r = scan_client_hello(prefix.data(), prefix.size(), got);
      CHECK(r != hello_scan::unknown);
      if (r == hello_scan::found) {
        seen_found = true;
        CHECK(got == full);
      } else {
        CHECK_FALSE(seen_found);  // once found, every longer prefix is found too
        CHECK(got.empty());
      }
    }
    CHECK(seen_found);
  }
}

TEST(suite_order, the_client_offer_follows_the_cpu) {
  const std::vector<std::uint8_t> hello = client_hello(verifying_client_settings());
  suites offer;
  CHECK(scan_client_hello(hello.data(), hello.size(), offer) == hello_scan::found);
  LONGS_EQUAL(tlsmux::tls::aes_accelerated() ? aes128 : chacha, offer[0]);
}

TEST(suite_order, anything_but_a_client_hello_in_one_record_is_unknown) {
  // record type 22, TLS 1.x, length 45; ClientHello, version, random, no session id, 1 suite
  std::vector<std::uint8_t> good = {22, 3, 1, 0, 45, 1, 0, 0, 41, 3, 3};
  good.resize(good.size() + 32, 0x55);
  const std::uint8_t tail[] = {0, 0, 2, 0x13, 0x03, 1, 0};
  good.insert(good.end(), tail, tail + sizeof tail);
  suites got;
  CHECK(scan_client_hello(good.data(), good.size(), got) == hello_scan::found);
  CHECK(got == list(chacha));

  struct mutation {
    std::size_t at;
    std::uint8_t value;
  };
  const mutation bad[] = {
      {0, 23},   // application data
      {0, 21},   // an alert
      {1, 2},    // SSL 2 framing
      {3, 0x40}, // record longer than 2^14
      {5, 2},    // ServerHello
      {43, 33},  // session id longer than 32
      {45, 3},   // odd suite bytes
      {45, 0},   // no suites
      {44, 1},   // suite list beyond the record
  };
  for (std::size_t i = 0; i < sizeof bad / sizeof bad[0]; ++i) {
    std::vector<std::uint8_t> b = good;
    b[bad[i].at] = bad[i].value;
    CHECK_TEXT(scan_client_hello(b.data(), b.size(), got) == hello_scan::unknown,
               ("mutation " + std::to_string(i)).c_str());
  }
  std::vector<std::uint8_t> empty_record = good;
  empty_record[4] = 0;
  CHECK(scan_client_hello(empty_record.data(), empty_record.size(), got) == hello_scan::unknown);
  const std::uint8_t http[] = {'G', 'E', 'T', ' '};
  CHECK(scan_client_hello(http, sizeof http, got) == hello_scan::unknown);
}

TEST(suite_order, the_server_gives_chacha_to_a_client_that_lists_it_first) {
  const settings chacha_client = with_preference(verifying_client_settings(), aead_setting::chacha20);
  STRCMP_EQUAL("TLS_CHACHA20_POLY1305_SHA256", negotiated(server_settings(), chacha_client).c_str());
  settings c12 = chacha_client;
  c12.max_version = "1.2";
  STRCMP_EQUAL("TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
               negotiated(server_settings(), c12).c_str());
  // A server forced to AES-GCM keeps its order.
  STRCMP_EQUAL("TLS_AES_128_GCM_SHA256",
               negotiated(with_preference(server_settings(), aead_setting::aes_gcm), chacha_client).c_str());
}

TEST(suite_order, the_server_follows_the_cpu_for_other_clients) {
  const settings aes_client = with_preference(verifying_client_settings(), aead_setting::aes_gcm);
  const char* want = tlsmux::tls::aes_accelerated() ? "TLS_AES_128_GCM_SHA256" : "TLS_CHACHA20_POLY1305_SHA256";
  STRCMP_EQUAL(want, negotiated(server_settings(), aes_client).c_str());
  STRCMP_EQUAL("TLS_CHACHA20_POLY1305_SHA256",
               negotiated(with_preference(server_settings(), aead_setting::chacha20), aes_client).c_str());
}

// The server waits for the whole suite list before wolfSSL sees the ClientHello: fed one
// byte at a time, it still gives ChaCha20 to a client that lists it first.
TEST(suite_order, a_client_hello_fed_byte_by_byte_still_decides) {
  tls_pair p(server_settings(), with_preference(verifying_client_settings(), aead_setting::chacha20));
  CHECK_TEXT(p.ok(), p.error.c_str());
  CHECK_EQUAL(status::want_input, p.client->handshake());
  const std::vector<std::uint8_t> hello(p.client->output(), p.client->output() + p.client->output_size());
  p.client->consume_output(hello.size());
  for (std::size_t i = 0; i < hello.size(); ++i) {
    p.server->feed(&hello[i], 1);
    const status s = p.server->handshake();
    CHECK_EQUAL(status::want_input, s);
    CHECK_EQUAL(i + 1 == hello.size(), p.server->output_size() > 0);
  }
  tlsmux_test::transfer(*p.server, *p.client);
  CHECK_TEXT(p.handshake(), p.server->error_string().c_str());
  STRCMP_EQUAL("TLS_CHACHA20_POLY1305_SHA256", p.server->cipher().c_str());
}
