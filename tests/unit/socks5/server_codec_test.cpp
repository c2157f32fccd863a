// SPDX-License-Identifier: GPL-2.0-or-later
// Tests for the server-side SOCKS5 parsers (greeting, RFC 1929, request) and encoders.
#include "socks5/client_codec.hpp"
#include "socks5/server_codec.hpp"
#include "socks5_test_support.hpp"

#include <string>

#include <CppUTest/TestHarness.h>

using namespace tlsmux::socks5;
using namespace socks5_test;

namespace {

const bytes req_v4 = {0x05, 0x01, 0x00, 0x01, 127, 0, 0, 1, 0x00, 0x19};
const bytes req_v6 = {0x05, 0x01, 0x00, 0x04, 0, 0, 0, 0, 0, 0, 0, 0,
                      0,    0,    0,    0,    0, 0, 0, 1, 0x01, 0xbb};
const bytes req_name = {0x05, 0x03, 0x00, 0x03, 9, 'l', 'o', 'c', 'a',
                        'l',  'h',  'o',  's',  't', 0x00, 0x35};

parser_fn greeting_parser(std::vector<std::uint8_t>& methods) {
  return [&methods](const std::uint8_t* p, std::size_t n, std::size_t& used) {
    return parse_greeting(p, n, used, methods);
  };
}

parser_fn userpass_parser(credentials& c) {
  return [&c](const std::uint8_t* p, std::size_t n, std::size_t& used) {
    return parse_userpass(p, n, used, c);
  };
}

parser_fn request_parser(request& r, request_error& e) {
  return [&r, &e](const std::uint8_t* p, std::size_t n, std::size_t& used) {
    return parse_request(p, n, used, r, e);
  };
}

}  // namespace

TEST_GROUP(server_greeting) {
  std::vector<std::uint8_t> methods;
};

TEST(server_greeting, valid_split_everywhere) {
  STRCMP_EQUAL("", check_valid_split(greeting_parser(methods), {0x05, 0x01, 0x00}).c_str());
  CHECK(methods == std::vector<std::uint8_t>({0x00}));
  STRCMP_EQUAL("", check_valid_split(greeting_parser(methods), {0x05, 0x02, 0x00, 0x02}).c_str());
  CHECK(methods == std::vector<std::uint8_t>({0x00, 0x02}));
}

TEST(server_greeting, all_255_methods) {
  bytes msg = {0x05, 0xff};
  for (int i = 0; i < 255; ++i) msg.push_back(static_cast<std::uint8_t>(i));
  STRCMP_EQUAL("", check_valid_split(greeting_parser(methods), msg).c_str());
  LONGS_EQUAL(255, methods.size());
  LONGS_EQUAL(0xfe, methods.back());
}

TEST(server_greeting, malformed) {
  // SOCKS4, HTTP and TLS bytes, then NMETHODS 0.
  const bytes cases[] = {{0x04, 0x01, 0x00, 0x50, 127, 0, 0, 1, 0x00},
                         from_text("GET / HTTP/1.1\r\n"),
                         {0x16, 0x03, 0x01},
                         {0x05, 0x00}};
  for (std::size_t i = 0; i < 4; ++i) {
    std::size_t used = 0;
    LONGS_EQUAL((int)parse_status::bad, (int)parse_copy(greeting_parser(methods), cases[i], used));
    LONGS_EQUAL(untouched, used);
    STRCMP_EQUAL("", check_bad_split(greeting_parser(methods), cases[i]).c_str());
  }
}

TEST(server_greeting, methods_shorter_than_nmethods_waits) {
  std::size_t used = 0;
  LONGS_EQUAL((int)parse_status::need_more,
              (int)parse_copy(greeting_parser(methods), {0x05, 0x03, 0x00, 0x02}, used));
}

TEST_GROUP(server_userpass) {
  credentials cred;
};

TEST(server_userpass, valid_split_everywhere) {
  const bytes msg = {0x01, 5, 'a', 'l', 'i', 'c', 'e', 6, 's', 'e', 'c', 'r', 'e', 't'};
  STRCMP_EQUAL("", check_valid_split(userpass_parser(cred), msg).c_str());
  STRCMP_EQUAL("alice", cred.user.c_str());
  STRCMP_EQUAL("secret", cred.password.c_str());
}

TEST(server_userpass, empty_password_and_longest_fields) {
  STRCMP_EQUAL("", check_valid_split(userpass_parser(cred), {0x01, 1, 'u', 0}).c_str());
  STRCMP_EQUAL("", cred.password.c_str());
  bytes msg = {0x01, 255};
  msg.insert(msg.end(), 255, 'u');
  msg.push_back(255);
  msg.insert(msg.end(), 255, 'p');
  STRCMP_EQUAL("", check_valid_split(userpass_parser(cred), msg).c_str());
  LONGS_EQUAL(255, cred.user.size());
  LONGS_EQUAL(255, cred.password.size());
}

TEST(server_userpass, round_trips_through_the_client_encoder) {
  bytes msg;
  CHECK(encode_userpass(msg, std::string("a\0b", 3), "p w"));
  std::size_t used = 0;
  LONGS_EQUAL((int)parse_status::ok, (int)parse_copy(userpass_parser(cred), msg, used));
  CHECK(std::string("a\0b", 3) == cred.user);
  STRCMP_EQUAL("p w", cred.password.c_str());
}

TEST(server_userpass, malformed) {
  // A SOCKS5 request instead of the sub-negotiation, VER 0, then ULEN 0.
  const bytes cases[] = {req_v4, {0x00, 1, 'u', 1, 'p'}, {0x01, 0x00, 0x01, 'p'}};
  for (std::size_t i = 0; i < 3; ++i) {
    std::size_t used = 0;
    LONGS_EQUAL((int)parse_status::bad, (int)parse_copy(userpass_parser(cred), cases[i], used));
    STRCMP_EQUAL("", check_bad_split(userpass_parser(cred), cases[i]).c_str());
  }
}

TEST(server_userpass, truncated_waits) {
  std::size_t used = 0;
  // PLEN announces 200 bytes that never come.
  LONGS_EQUAL((int)parse_status::need_more,
              (int)parse_copy(userpass_parser(cred), {0x01, 1, 'u', 200, 'p', 'q'}, used));
  LONGS_EQUAL(untouched, used);
}

TEST_GROUP(server_request) {
  request req;
  request_error err;

  void expect_bad(const bytes& msg, reply_code code, bool send_reply) {
    std::size_t used = 0;
    LONGS_EQUAL((int)parse_status::bad, (int)parse_copy(request_parser(req, err), msg, used));
    LONGS_EQUAL((int)code, (int)err.code);
    CHECK_EQUAL(send_reply, err.send_reply);
    CHECK(err.reason != nullptr && err.reason[0] != '\0');
    STRCMP_EQUAL("", check_bad_split(request_parser(req, err), msg).c_str());
  }

  void expect_round_trip(const bytes& msg) {
    std::size_t used = 0;
    LONGS_EQUAL((int)parse_status::ok, (int)parse_copy(request_parser(req, err), msg, used));
    bytes again;
    CHECK(encode_request(again, static_cast<command>(req.cmd), req.dst));
    CHECK(msg == again);
  }
};

TEST(server_request, ipv4_split_everywhere) {
  STRCMP_EQUAL("", check_valid_split(request_parser(req, err), req_v4).c_str());
  LONGS_EQUAL(0x01, req.cmd);
  STRCMP_EQUAL("127.0.0.1:25", req.dst.to_string().c_str());
  expect_round_trip(req_v4);
}

TEST(server_request, ipv6_split_everywhere) {
  STRCMP_EQUAL("", check_valid_split(request_parser(req, err), req_v6).c_str());
  STRCMP_EQUAL("[::1]:443", req.dst.to_string().c_str());
  expect_round_trip(req_v6);
}

TEST(server_request, domain_split_everywhere) {
  STRCMP_EQUAL("", check_valid_split(request_parser(req, err), req_name).c_str());
  LONGS_EQUAL(0x03, req.cmd);
  CHECK(req.dst.type == atyp::domain);
  STRCMP_EQUAL("localhost:53", req.dst.to_string().c_str());
  expect_round_trip(req_name);
}

TEST(server_request, unknown_command_parses_ok) {
  const std::uint8_t cmds[] = {0x00, 0x04, 0x09, 0xff};
  for (std::size_t i = 0; i < sizeof cmds; ++i) {
    bytes msg = req_v4;
    msg[1] = cmds[i];
    STRCMP_EQUAL("", check_valid_split(request_parser(req, err), msg).c_str());
    LONGS_EQUAL(cmds[i], req.cmd);
    expect_round_trip(msg);
  }
}

TEST(server_request, wrong_version_closes_without_reply) {
  bytes socks4 = {0x04, 0x01, 0x00, 0x50, 127, 0, 0, 1, 'u', 0x00};
  expect_bad(socks4, reply_code::general_failure, false);
  expect_bad(from_text("CONNECT localhost:25 HTTP/1.1\r\n"), reply_code::general_failure, false);
}

TEST(server_request, reserved_byte_not_zero_is_general_failure) {
  bytes msg = req_v4;
  msg[2] = 0x01;
  expect_bad(msg, reply_code::general_failure, true);
  msg[2] = 0xff;
  expect_bad(msg, reply_code::general_failure, true);
}

TEST(server_request, unknown_address_type_is_0x08) {
  const std::uint8_t types[] = {0x00, 0x02, 0x05, 0xff};
  for (std::size_t i = 0; i < sizeof types; ++i) {
    bytes msg = req_v4;
    msg[3] = types[i];
    expect_bad(msg, reply_code::address_type_not_supported, true);
  }
}

TEST(server_request, zero_length_domain_is_general_failure) {
  expect_bad({0x05, 0x01, 0x00, 0x03, 0x00, 0x00, 0x19}, reply_code::general_failure, true);
}

TEST(server_request, truncated_requests_wait) {
  std::size_t used = 0;
  // A name length byte that promises more than arrives (the curl CVE-2023-38545 shape).
  bytes msg = {0x05, 0x01, 0x00, 0x03, 0xff};
  msg.insert(msg.end(), 100, 'a');
  LONGS_EQUAL((int)parse_status::need_more, (int)parse_copy(request_parser(req, err), msg, used));
  LONGS_EQUAL(untouched, used);
}

TEST(server_request, random_inputs_keep_the_invariants) {
  byte_source rng(12345);
  for (int iter = 0; iter < 3000; ++iter) {
    bytes msg;
    msg.push_back(rng.next() % 8 ? 0x05 : rng.interesting());
    msg.push_back(rng.interesting());
    msg.push_back(rng.next() % 8 ? 0x00 : rng.interesting());
    msg.push_back(rng.interesting());
    const std::size_t extra = rng.next() % 24;
    for (std::size_t i = 0; i < extra; ++i) msg.push_back(rng.interesting());
    std::size_t used = 0;
    const parse_status whole = parse_copy(request_parser(req, err), msg, used);
    const request_error whole_err = err;
    for (std::size_t k = 0; k < msg.size(); ++k) {
      std::size_t u = 0;
      const parse_status part = parse_copy(request_parser(req, err), prefix(msg, k), u);
      if (whole == parse_status::ok && k < used) CHECK(part == parse_status::need_more);
      if (whole == parse_status::ok && k >= used) CHECK(part == parse_status::ok && u == used);
      if (whole == parse_status::need_more) CHECK(part == parse_status::need_more);
      if (part == parse_status::bad) {
        CHECK(whole == parse_status::bad);
        LONGS_EQUAL((int)whole_err.code, (int)err.code);
        CHECK_EQUAL(whole_err.send_reply, err.send_reply);
        STRCMP_EQUAL(whole_err.reason, err.reason);
      }
    }
    if (whole == parse_status::ok) {
      CHECK(used <= msg.size());
      expect_round_trip(prefix(msg, used));
    }
  }
}

TEST_GROUP(server_encoders) {};

TEST(server_encoders, method_choice_and_userpass_status) {
  CHECK(bytes({0x05, 0x00}) == encode_method_choice(method::no_auth));
  CHECK(bytes({0x05, 0x02}) == encode_method_choice(method::user_pass));
  CHECK(bytes({0x05, 0xff}) == encode_method_choice(method::none_acceptable));
  CHECK(bytes({0x01, 0x00}) == encode_userpass_status(true));
  CHECK(bytes({0x01, 0x01}) == encode_userpass_status(false));
  CHECK(bytes({0x01, 0x9e}) == encode_userpass_status_byte(0x9e));
}

// The lockout status: seconds up to a minute, then minutes rounded up, capped.
TEST(server_encoders, lockout_status_values) {
  const std::uint32_t seconds[] = {0, 1, 59, 60, 61, 120, 121, 3600, 4020, 4021, 86400};
  const std::uint8_t status[] = {0x81, 0x81, 0xBB, 0xBC, 0xBD, 0xBD, 0xBE, 0xF7, 0xFE, 0xFE, 0xFE};
  for (std::size_t i = 0; i < sizeof seconds / sizeof seconds[0]; ++i)
    LONGS_EQUAL_TEXT(status[i], lockout_status(seconds[i]), std::to_string(seconds[i]).c_str());
}

TEST(server_encoders, replies) {
  CHECK(bytes({0x05, 0x00, 0x00, 0x01, 127, 0, 0, 2, 0xc3, 0x50}) ==
        encode_reply(reply_code::succeeded,
                     address::from_ip(asio::ip::make_address("127.0.0.2"), 50000)));
  CHECK(bytes({0x05, 0x07, 0x00, 0x01, 0, 0, 0, 0, 0, 0}) ==
        encode_reply(reply_code::command_not_supported,
                     address::from_ip(asio::ip::address_v4::any(), 0)));
  const bytes v6 = encode_reply(reply_code::connection_refused,
                                address::from_ip(asio::ip::make_address("::1"), 25));
  LONGS_EQUAL(3 + 19, v6.size());
  LONGS_EQUAL(0x05, v6[1]);
  CHECK(bytes({0x05, 0x02, 0x00, 0x03, 4, 's', 'm', 't', 'p', 0x00, 0x19}) ==
        encode_reply(reply_code::not_allowed, address::from_name("smtp", 25)));
}

TEST(server_encoders, unencodable_bound_address_becomes_zero) {
  const bytes zero = {0x05, 0x08, 0x00, 0x01, 0, 0, 0, 0, 0, 0};
  CHECK(zero == encode_reply(reply_code::address_type_not_supported,
                             address::from_name(std::string(256, 'a'), 80)));
  CHECK(zero == encode_reply(reply_code::address_type_not_supported, address::from_name("", 80)));
}
