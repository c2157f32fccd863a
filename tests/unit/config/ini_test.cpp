// SPDX-License-Identifier: GPL-2.0-or-later
// The INI reader: entries, sections, comments, CRLF, and errors located by file:line.
#include "config/ini.hpp"

#include <string>
#include <vector>

#include <CppUTest/TestHarness.h>

using tlsmux::config::entry;
using tlsmux::config::error;
using tlsmux::config::parse_ini;

TEST_GROUP(ini) {
  std::vector<entry> out;
  std::vector<error> errors;

  bool parse(const std::string& text) { return parse_ini(text, "t.conf", out, errors); }

  std::string first_error() { return errors.empty() ? "" : errors[0].to_string(); }
};

TEST(ini, key_value_lines) {
  CHECK(parse("listen = 127.0.0.1:4430\ncert=/etc/tlsmux/a.crt\n  max_sessions   =  10  \n"));
  LONGS_EQUAL(3, out.size());
  STRCMP_EQUAL("", out[0].section.c_str());
  STRCMP_EQUAL("listen", out[0].key.c_str());
  STRCMP_EQUAL("127.0.0.1:4430", out[0].value.c_str());
  STRCMP_EQUAL("t.conf", out[0].file.c_str());
  LONGS_EQUAL(1, out[0].line);
  STRCMP_EQUAL("/etc/tlsmux/a.crt", out[1].value.c_str());
  STRCMP_EQUAL("max-sessions", out[2].key.c_str());  // '_' normalised, value trimmed
  STRCMP_EQUAL("10", out[2].value.c_str());
  LONGS_EQUAL(3, out[2].line);
}

TEST(ini, keys_are_lower_case_and_values_keep_their_bytes) {
  CHECK(parse("Log-Level = Debug\nkey = a=b # not a comment\nempty =\n"));
  STRCMP_EQUAL("log-level", out[0].key.c_str());
  STRCMP_EQUAL("Debug", out[0].value.c_str());
  STRCMP_EQUAL("a=b # not a comment", out[1].value.c_str());
  STRCMP_EQUAL("", out[2].value.c_str());
}

TEST(ini, double_quotes_are_removed) {
  CHECK(parse("log-file = \" /tmp/with space.log \"\nuser = \"\nx = \"\"\n"));
  STRCMP_EQUAL(" /tmp/with space.log ", out[0].value.c_str());
  STRCMP_EQUAL("\"", out[1].value.c_str());
  STRCMP_EQUAL("", out[2].value.c_str());
}

TEST(ini, comments_and_blank_lines) {
  CHECK(parse("# comment\n; also a comment\n   # indented\n\n\t\nudp = yes\n"));
  LONGS_EQUAL(1, out.size());
  LONGS_EQUAL(6, out[0].line);
}

TEST(ini, crlf_and_bom_are_tolerated) {
  CHECK(parse("\xef\xbb\xbf" "cert = a\r\n[service smtp]\r\nport = 25\r\n"));
  LONGS_EQUAL(2, out.size());
  STRCMP_EQUAL("cert", out[0].key.c_str());
  STRCMP_EQUAL("a", out[0].value.c_str());
  STRCMP_EQUAL("service smtp", out[1].section.c_str());
  STRCMP_EQUAL("25", out[1].value.c_str());
}

TEST(ini, sections) {
  CHECK(parse("a = 1\n[server]\nb = 2\n[ service   Mail-1.x_y ]\nport = 25\n[Other]\nc = 3\n"));
  STRCMP_EQUAL("", out[0].section.c_str());
  STRCMP_EQUAL("server", out[1].section.c_str());
  STRCMP_EQUAL("service Mail-1.x_y", out[2].section.c_str());
  STRCMP_EQUAL("other", out[3].section.c_str());
}

TEST(ini, errors_name_file_and_line) {
  CHECK_FALSE(parse("cert = a\nthis line has no equals sign\n"));
  STRCMP_EQUAL("t.conf:2: expected 'key = value'", first_error().c_str());
}

TEST(ini, bad_lines) {
  CHECK_FALSE(parse(" = value\n"));
  STRCMP_EQUAL("t.conf:1: missing key before '='", first_error().c_str());
  errors.clear();
  CHECK_FALSE(parse("\n\nmy key = 1\n"));
  STRCMP_EQUAL("t.conf:3: bad key 'my key'", first_error().c_str());
  errors.clear();
  CHECK_FALSE(parse("a = b\x01\n"));
  STRCMP_EQUAL("t.conf:1: control character", first_error().c_str());
  errors.clear();
  CHECK_FALSE(parse("a = " + std::string(5000, 'x') + "\n"));
  STRCMP_EQUAL("t.conf:1: line longer than 4096 bytes", first_error().c_str());
}

TEST(ini, nul_is_an_error) {
  CHECK_FALSE(parse(std::string("cert = a\nkey = b\0c\n", 18)));
  STRCMP_EQUAL("t.conf:2: NUL byte", first_error().c_str());
}

TEST(ini, malformed_headers) {
  const char* bad[] = {"[service]\n",       "[service a b]\n", "[service a/b]\n",
                       "[server\n",         "[]\n",            "[two words]\n",
                       "[service a\"b]\n"};
  for (std::size_t i = 0; i < sizeof bad / sizeof bad[0]; ++i) {
    errors.clear();
    CHECK_FALSE_TEXT(parse(bad[i]), bad[i]);
    LONGS_EQUAL(1, errors[0].line);
  }
}

TEST(ini, duplicate_service_section) {
  CHECK_FALSE(parse("[service smtp]\nport = 25\n[service SMTP]\nport = 26\n"));
  STRCMP_EQUAL("t.conf:3: duplicate service 'SMTP' (first defined at line 1)",
               first_error().c_str());
}

TEST(ini, empty_service_section) {
  CHECK_FALSE(parse("[service smtp]\n# nothing\n[service web]\nport = 80\n[service last]\n"));
  LONGS_EQUAL(2, errors.size());
  STRCMP_EQUAL("t.conf:1: [service smtp] has no keys (port is required)",
               errors[0].to_string().c_str());
  LONGS_EQUAL(5, errors[1].line);
}

TEST(ini, all_errors_are_reported) {
  CHECK_FALSE(parse("bad\nok = 1\nalso bad\n"));
  LONGS_EQUAL(2, errors.size());
  LONGS_EQUAL(1, out.size());
}

TEST(ini, error_to_string_forms) {
  error e;
  e.file = "a.conf";
  e.line = 7;
  e.message = "oops";
  STRCMP_EQUAL("a.conf:7: oops", e.to_string().c_str());
  e.line = 0;
  STRCMP_EQUAL("a.conf: oops", e.to_string().c_str());
  e.file.clear();
  STRCMP_EQUAL("oops", e.to_string().c_str());
}

// sample.conf sits beside this file.
std::string sample_path() {
  std::string here = __FILE__;
  return here.substr(0, here.rfind('/') + 1) + "sample.conf";
}

TEST(ini, reads_a_file) {
  CHECK(tlsmux::config::parse_ini_file(sample_path(), out, errors));
  CHECK(out.size() > 5);
  STRCMP_EQUAL(sample_path().c_str(), out[0].file.c_str());
  CHECK(out[0].line > 1);
}

TEST(ini, missing_file_is_one_error) {
  CHECK_FALSE(tlsmux::config::parse_ini_file("/nonexistent/tlsmux.conf", out, errors));
  LONGS_EQUAL(1, errors.size());
  STRCMP_EQUAL("/nonexistent/tlsmux.conf: cannot open: No such file or directory",
               first_error().c_str());
  CHECK(out.empty());
}
