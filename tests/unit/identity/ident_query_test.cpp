// SPDX-License-Identifier: GPL-2.0-or-later
// RFC 1413 query lines, fed whole and split at every position, and the replies.
#include "identity/ident_query.hpp"

#include <string>

#include <CppUTest/TestHarness.h>

using namespace tlsmux::identity;
typedef ident_query_parser::status status;

namespace {

struct outcome {
  status st = status::need_more;
  std::size_t used = 0;
  std::uint16_t s = 0, c = 0;
  std::string s_text, c_text;
};

outcome feed_split(const std::string& in, std::size_t split) {
  ident_query_parser p;
  outcome o;
  const std::uint8_t* d = reinterpret_cast<const std::uint8_t*>(in.data());
  std::size_t used = 0;
  o.st = p.feed(d, split, used);
  o.used = used;
  if (o.st == status::need_more) {
    o.st = p.feed(d + split, in.size() - split, used);
    o.used += used;
  }
  o.s = p.port_on_server();
  o.c = p.port_on_client();
  o.s_text = p.server_text();
  o.c_text = p.client_text();
  return o;
}

// The same outcome for every split of in; returns it.
outcome parse(const std::string& in) {
  outcome whole = feed_split(in, in.size());
  for (std::size_t k = 0; k <= in.size(); ++k) {
    outcome o = feed_split(in, k);
    CHECK_TEXT(o.st == whole.st, ("split at " + std::to_string(k) + " of " + in).c_str());
    LONGS_EQUAL(whole.used, o.used);
    LONGS_EQUAL(whole.s, o.s);
    LONGS_EQUAL(whole.c, o.c);
  }
  return whole;
}

}  // namespace

TEST_GROUP(ident_query) {};

TEST(ident_query, rfc_example) {
  outcome o = parse("6191, 23\r\n");
  CHECK(o.st == status::query);
  LONGS_EQUAL(6191, o.s);
  LONGS_EQUAL(23, o.c);
  LONGS_EQUAL(10, o.used);
}

TEST(ident_query, blanks_bare_lf_and_trailing_bytes) {
  outcome o = parse(" \t40000 ,\t25 \nmore");
  CHECK(o.st == status::query);
  LONGS_EQUAL(40000, o.s);
  LONGS_EQUAL(25, o.c);
  LONGS_EQUAL(14, o.used);  // stops after the LF
  CHECK(parse("1,65535\r\n").st == status::query);
}

TEST(ident_query, invalid_ports_keep_the_text) {
  outcome o = parse("0, 25\r\n");
  CHECK(o.st == status::invalid_port);
  STRCMP_EQUAL("0", o.s_text.c_str());
  o = parse("113, 99999\r\n");
  CHECK(o.st == status::invalid_port);
  STRCMP_EQUAL("99999", o.c_text.c_str());
}

TEST(ident_query, malformed_lines) {
  const char* bad[] = {"\r\n", "6191\r\n", "6191,\r\n", ",23\r\n", "6191 23\r\n", "61a1, 23\r\n",
                       "-1, 23\r\n", "6191, 23 x\r\n", "123456, 1\r\n", "6191,, 23\r\n", "6191, 23\r\r\n"};
  for (std::size_t i = 0; i < sizeof bad / sizeof bad[0]; ++i)
    CHECK_TEXT(parse(bad[i]).st == status::bad, bad[i]);
}

TEST(ident_query, line_limit) {
  std::string blanks(ident_max_line - 5, ' ');
  CHECK(parse(blanks + "1,2\r\n").st == status::query);       // exactly the limit
  CHECK(parse(blanks + " 1,2\r\n").st == status::bad);       // one more
  std::string endless(1000, ' ');
  ident_query_parser p;
  std::size_t used = 0;
  CHECK(p.feed(reinterpret_cast<const std::uint8_t*>(endless.data()), endless.size(), used) == status::bad);
  LONGS_EQUAL(ident_max_line, used);  // never reads past the limit
  CHECK(p.feed(reinterpret_cast<const std::uint8_t*>("\n"), 1, used) == status::bad);
  LONGS_EQUAL(0, used);
}

TEST(ident_query, need_more_until_lf) {
  ident_query_parser p;
  std::size_t used = 0;
  CHECK(p.feed(reinterpret_cast<const std::uint8_t*>("6191, 23"), 8, used) == status::need_more);
  LONGS_EQUAL(8, used);
}

TEST(ident_query, replies) {
  STRCMP_EQUAL("6193 , 23 : USERID : UNIX : alice\r\n", ident_userid_reply("6193", "23", "alice").c_str());
  STRCMP_EQUAL("1 , 2 : USERID : UNIX : cert:Jane Doe\r\n", ident_userid_reply("1", "2", "cert:Jane Doe").c_str());
  STRCMP_EQUAL("1 , 2 : USERID : UNIX : a?b?c?\r\n",
               ident_userid_reply("1", "2", std::string("a\rb\nc\0", 6)).c_str());
  LONGS_EQUAL(512, ident_userid_reply("1", "2", std::string(600, 'x')).size() - 26);
  STRCMP_EQUAL("6195 , 23 : ERROR : NO-USER\r\n", ident_error_reply("6195", "23", "NO-USER").c_str());
}
