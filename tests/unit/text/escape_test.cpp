// SPDX-License-Identifier: GPL-2.0-or-later
// text::escape and text::quote: printable ASCII passes, everything else becomes \xNN.
#include "text/ascii.hpp"
#include "text/escape.hpp"

#include <string>

#include <CppUTest/TestHarness.h>

using tlsmux::text::escape;
using tlsmux::text::quote;
namespace text = tlsmux::text;

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

TEST(escape, json_string_is_valid_json_for_every_byte) {
  STRCMP_EQUAL("\"a\\\"b\\\\c\"", text::json_string("a\"b\\c").c_str());
  STRCMP_EQUAL("\"\\u0000\\u001b\\u007f\\u00ff\"",
               text::json_string(std::string("\0\x1b\x7f\xff", 4)).c_str());
  std::string all;
  for (int c = 0; c < 256; ++c) all += static_cast<char>(c);
  const std::string j = text::json_string(all);
  for (std::size_t i = 0; i < j.size(); ++i) {  // printable ASCII only, quotes only at the ends
    CHECK(j[i] >= 0x20 && j[i] <= 0x7e);
    if (j[i] == '"' && i != 0 && i + 1 != j.size()) CHECK_EQUAL('\\', j[i - 1]);
  }
}

TEST(escape, ascii_case_folding_leaves_other_bytes_alone) {
  STRCMP_EQUAL("mux1.example \xc4", text::ascii_lower("MUX1.Example \xc4").c_str());
  CHECK_TRUE(text::ascii_iequal("SMTP", "smtp"));
  CHECK_FALSE(text::ascii_iequal("smtp", "smtps"));
  CHECK_FALSE(text::ascii_iequal("\xc4", "\xe4"));  // Latin-1 letters are not ASCII
}
