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

// Key rotation: "@next" lines are announced keys, never current ones.
TEST(known_hosts, next_lines_are_announcements) {
  const std::string text = std::string("mux:4430 ") + pin_a + "\n@next MUX:4430 " + pin_b + "\n";
  db.load(text, "kh", warnings);
  LONGS_EQUAL(0, warnings.size());
  known_host found;
  CHECK(db.check("mux:4430", pin_a, found) == trust::match);
  CHECK(db.check("mux:4430", pin_b, found) == trust::mismatch);  // announced is not trusted yet
  CHECK_TRUE(db.announced("mux:4430", pin_b, found));
  LONGS_EQUAL(2, found.line);
  CHECK_TRUE(found.next);
  CHECK_FALSE(db.announced("mux:4430", pin_a, found));
  CHECK_FALSE(db.announced("other:4430", pin_b, found));
  known_hosts only_next;
  only_next.load(std::string("@next mux:4430 ") + pin_b + "\n", "kh", warnings);
  CHECK(only_next.check("mux:4430", pin_b, found) == trust::unknown);
  only_next.load(std::string("@next mux:4430\n@nex mux:4430 ") + pin_b + "\n", "kh", warnings);
  LONGS_EQUAL(2, warnings.size());
}

TEST(known_hosts, set_next_promote_remove) {
  const std::string text = std::string("# mine\nmux:4430 ") + pin_a + "\nother:1 " + pin_a + "\n@next mux:4430 " + pin_a + "\n";
  std::vector<std::string> pins(1, pin_b);
  STRCMP_EQUAL((std::string("# mine\nmux:4430 ") + pin_a + "\nother:1 " + pin_a + "\n@next mux:4430 " + pin_b + "\n").c_str(),
               known_hosts::set_next(text, "MUX:4430", pins).c_str());
  STRCMP_EQUAL((std::string("# mine\nmux:4430 ") + pin_a + "\nother:1 " + pin_a + "\n").c_str(),
               known_hosts::set_next(text, "mux:4430", std::vector<std::string>()).c_str());
  STRCMP_EQUAL((std::string("# mine\nother:1 ") + pin_a + "\nmux:4430 " + pin_b + "\n").c_str(),
               known_hosts::promote(text, "mux:4430", pin_b).c_str());
  int removed = 0;
  STRCMP_EQUAL((std::string("# mine\nother:1 ") + pin_a + "\n").c_str(), known_hosts::remove(text, "mux:4430", removed).c_str());
  LONGS_EQUAL(2, removed);
  STRCMP_EQUAL(text.c_str(), known_hosts::remove(text, "nothere:1", removed).c_str());
  LONGS_EQUAL(0, removed);
  // corrupt lines survive every edit
  const std::string corrupt = "mux:4430 sha256:short\n";
  STRCMP_EQUAL((corrupt + "mux:4430 " + pin_b + "\n").c_str(), known_hosts::promote(corrupt, "mux:4430", pin_b).c_str());
}
