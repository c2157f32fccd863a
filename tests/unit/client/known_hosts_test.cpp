// SPDX-License-Identifier: GPL-2.0-or-later
// Unit tests: the known_hosts format, including corrupt lines.
#include "client/known_hosts.hpp"

#include <CppUTest/TestHarness.h>

using namespace tlsmux::client;

namespace {
const char* const pin_a = "sha256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=";
const char* const pin_b = "sha256:LCa0a2j/xo/5m0U8HTBBNBNCLXBkg7+g+YpeiGJm564=";
}  // namespace

TEST_GROUP(known_hosts) {
  known_hosts db;
  std::vector<std::string> warnings;
};

TEST(known_hosts, match_mismatch_unknown) {
  db.load(std::string("# comment\n\nmux.example:4430 ") + pin_a + "\n", "kh", warnings);
  LONGS_EQUAL(0, warnings.size());
  known_host found;
  CHECK(db.check("mux.example:4430", pin_a, found) == trust::match);
  LONGS_EQUAL(3, found.line);
  CHECK(db.check("MUX.example:4430", pin_b, found) == trust::mismatch);
  STRCMP_EQUAL(pin_a, found.pin.c_str());
  CHECK(db.check("mux.example:4431", pin_a, found) == trust::unknown);
}

TEST(known_hosts, corrupt_lines_are_reported_and_skipped) {
  std::string text = std::string("good:1 ") + pin_a + "\n" +
                     "nopin:2\n" +
                     "bad:3 sha256:notbase64!!\n" +
                     "noport " + pin_a + "\n" +
                     "x:4 " + pin_a + " trailing\n" +
                     "bad\x01name:5 " + pin_a + "\r\n" +
                     "crlf:6 " + pin_b + "\r\n";
  db.load(text, "kh", warnings);
  LONGS_EQUAL(5, warnings.size());
  STRCMP_EQUAL("kh:2: ignoring a corrupt line", warnings[0].c_str());
  known_host found;
  CHECK(db.check("good:1", pin_a, found) == trust::match);
  CHECK(db.check("crlf:6", pin_b, found) == trust::match);
  CHECK(db.check("x:4", pin_a, found) == trust::unknown);
}

TEST(known_hosts, key_and_line_format) {
  STRCMP_EQUAL("host.example:4430", known_hosts::make_key("Host.Example", 4430).c_str());
  STRCMP_EQUAL("[::1]:4430", known_hosts::make_key("::1", 4430).c_str());
  std::string line = known_hosts::format("[::1]:4430", pin_a);
  db.load(line, "kh", warnings);
  known_host found;
  CHECK(db.check("[::1]:4430", pin_a, found) == trust::match);
}
