// SPDX-License-Identifier: GPL-2.0-or-later
// The log-line grammar: a line built from hostile values parses back to the same fields, each
// once, with its value intact. The parser below is written from the grammar in
// text/log_fields.hpp, not from the writer (tests/log_grammar.hpp).
#include "text/log_fields.hpp"

#include "log_grammar.hpp"

#include <string>
#include <utility>
#include <vector>

#include <CppUTest/TestHarness.h>

using tlsmux::text::field_line;
using tlsmux::text::field_value;
using log_grammar::fields;
using log_grammar::parse;

namespace {

const std::string hostile[] = {
    "x dst=127.0.0.1:22 rep=0x00 id=root",
    "\"",
    "\\",
    "\n2026-01-01T00:00:00Z tlsmux[1] info: session client=forged",
    std::string("nul\0byte", 8),
    "\x80\xff caf\xc3\xa9",
    "",
    "a=b",
    "\" dst=1.2.3.4:5 close=\"",
    "\\\" x=y",
    "\\x22 looks escaped",
    "end\\",
    " ",
    "\t\r\x7f",
};

}  // namespace

TEST_GROUP(log_fields) {};

TEST(log_fields, hostile_values_parse_back_once_and_intact) {
  for (std::size_t n = 0; n < sizeof hostile / sizeof hostile[0]; ++n) {
    const std::string& v = hostile[n];
    field_line line("session");
    line.add("client", "127.0.0.1:5000").add("id", v).add("cmd", "connect").add("req", v + ":80");
    line.add("dst", "-").add("rep", "0x02").add_quoted("close", "denied: '" + v + "' is refused");
    std::string tag;
    fields got;
    CHECK_TEXT(parse(line.str(), tag, got), line.str().c_str());
    STRCMP_EQUAL("session", tag.c_str());
    const char* keys[] = {"client", "id", "cmd", "req", "dst", "rep", "close"};
    LONGS_EQUAL_TEXT(7, got.size(), line.str().c_str());
    for (std::size_t k = 0; k < got.size(); ++k) STRCMP_EQUAL(keys[k], got[k].first.c_str());
    CHECK(v == got[1].second);
    CHECK(v + ":80" == got[3].second);
    CHECK("denied: '" + v + "' is refused" == got[6].second);
    std::size_t equals = 0;
    for (std::size_t i = 0; i < line.str().size(); ++i) {
      CHECK(line.str()[i] >= 0x20 && line.str()[i] <= 0x7e);
      if (line.str()[i] == '=') ++equals;
    }
    LONGS_EQUAL(7, equals);  // every '=' is a field's own
  }
}

TEST(log_fields, plain_values_stay_bare_and_close_is_always_quoted) {
  field_line line("session");
  line.add("id", "alice").add("req", "localhost:80").add("dst", "[::1]:80").add("id2", "");
  line.add_quoted("close", "eof");
  STRCMP_EQUAL("session id=alice req=localhost:80 dst=[::1]:80 id2= close=\"eof\"", line.str().c_str());
}

TEST(log_fields, values_that_could_be_misread_are_quoted) {
  STRCMP_EQUAL("\"a b\"", field_value("a b").c_str());
  STRCMP_EQUAL("\"\\x22\"", field_value("\"").c_str());
  STRCMP_EQUAL("\"\\x5c\"", field_value("\\").c_str());
  STRCMP_EQUAL("\"\\x0a\"", field_value("\n").c_str());
  STRCMP_EQUAL("\"\\x00\"", field_value(std::string(1, '\0')).c_str());
  STRCMP_EQUAL("\"\\x80\"", field_value("\x80").c_str());
  STRCMP_EQUAL("\"a\\x3db\"", field_value("a=b").c_str());
}

TEST(log_fields, a_line_without_tag_starts_with_its_first_field) {
  field_line line;
  line.add("client", "1.2.3.4:5").add("phase", "relay");
  STRCMP_EQUAL("client=1.2.3.4:5 phase=relay", line.str().c_str());
}

TEST(log_fields, the_parser_refuses_forged_lines) {
  std::string tag;
  fields got;
  CHECK_FALSE(parse("session id=\"unterminated", tag, got));
  CHECK_FALSE(parse("session id=a\"b", tag, got));
  CHECK_FALSE(parse("session id=\"a\"b", tag, got));
  CHECK_FALSE(parse("session id=\"\\q\"", tag, got));
  CHECK_FALSE(parse("session novalue", tag, got));
  CHECK_FALSE(parse("session req=a=b", tag, got));
  CHECK_FALSE(parse("session close=\"x rep=0x00\"", tag, got));
}
