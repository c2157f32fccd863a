// SPDX-License-Identifier: GPL-2.0-or-later
// base64: RFC 4648 vectors, round trips and refusal of invalid text.
#include "text/base64.hpp"

#include <string>
#include <vector>

#include <CppUTest/TestHarness.h>

using tlsmux::text::base64_decode;
using tlsmux::text::base64_encode;

namespace {

std::string encode(const std::string& s) {
  return base64_encode(reinterpret_cast<const std::uint8_t*>(s.data()), s.size());
}

std::string decode(const std::string& s, bool& ok) {
  std::vector<std::uint8_t> out;
  ok = base64_decode(s, out);
  return std::string(out.begin(), out.end());
}

}  // namespace

TEST_GROUP(base64) {};

TEST(base64, rfc4648_vectors) {
  const char* plain[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
  const char* coded[] = {"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"};
  for (int i = 0; i < 7; ++i) {
    STRCMP_EQUAL(coded[i], encode(plain[i]).c_str());
    bool ok = false;
    STRCMP_EQUAL(plain[i], decode(coded[i], ok).c_str());
    CHECK(ok);
  }
}

TEST(base64, round_trips_every_length_and_byte) {
  std::vector<std::uint8_t> data;
  for (std::size_t n = 0; n < 300; ++n) {
    const std::string text = base64_encode(data.data(), data.size());
    CHECK_EQUAL((n + 2) / 3 * 4, text.size());
    std::vector<std::uint8_t> back;
    CHECK(base64_decode(text, back));
    CHECK(data == back);
    data.push_back(static_cast<std::uint8_t>(n * 131 + 7));
  }
}

TEST(base64, invalid_text_is_refused) {
  const char* bad[] = {"Zg=",  "Zg=a",  "Z===",    "====",  "Zm9v!AAA", "Zm9 v",   "Zm9v\n",
                       "Zh==", "Zm9=",  "Zg==Zg==", "=Zm9", "Zm9vY",    "Zm9vYg=", "-_AA"};
  for (std::size_t i = 0; i < sizeof bad / sizeof bad[0]; ++i) {
    std::vector<std::uint8_t> out;
    CHECK_FALSE_TEXT(base64_decode(bad[i], out), bad[i]);
  }
}
