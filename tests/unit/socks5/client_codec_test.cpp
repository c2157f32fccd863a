// SPDX-License-Identifier: GPL-2.0-or-later
// Tests for the client-side SOCKS5 encoders and the parsers for (hostile) server answers.
#include "socks5/client_codec.hpp"
#include "socks5/server_codec.hpp"
#include "socks5_test_support.hpp"

#include <string>

#include <CppUTest/TestHarness.h>

using namespace tlsmux::socks5;
using namespace socks5_test;

namespace {

parser_fn choice_parser(std::uint8_t& m) {
  return [&m](const std::uint8_t* p, std::size_t n, std::size_t& used) {
    return parse_method_choice(p, n, used, m);
  };
}

parser_fn status_parser(bool& ok) {
  return [&ok](const std::uint8_t* p, std::size_t n, std::size_t& used) {
    return parse_userpass_status(p, n, used, ok);
  };
}

parser_fn reply_parser(reply& r) {
  return [&r](const std::uint8_t* p, std::size_t n, std::size_t& used) {
    return parse_reply(p, n, used, r);
  };
}

const bytes reply_v4 = {0x05, 0x00, 0x00, 0x01, 127, 0, 0, 1, 0x9c, 0x40};
const bytes reply_v6 = {0x05, 0x05, 0x00, 0x04, 0xfe, 0x80, 0, 0, 0, 0, 0, 0,
                        0,    0,    0,    0,    0,    0,    0, 2, 0x00, 0x16};
const bytes reply_name = {0x05, 0x04, 0x00, 0x03, 3, 'w', 'w', 'w', 0x01, 0xbb};

}  // namespace

TEST_GROUP(client_encoders) {};

TEST(client_encoders, greeting) {
  CHECK(bytes({0x05, 0x01, 0x00}) == encode_greeting({method::no_auth}));
  CHECK(bytes({0x05, 0x02, 0x00, 0x02}) == encode_greeting({method::no_auth, method::user_pass}));
  CHECK(bytes({0x05, 0x00}) == encode_greeting({}));
  const bytes many = encode_greeting(std::vector<method>(300, method::gssapi));
  LONGS_EQUAL(2 + 255, many.size());
  LONGS_EQUAL(255, many[1]);
}

TEST(client_encoders, greeting_round_trips) {
  const bytes msg = encode_greeting({method::user_pass, method::no_auth});
  std::vector<std::uint8_t> methods;
  std::size_t used = 0;
  LONGS_EQUAL((int)parse_status::ok, (int)parse_greeting(msg.data(), msg.size(), used, methods));
  CHECK(methods == std::vector<std::uint8_t>({0x02, 0x00}));
}

TEST(client_encoders, userpass) {
  bytes out = {0xee};
  CHECK(encode_userpass(out, "bob", "pw"));
  CHECK(bytes({0xee, 0x01, 3, 'b', 'o', 'b', 2, 'p', 'w'}) == out);
}

TEST(client_encoders, userpass_limits) {
  bytes out = {0xee};
  CHECK_FALSE(encode_userpass(out, "", "pw"));
  CHECK_FALSE(encode_userpass(out, "bob", ""));
  CHECK_FALSE(encode_userpass(out, std::string(256, 'u'), "pw"));
  CHECK_FALSE(encode_userpass(out, "bob", std::string(256, 'p')));
  CHECK(bytes({0xee}) == out);
  CHECK(encode_userpass(out, std::string(255, 'u'), std::string(255, 'p')));
  LONGS_EQUAL(1 + 3 + 255 + 255, out.size());
}

TEST(client_encoders, request) {
  bytes out;
  CHECK(encode_request(out, command::connect,
                       address::from_ip(asio::ip::make_address("127.0.0.1"), 25)));
  CHECK(bytes({0x05, 0x01, 0x00, 0x01, 127, 0, 0, 1, 0x00, 0x19}) == out);
  out.clear();
  CHECK(encode_request(out, command::udp_associate, address::from_name("dns", 53)));
  CHECK(bytes({0x05, 0x03, 0x00, 0x03, 3, 'd', 'n', 's', 0x00, 0x35}) == out);
}

TEST(client_encoders, request_with_unencodable_address) {
  bytes out = {0xee};
  // curl CVE-2023-38545: a name longer than 255 bytes must never be truncated into the length.
  CHECK_FALSE(encode_request(out, command::connect, address::from_name(std::string(256, 'a'), 80)));
  CHECK_FALSE(encode_request(out, command::connect, address::from_name("", 80)));
  CHECK(bytes({0xee}) == out);
}

TEST_GROUP(client_parsers) {
  std::uint8_t chosen = 0x77;
  bool ok = false;
  reply rep;

  void expect_reply_round_trip(const bytes& msg) {
    std::size_t used = 0;
    LONGS_EQUAL((int)parse_status::ok, (int)parse_copy(reply_parser(rep), msg, used));
    CHECK(msg == encode_reply(static_cast<reply_code>(rep.code), rep.bnd));
  }
};

TEST(client_parsers, method_choice) {
  STRCMP_EQUAL("", check_valid_split(choice_parser(chosen), {0x05, 0x02}).c_str());
  LONGS_EQUAL(0x02, chosen);
  STRCMP_EQUAL("", check_valid_split(choice_parser(chosen), {0x05, 0xff}).c_str());
  LONGS_EQUAL(0xff, chosen);
  STRCMP_EQUAL("", check_bad_split(choice_parser(chosen), {0x04, 0x00}).c_str());
  STRCMP_EQUAL("", check_bad_split(choice_parser(chosen), from_text("HTTP/1.1")).c_str());
}

TEST(client_parsers, userpass_status) {
  STRCMP_EQUAL("", check_valid_split(status_parser(ok), {0x01, 0x00}).c_str());
  CHECK(ok);
  STRCMP_EQUAL("", check_valid_split(status_parser(ok), {0x01, 0x01}).c_str());
  CHECK_FALSE(ok);
  ok = true;
  STRCMP_EQUAL("", check_valid_split(status_parser(ok), {0x01, 0xff}).c_str());
  CHECK_FALSE(ok);
  STRCMP_EQUAL("", check_bad_split(status_parser(ok), {0x05, 0x00}).c_str());
}

TEST(client_parsers, reply_ipv4_split_everywhere) {
  STRCMP_EQUAL("", check_valid_split(reply_parser(rep), reply_v4).c_str());
  LONGS_EQUAL(0x00, rep.code);
  STRCMP_EQUAL("127.0.0.1:40000", rep.bnd.to_string().c_str());
  expect_reply_round_trip(reply_v4);
}

TEST(client_parsers, reply_ipv6_split_everywhere) {
  STRCMP_EQUAL("", check_valid_split(reply_parser(rep), reply_v6).c_str());
  LONGS_EQUAL(0x05, rep.code);
  STRCMP_EQUAL("[fe80::2]:22", rep.bnd.to_string().c_str());
  expect_reply_round_trip(reply_v6);
}

TEST(client_parsers, reply_domain_split_everywhere) {
  STRCMP_EQUAL("", check_valid_split(reply_parser(rep), reply_name).c_str());
  LONGS_EQUAL(0x04, rep.code);
  STRCMP_EQUAL("www:443", rep.bnd.to_string().c_str());
  expect_reply_round_trip(reply_name);
}

TEST(client_parsers, reply_with_unknown_code_is_reported_raw) {
  bytes msg = reply_v4;
  msg[1] = 0x42;
  STRCMP_EQUAL("", check_valid_split(reply_parser(rep), msg).c_str());
  LONGS_EQUAL(0x42, rep.code);
}

TEST(client_parsers, malformed_replies) {
  bytes wrong_ver = reply_v4;
  wrong_ver[0] = 0x00;  // a SOCKS4 reply starts with 0
  bytes rsv = reply_v4;
  rsv[2] = 0x01;
  bytes atyp2 = reply_v4;
  atyp2[3] = 0x02;
  bytes atyp_ff = reply_v4;
  atyp_ff[3] = 0xff;
  const bytes empty_name = {0x05, 0x00, 0x00, 0x03, 0x00, 0x00, 0x50};
  const bytes* cases[] = {&wrong_ver, &rsv, &atyp2, &atyp_ff, &empty_name};
  for (std::size_t i = 0; i < 5; ++i) {
    std::size_t used = 0;
    rep.code = 0x99;
    LONGS_EQUAL((int)parse_status::bad, (int)parse_copy(reply_parser(rep), *cases[i], used));
    LONGS_EQUAL(untouched, used);
    LONGS_EQUAL(0x99, rep.code);
    STRCMP_EQUAL("", check_bad_split(reply_parser(rep), *cases[i]).c_str());
  }
}

TEST(client_parsers, hostile_lengths_never_read_past_the_input) {
  // A name length of 255 with only a few bytes behind it (socat CVE-2026-56123 shape).
  bytes msg = {0x05, 0x00, 0x00, 0x03, 0xff, 'a', 'b'};
  std::size_t used = 0;
  LONGS_EQUAL((int)parse_status::need_more, (int)parse_copy(reply_parser(rep), msg, used));
  msg.insert(msg.end(), 253, 'c');
  LONGS_EQUAL((int)parse_status::need_more, (int)parse_copy(reply_parser(rep), msg, used));
  msg.push_back(0x00);
  LONGS_EQUAL((int)parse_status::need_more, (int)parse_copy(reply_parser(rep), msg, used));
  msg.push_back(0x50);
  LONGS_EQUAL((int)parse_status::ok, (int)parse_copy(reply_parser(rep), msg, used));
  LONGS_EQUAL(msg.size(), used);
  LONGS_EQUAL(255, rep.bnd.name.size());
}

TEST(client_parsers, random_replies_keep_the_invariants) {
  byte_source rng(777);
  for (int iter = 0; iter < 3000; ++iter) {
    bytes msg;
    msg.push_back(rng.next() % 8 ? 0x05 : rng.interesting());
    msg.push_back(rng.interesting());
    msg.push_back(rng.next() % 8 ? 0x00 : rng.interesting());
    msg.push_back(rng.interesting());
    const std::size_t extra = rng.next() % 24;
    for (std::size_t i = 0; i < extra; ++i) msg.push_back(rng.interesting());
    std::size_t used = 0;
    const parse_status whole = parse_copy(reply_parser(rep), msg, used);
    for (std::size_t k = 0; k < msg.size(); ++k) {
      std::size_t u = 0;
      const parse_status part = parse_copy(reply_parser(rep), prefix(msg, k), u);
      if (whole == parse_status::ok && k < used) CHECK(part == parse_status::need_more);
      if (whole == parse_status::ok && k >= used) CHECK(part == parse_status::ok && u == used);
      if (part == parse_status::bad) CHECK(whole == parse_status::bad);
    }
    if (whole == parse_status::ok) expect_reply_round_trip(prefix(msg, used));
  }
}

// Every lockout status says at least the time it was made from, and nothing else does.
TEST(client_parsers, lockout_seconds_reads_the_lockout_status) {
  LONGS_EQUAL(0, lockout_seconds(0x00));
  LONGS_EQUAL(0, lockout_seconds(0x01));
  LONGS_EQUAL(0, lockout_seconds(0x80));
  LONGS_EQUAL(0, lockout_seconds(0xFF));
  LONGS_EQUAL(1, lockout_seconds(0x81));
  LONGS_EQUAL(60, lockout_seconds(0xBC));
  LONGS_EQUAL(120, lockout_seconds(0xBD));
  LONGS_EQUAL(67 * 60, lockout_seconds(0xFE));
  for (std::uint32_t s = 1; s <= 4020; ++s) {
    const std::uint32_t back = lockout_seconds(lockout_status(s));
    CHECK_TEXT(back >= s && back < s + 60, std::to_string(s).c_str());
  }
  std::size_t used = 0;
  std::uint8_t status = 0;
  const std::uint8_t msg[] = {0x01, 0xBD};
  CHECK(parse_status::ok == parse_userpass_status(msg, 2, used, status));
  LONGS_EQUAL(0xBD, status);
}
