// SPDX-License-Identifier: GPL-2.0-or-later
// Unit tests: the SOCKS4/4a and HTTP proxy faces of `tlsmux socks` (socks4_codec,
// http_proxy_codec, local_front), every request fed split at every byte position.
#include "client/local_front.hpp"

#include "../socks5/socks5_test_support.hpp"

#include <CppUTest/TestHarness.h>

using namespace tlsmux;
using namespace tlsmux::client;
using namespace socks5_test;

namespace {

parser_fn socks4_parser(socks4_request& r) {
  return [&r](const std::uint8_t* p, std::size_t n, std::size_t& used) { return parse_socks4_request(p, n, used, r); };
}

parser_fn http_parser(http_proxy_request& r, int& status) {
  return [&r, &status](const std::uint8_t* p, std::size_t n, std::size_t& used) {
    return parse_http_proxy_request(p, n, used, r, status);
  };
}

std::string text_of(const socks5::bytes& b) { return std::string(b.begin(), b.end()); }

}  // namespace

TEST_GROUP(socks4_codec) {
  socks4_request r;
};

TEST(socks4_codec, socks4_connect_split_everywhere) {
  const bytes msg = {0x04, 0x01, 0x00, 0x50, 127, 0, 0, 1, 'b', 'o', 'b', 0x00};
  STRCMP_EQUAL("", check_valid_split(socks4_parser(r), msg).c_str());
  LONGS_EQUAL(1, r.cmd);
  CHECK_FALSE(r.socks4a);
  STRCMP_EQUAL("127.0.0.1:80", r.dst.to_string().c_str());
  STRCMP_EQUAL("bob", r.userid.c_str());
}

TEST(socks4_codec, socks4a_name_split_everywhere) {
  const bytes msg = cat({0x04, 0x01, 0x01, 0xbb, 0, 0, 0, 9, 0x00}, cat(from_text("localhost"), {0x00}));
  STRCMP_EQUAL("", check_valid_split(socks4_parser(r), msg).c_str());
  CHECK_TRUE(r.socks4a);
  CHECK(r.dst.type == socks5::atyp::domain);
  STRCMP_EQUAL("localhost:443", r.dst.to_string().c_str());
  STRCMP_EQUAL("", r.userid.c_str());
}

TEST(socks4_codec, malformed) {
  STRCMP_EQUAL("", check_bad_split(socks4_parser(r), {0x05, 0x01, 0x00}).c_str());
  STRCMP_EQUAL("", check_bad_split(socks4_parser(r), {0x04, 0x01, 0x00, 0x00, 1, 2, 3, 4, 0x00}).c_str());  // port 0
  STRCMP_EQUAL("", check_bad_split(socks4_parser(r), {0x04, 0x01, 0x00, 0x50, 0, 0, 0, 1, 0x00, 0x00}).c_str());  // empty 4a host
  bytes long_user = {0x04, 0x01, 0x00, 0x50, 1, 2, 3, 4};
  long_user.insert(long_user.end(), socks4_max_field + 1, 'u');
  STRCMP_EQUAL("", check_bad_split(socks4_parser(r), long_user).c_str());
  bytes max_user = {0x04, 0x01, 0x00, 0x50, 1, 2, 3, 4};
  max_user.insert(max_user.end(), socks4_max_field, 'u');
  max_user.push_back(0);
  STRCMP_EQUAL("", check_valid_split(socks4_parser(r), max_user).c_str());
}

TEST(socks4_codec, replies) {
  const bytes granted = encode_socks4_reply(socks4_reply::granted,
                                            socks5::address::from_ip(asio::ip::make_address("10.1.2.3"), 0x1234));
  CHECK(granted == bytes({0x00, 0x5a, 0x12, 0x34, 10, 1, 2, 3}));
  CHECK(encode_socks4_reply(socks4_reply::rejected, socks5::address::from_name("x", 1)) ==
        bytes({0x00, 0x5b, 0, 0, 0, 0, 0, 0}));
  CHECK(socks4_code_for(0) == socks4_reply::granted);
  for (int code = 1; code <= 8; ++code) CHECK(socks4_code_for(code) == socks4_reply::rejected);
}

TEST_GROUP(http_proxy_codec) {
  http_proxy_request r;
  int status = 0;
};

TEST(http_proxy_codec, connect_split_everywhere) {
  const bytes msg = from_text("CONNECT localhost:8443 HTTP/1.1\r\nHost: localhost:8443\r\n"
                              "Proxy-Authorization: Basic YWxpY2U6czNjcjN0\r\n\r\n");
  STRCMP_EQUAL("", check_valid_split(http_parser(r, status), msg).c_str());
  CHECK_TRUE(r.tunnel);
  STRCMP_EQUAL("localhost:8443", r.dst.to_string().c_str());
  std::string user, password;
  CHECK_TRUE(http_basic_credentials(r.proxy_authorization, user, password));
  STRCMP_EQUAL("alice", user.c_str());
  STRCMP_EQUAL("s3cr3t", password.c_str());
}

TEST(http_proxy_codec, connect_addresses) {
  const bytes v6 = from_text("CONNECT [::1]:22 HTTP/1.0\n\n");
  STRCMP_EQUAL("", check_valid_split(http_parser(r, status), v6).c_str());
  CHECK(r.dst.type == socks5::atyp::ipv6);
  STRCMP_EQUAL("[::1]:22", r.dst.to_string().c_str());
  const bytes v4 = from_text("CONNECT 127.0.0.1:25 HTTP/1.1\r\n\r\n");
  STRCMP_EQUAL("", check_valid_split(http_parser(r, status), v4).c_str());
  CHECK(r.dst.type == socks5::atyp::ipv4);
}

TEST(http_proxy_codec, absolute_form_rewritten_split_everywhere) {
  const bytes msg = from_text("GET http://Example.test:8080/a?b=c HTTP/1.1\r\nHost: example.test:8080\r\n"
                              "Proxy-Connection: keep-alive\r\nAccept: */*\r\n\r\n");
  STRCMP_EQUAL("", check_valid_split(http_parser(r, status), msg).c_str());
  CHECK_FALSE(r.tunnel);
  STRCMP_EQUAL("Example.test:8080", r.dst.to_string().c_str());
  STRCMP_EQUAL("GET /a?b=c HTTP/1.1\r\nHost: example.test:8080\r\nAccept: */*\r\nConnection: close\r\n\r\n",
               r.forward_head.c_str());
  const bytes bare = from_text("HEAD http://h HTTP/1.0\r\n\r\n");
  STRCMP_EQUAL("", check_valid_split(http_parser(r, status), bare).c_str());
  STRCMP_EQUAL("h:80", r.dst.to_string().c_str());
  STRCMP_EQUAL("HEAD / HTTP/1.0\r\nHost: h:80\r\nConnection: close\r\n\r\n", r.forward_head.c_str());
}

TEST(http_proxy_codec, refusals_carry_the_status) {
  const struct {
    const char* head;
    int status;
  } cases[] = {
      {"CONNECT localhost HTTP/1.1\r\n\r\n", 400},          // no port
      {"CONNECT localhost:0 HTTP/1.1\r\n\r\n", 400},
      {"CONNECT localhost:65536 HTTP/1.1\r\n\r\n", 400},
      {"CONNECT ::1:22 HTTP/1.1\r\n\r\n", 400},             // IPv6 without brackets
      {"CONNECT a@b:22 HTTP/1.1\r\n\r\n", 400},
      {"GET / HTTP/1.1\r\nHost: x\r\n\r\n", 501},           // origin-form: not a proxy request
      {"GET https://x/ HTTP/1.1\r\n\r\n", 501},
      {"GET ftp://x/ HTTP/1.1\r\n\r\n", 501},
      {"CONNECT x:1 HTTP/2.0\r\n\r\n", 505},
      {"CONNECT x:1 FOO\r\n\r\n", 400},
      {"CONNECT  x:1 HTTP/1.1\r\n\r\n", 400},
      {"CONNECT x:1 HTTP/1.1\r\nBad Name: v\r\n\r\n", 400},
      {"CONNECT x:1 HTTP/1.1\r\n folded\r\n\r\n", 400},
  };
  for (std::size_t i = 0; i < sizeof cases / sizeof cases[0]; ++i) {
    STRCMP_EQUAL_TEXT("", check_bad_split(http_parser(r, status), from_text(cases[i].head)).c_str(), cases[i].head);
    LONGS_EQUAL_TEXT(cases[i].status, status, cases[i].head);
  }
}

TEST(http_proxy_codec, head_size_bound) {
  std::string head = "CONNECT x:1 HTTP/1.1\r\nX: " + std::string(http_max_head, 'a') + "\r\n\r\n";
  STRCMP_EQUAL("", check_bad_split(http_parser(r, status), from_text(head)).c_str());
  LONGS_EQUAL(431, status);
}

TEST(http_proxy_codec, responses_and_statuses) {
  std::string e = http_error_response(403, "tlsmux: x\r\nSet-Cookie: y");
  STRCMP_EQUAL("HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nContent-Length: 25\r\n"
               "Connection: close\r\n\r\ntlsmux: x??Set-Cookie: y\n", e.c_str());
  CHECK(http_error_response(407, "r").find("\r\nProxy-Authenticate: Basic realm=\"tlsmux\"\r\n") != std::string::npos);
  STRCMP_EQUAL("HTTP/1.1 200 Connection established\r\n\r\n", http_connect_established().c_str());
  LONGS_EQUAL(403, http_status_for(0x02, http_failure::refused));
  LONGS_EQUAL(504, http_status_for(0x06, http_failure::refused));
  LONGS_EQUAL(504, http_status_for(-1, http_failure::timed_out));
  LONGS_EQUAL(407, http_status_for(-1, http_failure::auth_needed));
  LONGS_EQUAL(502, http_status_for(0x05, http_failure::refused));
  LONGS_EQUAL(502, http_status_for(0x04, http_failure::refused));
  LONGS_EQUAL(502, http_status_for(-1, http_failure::unreachable));
  std::string u, p;
  CHECK_FALSE(http_basic_credentials("Bearer abc", u, p));
  CHECK_FALSE(http_basic_credentials("Basic !!!", u, p));
  CHECK_FALSE(http_basic_credentials("Basic bm9jb2xvbg==", u, p));  // "nocolon"
}

TEST_GROUP(local_front) {};

TEST(local_front, detects_by_first_byte) {
  CHECK(detect_protocol(0x05) == local_protocol::socks5);
  CHECK(detect_protocol(0x04) == local_protocol::socks4);
  CHECK(detect_protocol('C') == local_protocol::http);
  CHECK(detect_protocol('G') == local_protocol::http);
  CHECK(detect_protocol(0x16) == local_protocol::unknown);  // a TLS ClientHello
  CHECK(detect_protocol('g') == local_protocol::unknown);
}

TEST(local_front, socks4_grant_and_refusal) {
  legacy_front f(local_protocol::socks4);
  const bytes msg = {0x04, 0x01, 0x00, 0x50, 127, 0, 0, 1, 0x00, 'x'};
  std::size_t used = 0;
  bytes out;
  std::string why;
  LONGS_EQUAL((int)parse_status::ok, (int)f.feed(msg.data(), msg.size(), used, out, why));
  LONGS_EQUAL(9, used);
  STRCMP_EQUAL("socks4", f.name());
  STRCMP_EQUAL("127.0.0.1:80", f.target().to_string().c_str());
  CHECK(f.refused(0x02, http_failure::refused, "no") == bytes({0, 0x5b, 0, 0, 0, 0, 0, 0}));
  CHECK(f.refused(-1, http_failure::timed_out, "no") == bytes({0, 0x5b, 0, 0, 0, 0, 0, 0}));
  CHECK(f.granted(socks5::address()).at(1) == 0x5a);
  CHECK(f.to_service().empty());
  legacy_front bind(local_protocol::socks4);
  const bytes bind_msg = {0x04, 0x02, 0x00, 0x50, 127, 0, 0, 1, 0x00};
  LONGS_EQUAL((int)parse_status::bad, (int)bind.feed(bind_msg.data(), bind_msg.size(), used, out, why));
  CHECK(out == bytes({0, 0x5b, 0, 0, 0, 0, 0, 0}));
}

TEST(local_front, http_answers) {
  legacy_front f(local_protocol::http);
  const bytes msg = from_text("CONNECT localhost:22 HTTP/1.1\r\nProxy-Authorization: Basic YTpi\r\n\r\nSSH-2.0");
  std::size_t used = 0;
  bytes out;
  std::string why;
  LONGS_EQUAL((int)parse_status::ok, (int)f.feed(msg.data(), msg.size(), used, out, why));
  LONGS_EQUAL(msg.size() - 7, used);
  STRCMP_EQUAL("http-connect", f.name());
  STRCMP_EQUAL("a", f.user().c_str());
  STRCMP_EQUAL("b", f.password().c_str());
  STRCMP_EQUAL("HTTP/1.1 200 Connection established\r\n\r\n", text_of(f.granted(socks5::address())).c_str());
  std::string refusal = text_of(f.refused(0x02, http_failure::refused, "localhost:22 is not exposed"));
  STRCMP_CONTAINS("HTTP/1.1 403 Forbidden\r\n", refusal.c_str());
  STRCMP_CONTAINS("\r\n\r\ntlsmux: localhost:22 is not exposed\n", refusal.c_str());
  legacy_front bad(local_protocol::http);
  const bytes junk = from_text("GET / HTTP/1.1\r\n\r\n");
  LONGS_EQUAL((int)parse_status::bad, (int)bad.feed(junk.data(), junk.size(), used, out, why));
  STRCMP_CONTAINS("HTTP/1.1 501 Not Implemented\r\n", text_of(out).c_str());
}
