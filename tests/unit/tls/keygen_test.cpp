// SPDX-License-Identifier: GPL-2.0-or-later
// keygen: generated certificates load, complete a verified handshake and match their pin.
#include "tls/context.hpp"
#include "tls/engine.hpp"
#include "tls/keygen.hpp"
#include "tls/pin.hpp"
#include "unit/tls/tls_pair.hpp"

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include <CppUTest/TestHarness.h>

using tlsmux::tls::settings;
using tlsmux_test::tls_pair;

namespace {

void write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path.c_str(), std::ios::binary | std::ios::trunc);
  out << text;
}

std::vector<std::string> list(const char* a, const char* b = nullptr) {
  std::vector<std::string> v(1, a);
  if (b != nullptr) v.push_back(b);
  return v;
}

}  // namespace

TEST_GROUP(keygen) {
  std::string key_path, cert_path;
  void setup() {
    key_path = std::string(TLSMUX_TEST_TMP) + "/keygen_test.key";
    cert_path = std::string(TLSMUX_TEST_TMP) + "/keygen_test.crt";
  }
  void teardown() {
    std::remove(key_path.c_str());
    std::remove(cert_path.c_str());
  }
};

TEST(keygen, generated_certificate_serves_a_verified_handshake) {
  std::string key, cert, error;
  CHECK_TEXT(tlsmux::tls::generate_self_signed("tlsmux test host", list("localhost", "mux.test"),
                                               list("127.0.0.1", "::1"), 30, key, cert, error),
             error.c_str());
  CHECK(key.find("-----BEGIN EC PRIVATE KEY-----") == 0);
  CHECK(cert.find("-----BEGIN CERTIFICATE-----") == 0);
  write_file(key_path, key);
  write_file(cert_path, cert);

  settings s;
  s.cert_file = cert_path;
  s.key_file = key_path;
  settings c;
  c.verify_peer = true;
  c.ca_file = cert_path;  // the self-signed leaf is its own trust anchor (`--ca`)
  const char* names[] = {"localhost", "mux.test", "127.0.0.1"};
  for (int i = 0; i < 3; ++i) {
    tls_pair p(s, c);
    CHECK_TEXT(p.ok(), p.error.c_str());
    p.client->set_server_name(names[i], true);
    CHECK_TEXT(p.handshake(), p.client->error_string().c_str());
    std::vector<std::uint8_t> der;
    CHECK(tlsmux::tls::pem_to_der(cert, der));
    CHECK(der == p.client->peer_certificate());
    const std::string pin = tlsmux::tls::spki_pin(der);
    CHECK(tlsmux::tls::is_valid_pin(pin));
    STRCMP_EQUAL(pin.c_str(), tlsmux::tls::spki_pin_of_pem_file(cert_path, error).c_str());
  }
  tls_pair wrong(s, c);
  wrong.client->set_server_name("other.test", true);
  CHECK_FALSE(wrong.handshake());
}

TEST(keygen, each_call_makes_a_new_key) {
  std::string key1, cert1, key2, cert2, error;
  CHECK(tlsmux::tls::generate_self_signed("a", list("localhost"), std::vector<std::string>(), 1,
                                          key1, cert1, error));
  CHECK(tlsmux::tls::generate_self_signed("a", list("localhost"), std::vector<std::string>(), 1,
                                          key2, cert2, error));
  CHECK(key1 != key2);
  std::vector<std::uint8_t> d1, d2;
  CHECK(tlsmux::tls::pem_to_der(cert1, d1));
  CHECK(tlsmux::tls::pem_to_der(cert2, d2));
  CHECK(tlsmux::tls::spki_pin(d1) != tlsmux::tls::spki_pin(d2));
}

TEST(keygen, long_common_name_and_no_alt_names_are_fine) {
  std::string key, cert, error;
  CHECK_TEXT(tlsmux::tls::generate_self_signed(std::string(200, 'h'), std::vector<std::string>(),
                                               std::vector<std::string>(), 365, key, cert, error),
             error.c_str());
  std::vector<std::uint8_t> der;
  CHECK(tlsmux::tls::pem_to_der(cert, der));
  CHECK(!tlsmux::tls::spki_pin(der).empty());
}

TEST(keygen, invalid_input_is_refused) {
  std::string key, cert, error;
  const std::vector<std::string> none;
  const char* bad_ips[] = {"1.2.3", "256.1.1.1", "1.2.3.4.5", "::1::", "1:2:3:4:5:6:7:8:9",
                           "12345::", "fe80::1%eth0", "localhost", ""};
  for (std::size_t i = 0; i < sizeof bad_ips / sizeof bad_ips[0]; ++i) {
    error.clear();
    CHECK_FALSE_TEXT(
        tlsmux::tls::generate_self_signed("x", none, list(bad_ips[i]), 1, key, cert, error),
        bad_ips[i]);
    CHECK(!error.empty());
  }
  CHECK_FALSE(tlsmux::tls::generate_self_signed("x", list("bad name"), none, 1, key, cert, error));
  CHECK_FALSE(tlsmux::tls::generate_self_signed("x", list(""), none, 1, key, cert, error));
  CHECK_FALSE(tlsmux::tls::generate_self_signed("x", none, none, 0, key, cert, error));
}

TEST(keygen, ip_text_forms) {
  std::string key, cert, error;
  const char* good[] = {"::", "::1", "1::", "fe80::1:2", "::ffff:192.0.2.1", "2001:db8::8:800:200c:417a",
                        "1:2:3:4:5:6:7:8", "0.0.0.0", "255.255.255.255"};
  for (std::size_t i = 0; i < sizeof good / sizeof good[0]; ++i) {
    CHECK_TEXT(tlsmux::tls::generate_self_signed("x", std::vector<std::string>(), list(good[i]), 1,
                                                 key, cert, error),
               good[i]);
  }
}
