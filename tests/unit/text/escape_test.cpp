// SPDX-License-Identifier: GPL-2.0-or-later
// text::escape and text::quote: printable ASCII passes, everything else becomes \xNN.
#include "text/escape.hpp"

#include <string>

#include <CppUTest/TestHarness.h>

using tlsmux::text::escape;
using tlsmux::text::quote;

TEST_GROUP(escape) {};

TEST(escape, keeps_printable_and_hex_encodes_the_rest) {
  STRCMP_EQUAL("smtp.example", escape("smtp.example").c_str());
  STRCMP_EQUAL("a\\x0d\\x0ab", escape("a\r\nb").c_str());
  STRCMP_EQUAL("\\x00\\x1b[31m\\x7f\\xff", escape(std::string("\0\x1b[31m\x7f\xff", 8)).c_str());
  STRCMP_EQUAL("back\\x5cslash", escape("back\\slash").c_str());
  STRCMP_EQUAL("caf\\xc3\\xa9", escape("caf\xc3\xa9").c_str());
}

TEST(escape, extra_bytes_and_none) {
  STRCMP_EQUAL("say \\x22hi\\x22 \\x5c", escape("say \"hi\" \\", "\"\\").c_str());
  // With no extra bytes only control and non-ASCII bytes change (the logger's last defence).
  STRCMP_EQUAL("a\\b \"c\" \\x0a", escape("a\\b \"c\" \n", "").c_str());
}

TEST(escape, every_byte_round_trips_to_printable_text) {
  for (int c = 0; c < 256; ++c) {
    const std::string e = escape(std::string(1, static_cast<char>(c)));
    const bool plain = c >= 0x20 && c <= 0x7e && c != '\\';
    LONGS_EQUAL(plain ? 1 : 4, e.size());
    for (std::size_t i = 0; i < e.size(); ++i) CHECK(e[i] >= 0x20 && e[i] <= 0x7e);
  }
}

TEST(escape, quote_wraps_in_single_quotes) {
  STRCMP_EQUAL("'x'", quote("x").c_str());
  STRCMP_EQUAL("''", quote("").c_str());
  STRCMP_EQUAL("'a\\x0ab'", quote("a\nb").c_str());
}
