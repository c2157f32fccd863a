// SPDX-License-Identifier: GPL-2.0-or-later
// SPKI pins: known values from OpenSSL, PEM handling and malformed DER.
#include "tls/pin.hpp"
#include "unit/tls/tls_pair.hpp"

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <CppUTest/TestHarness.h>

using tlsmux_test::data_file;

namespace {

// openssl x509 -in server.crt -pubkey -noout | openssl pkey -pubin -outform der |
//   openssl dgst -sha256 -binary | base64   (tests/data/README.md)
const char server_pin[] = "sha256:R3l+fRCsLJ7cYe78106usX2fH+efczk8iznqp7MRzYM=";
const char other_pin[] = "sha256:ihbJ7ZzZIvfr0w2KI40OAgy4OkXRKUsZVGbVoY7BziM=";

std::string read_text(const std::string& path) {
  std::ifstream in(path.c_str(), std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::uint8_t> server_der() {
  std::vector<std::uint8_t> der;
  CHECK(tlsmux::tls::pem_to_der(read_text(data_file("server.crt")), der));
  return der;
}

}  // namespace

TEST_GROUP(pin) {};

TEST(pin, known_pins_of_test_certificates) {
  std::string error;
  STRCMP_EQUAL(server_pin, tlsmux::tls::spki_pin_of_pem_file(data_file("server.crt"), error).c_str());
  STRCMP_EQUAL(other_pin, tlsmux::tls::spki_pin_of_pem_file(data_file("other.crt"), error).c_str());
  STRCMP_EQUAL(server_pin, tlsmux::tls::spki_pin(server_der()).c_str());
}

TEST(pin, spki_is_the_p256_public_key_sequence) {
  const std::vector<std::uint8_t> der = server_der();
  std::size_t offset = 0, length = 0;
  CHECK(tlsmux::tls::find_spki(der.data(), der.size(), offset, length));
  CHECK_EQUAL(91u, length);  // SEQUENCE { AlgorithmIdentifier, BIT STRING 65 bytes }
  CHECK_EQUAL(0x30, der[offset]);
  CHECK_EQUAL(0x59, der[offset + 1]);
  CHECK(offset + length <= der.size());
}

TEST(pin, truncated_der_is_refused_at_every_length) {
  const std::vector<std::uint8_t> der = server_der();
  std::size_t offset = 0, length = 0;
  for (std::size_t n = 0; n < der.size(); ++n) {
    const std::vector<std::uint8_t> cut(der.begin(), der.begin() + static_cast<std::ptrdiff_t>(n));
    CHECK_FALSE(tlsmux::tls::find_spki(cut.data(), cut.size(), offset, length));
    STRCMP_EQUAL("", tlsmux::tls::spki_pin(cut).c_str());
  }
  CHECK(tlsmux::tls::find_spki(der.data(), der.size(), offset, length));
}

TEST(pin, mutated_der_never_reads_out_of_bounds) {
  // Run under ASan/valgrind this proves the walk stays in bounds; here it must not crash
  // and whatever it finds must lie inside the buffer.
  const std::vector<std::uint8_t> der = server_der();
  const std::uint8_t values[] = {0x00, 0x01, 0x30, 0x7f, 0x80, 0x81, 0x84, 0x85, 0xa0, 0xff};
  for (std::size_t i = 0; i < der.size() && i < 300; ++i) {
    for (std::size_t k = 0; k < sizeof values; ++k) {
      std::vector<std::uint8_t> m = der;
      m[i] = values[k];
      std::size_t offset = 0, length = 0;
      if (tlsmux::tls::find_spki(m.data(), m.size(), offset, length)) {
        CHECK(offset + length <= m.size());
      }
    }
  }
  std::size_t offset = 0, length = 0;
  CHECK_FALSE(tlsmux::tls::find_spki(nullptr, 0, offset, length));
  const std::uint8_t indefinite[] = {0x30, 0x80, 0x30, 0x80, 0x00, 0x00, 0x00, 0x00};
  CHECK_FALSE(tlsmux::tls::find_spki(indefinite, sizeof indefinite, offset, length));
  const std::uint8_t huge[] = {0x30, 0x84, 0xff, 0xff, 0xff, 0xff, 0x30, 0x00};
  CHECK_FALSE(tlsmux::tls::find_spki(huge, sizeof huge, offset, length));
}

TEST(pin, pem_to_der_finds_the_first_certificate) {
  std::vector<std::uint8_t> der;
  const std::string chain = "junk before\n" + read_text(data_file("server.crt")) +
                            read_text(data_file("other.crt"));
  CHECK(tlsmux::tls::pem_to_der(chain, der));
  STRCMP_EQUAL(server_pin, tlsmux::tls::spki_pin(der).c_str());
  CHECK_FALSE(tlsmux::tls::pem_to_der("", der));
  CHECK_FALSE(tlsmux::tls::pem_to_der(read_text(data_file("server.key")), der));
  CHECK_FALSE(tlsmux::tls::pem_to_der("-----BEGIN CERTIFICATE-----\nAAA!\n-----END CERTIFICATE-----", der));
  CHECK_FALSE(tlsmux::tls::pem_to_der("-----BEGIN CERTIFICATE-----\nAAAA\n", der));
}

TEST(pin, pem_file_errors_name_the_file) {
  std::string error;
  STRCMP_EQUAL("", tlsmux::tls::spki_pin_of_pem_file(data_file("no-such.crt"), error).c_str());
  CHECK(error.find("no-such.crt") != std::string::npos);
  error.clear();
  STRCMP_EQUAL("", tlsmux::tls::spki_pin_of_pem_file(data_file("server.key"), error).c_str());
  CHECK(error.find("server.key") != std::string::npos);
}

TEST(pin, pin_syntax) {
  CHECK(tlsmux::tls::is_valid_pin(server_pin));
  CHECK(tlsmux::tls::is_valid_pin(other_pin));
  CHECK_FALSE(tlsmux::tls::is_valid_pin(""));
  CHECK_FALSE(tlsmux::tls::is_valid_pin("sha256:"));
  CHECK_FALSE(tlsmux::tls::is_valid_pin("R3l+fRCsLJ7cYe78106usX2fH+efczk8iznqp7MRzYM="));
  CHECK_FALSE(tlsmux::tls::is_valid_pin("sha1:R3l+fRCsLJ7cYe78106usX2fH+efczk8iznqp7MRzYM="));
  CHECK_FALSE(tlsmux::tls::is_valid_pin("sha256:R3l+fRCsLJ7cYe78106usX2fH+efczk8iznqp7MRzY="));
  CHECK_FALSE(tlsmux::tls::is_valid_pin("sha256:R3l+fRCsLJ7cYe78106usX2fH+efczk8iznqp7MRzYM"));
  CHECK_FALSE(tlsmux::tls::is_valid_pin("sha256:AAAA"));
  CHECK_FALSE(tlsmux::tls::is_valid_pin("sha256: R3l+fRCsLJ7cYe78106usX2fH+efczk8iznqp7MRzYM="));
}

TEST(pin, sha256_hex_known_vectors) {
  const std::string abc = "abc";
  STRCMP_EQUAL("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
               tlsmux::tls::sha256_hex(std::vector<std::uint8_t>(abc.begin(), abc.end())).c_str());
  STRCMP_EQUAL("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
               tlsmux::tls::sha256_hex(std::vector<std::uint8_t>()).c_str());
}
