// SPDX-License-Identifier: GPL-2.0-or-later
// tls::engine application data in memory: bulk, record size, pending drain, close_notify.
#include "tls/context.hpp"
#include "tls/engine.hpp"
#include "tls/pin.hpp"
#include "unit/tls/tls_pair.hpp"

#include <cstdint>
#include <string>
#include <vector>

#include <CppUTest/TestHarness.h>

using tlsmux::tls::engine;
using tlsmux::tls::settings;
using tlsmux::tls::status;
using tlsmux_test::server_settings;
using tlsmux_test::tls_pair;
using tlsmux_test::transfer;
using tlsmux_test::verifying_client_settings;

namespace {

std::vector<std::uint8_t> pattern(std::size_t n, std::uint32_t seed) {
  std::vector<std::uint8_t> v(n);
  for (std::size_t i = 0; i < n; ++i) {
    seed = seed * 1103515245u + 12345u;
    v[i] = static_cast<std::uint8_t>(seed >> 16);
  }
  return v;
}

std::vector<std::uint8_t> bytes_of(const char* s) {
  return std::vector<std::uint8_t>(s, s + std::string(s).size());
}

settings client_with_max(const char* max_version) {
  settings c = verifying_client_settings();
  c.max_version = max_version;
  return c;
}

// TLS record lengths in a ciphertext stream; false when it does not split into records.
bool record_lengths(const std::uint8_t* p, std::size_t n, std::vector<std::size_t>& lengths) {
  std::size_t pos = 0;
  while (pos < n) {
    if (n - pos < 5) return false;
    const std::size_t len = std::size_t(p[pos + 3]) << 8 | p[pos + 4];
    if (n - pos - 5 < len) return false;
    lengths.push_back(len);
    pos += 5 + len;
  }
  return true;
}

}  // namespace

TEST_GROUP(engine_data) {
  void connect(tls_pair& p) {
    CHECK_TEXT(p.ok(), p.error.c_str());
    CHECK_TEXT(p.handshake(), p.client->error_string().c_str());
  }
  void send(engine& from, engine& to, const std::vector<std::uint8_t>& data) {
    CHECK_EQUAL(status::ok, from.write(data.data(), data.size()));
    transfer(from, to);
  }
};

TEST(engine_data, small_messages_both_ways) {
  tls_pair p(server_settings(), verifying_client_settings());
  connect(p);
  send(*p.client, *p.server, bytes_of("hello server"));
  std::vector<std::uint8_t> got;
  CHECK_EQUAL(status::want_input, tls_pair::drain(*p.server, got));
  CHECK(bytes_of("hello server") == got);
  send(*p.server, *p.client, bytes_of("hello client"));
  got.clear();
  CHECK_EQUAL(status::want_input, tls_pair::drain(*p.client, got));
  CHECK(bytes_of("hello client") == got);
}

TEST(engine_data, one_mebibyte_each_way_hash_checked) {
  for (int v = 0; v < 2; ++v) {
    tls_pair p(server_settings(), client_with_max(v == 0 ? "" : "1.2"));
    connect(p);
    const std::vector<std::uint8_t> up = pattern(1 << 20, 1), down = pattern(1 << 20, 2);
    send(*p.client, *p.server, up);
    send(*p.server, *p.client, down);
    std::vector<std::uint8_t> got_up, got_down;
    CHECK_EQUAL(status::want_input, tls_pair::drain(*p.server, got_up));
    CHECK_EQUAL(status::want_input, tls_pair::drain(*p.client, got_down));
    CHECK_EQUAL(up.size(), got_up.size());
    STRCMP_EQUAL(tlsmux::tls::sha256_hex(up).c_str(), tlsmux::tls::sha256_hex(got_up).c_str());
    STRCMP_EQUAL(tlsmux::tls::sha256_hex(down).c_str(),
                 tlsmux::tls::sha256_hex(got_down).c_str());
  }
}

TEST(engine_data, records_carry_at_most_16_kib) {
  tls_pair p(server_settings(), verifying_client_settings());
  connect(p);
  const std::vector<std::uint8_t> data = pattern(100000, 3);
  CHECK_EQUAL(status::ok, p.client->write(data.data(), data.size()));
  std::vector<std::size_t> lengths;
  CHECK(record_lengths(p.client->output(), p.client->output_size(), lengths));
  CHECK_EQUAL(7u, lengths.size());  // ceil(100000 / 16384)
  for (std::size_t i = 0; i < lengths.size(); ++i) CHECK(lengths[i] <= 16384 + 256);
  CHECK(lengths[0] > 16384);  // full records, not tiny ones
  transfer(*p.client, *p.server);
  std::vector<std::uint8_t> buf(65536);
  std::size_t total = 0, got = 0, reads = 0;
  while (p.server->read(buf.data(), buf.size(), got) == status::ok) {
    CHECK(got <= 16384);
    total += got;
    ++reads;
  }
  CHECK_EQUAL(data.size(), total);
  CHECK_EQUAL(7u, reads);
}

TEST(engine_data, pending_drains_many_small_records) {
  tls_pair p(server_settings(), verifying_client_settings());
  connect(p);
  for (int i = 0; i < 200; ++i) {
    const std::vector<std::uint8_t> msg = pattern(10, static_cast<std::uint32_t>(i));
    CHECK_EQUAL(status::ok, p.server->write(msg.data(), msg.size()));
  }
  transfer(*p.server, *p.client);  // all 200 records arrive in one socket read
  std::uint8_t buf[4];
  std::size_t got = 0, total = 0;
  CHECK_EQUAL(status::ok, p.client->read(buf, sizeof buf, got));
  CHECK_EQUAL(4u, got);
  CHECK_EQUAL(6u, p.client->pending());  // the rest of the first record, already decrypted
  total += got;
  status st;
  while ((st = p.client->read(buf, sizeof buf, got)) == status::ok) total += got;
  CHECK_EQUAL(status::want_input, st);
  CHECK_EQUAL(2000u, total);
  CHECK_EQUAL(0u, p.client->pending());
}

TEST(engine_data, close_notify_reaches_peer) {
  tls_pair p(server_settings(), verifying_client_settings());
  connect(p);
  send(*p.client, *p.server, bytes_of("last words"));
  p.client->close();
  CHECK(p.client->output_size() > 0);
  transfer(*p.client, *p.server);
  std::vector<std::uint8_t> got;
  CHECK_EQUAL(status::closed, tls_pair::drain(*p.server, got));
  CHECK(bytes_of("last words") == got);
  CHECK(p.server->peer_closed());
  std::uint8_t buf[8];
  std::size_t n = 0;
  CHECK_EQUAL(status::closed, p.server->read(buf, sizeof buf, n));
  CHECK_FALSE(p.client->peer_closed());
}

TEST(engine_data, half_close_peer_can_still_send_after_our_close_notify) {
  for (int v = 0; v < 2; ++v) {
    tls_pair p(server_settings(), client_with_max(v == 0 ? "" : "1.2"));
    connect(p);
    STRCMP_EQUAL(v == 0 ? "TLSv1.3" : "TLSv1.2", p.client->version().c_str());
    p.client->close();  // the client has sent everything (SOCKS client shut down its write side)
    p.client->close();  // idempotent: one close_notify only
    transfer(*p.client, *p.server);
    std::vector<std::uint8_t> got;
    CHECK_EQUAL(status::closed, tls_pair::drain(*p.server, got));
    // The server keeps answering on its direction, then closes it too.
    send(*p.server, *p.client, bytes_of("response after your close_notify"));
    p.server->close();
    transfer(*p.server, *p.client);
    got.clear();
    CHECK_EQUAL(status::closed, tls_pair::drain(*p.client, got));
    CHECK(bytes_of("response after your close_notify") == got);
    CHECK(p.client->peer_closed());
  }
}

TEST(engine_data, write_before_handshake_or_after_close_fails) {
  tls_pair p(server_settings(), verifying_client_settings());
  CHECK_TEXT(p.ok(), p.error.c_str());
  const std::vector<std::uint8_t> msg = bytes_of("x");
  CHECK_EQUAL(status::error, p.client->write(msg.data(), msg.size()));
  CHECK(!p.client->error_string().empty());

  tls_pair q(server_settings(), verifying_client_settings());
  connect(q);
  q.client->close();
  CHECK_EQUAL(status::error, q.client->write(msg.data(), msg.size()));
}

TEST(engine_data, read_drives_the_handshake) {
  tls_pair p(server_settings(), verifying_client_settings());
  CHECK_TEXT(p.ok(), p.error.c_str());
  std::uint8_t buf[16];
  std::size_t got = 0;
  CHECK_EQUAL(status::want_input, p.client->handshake());
  transfer(*p.client, *p.server);
  CHECK_EQUAL(status::want_input, p.server->read(buf, sizeof buf, got));
  transfer(*p.server, *p.client);
  CHECK_EQUAL(status::want_input, p.client->read(buf, sizeof buf, got));
  CHECK(p.client->established());
  transfer(*p.client, *p.server);
  CHECK_EQUAL(status::want_input, p.server->read(buf, sizeof buf, got));
  CHECK(p.server->established());
}

TEST(engine_data, output_consumed_in_pieces) {
  tls_pair p(server_settings(), verifying_client_settings());
  connect(p);
  const std::vector<std::uint8_t> data = pattern(50000, 9);
  CHECK_EQUAL(status::ok, p.client->write(data.data(), data.size()));
  // A slow socket: send 1000 bytes at a time, feeding in 1000-byte pieces too.
  while (p.client->output_size() > 0) {
    const std::size_t n = p.client->output_size() < 1000 ? p.client->output_size() : 1000;
    p.server->feed(p.client->output(), n);
    p.client->consume_output(n);
  }
  std::vector<std::uint8_t> got;
  CHECK_EQUAL(status::want_input, tls_pair::drain(*p.server, got));
  CHECK(data == got);
}
