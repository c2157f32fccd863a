// SPDX-License-Identifier: GPL-2.0-or-later
// IP literals as text and back: RFC 5952 output, inet_pton's grammar on every OS, and the
// templates over Asio's types.
#include "text/ip_text.hpp"

#include <asio/ip/address.hpp>
#include <asio/ip/tcp.hpp>

#include <cstdlib>
#include <string>

#include <CppUTest/TestHarness.h>

using tlsmux::text::endpoint_text;
using tlsmux::text::ip_bytes;
using tlsmux::text::ip_text;
using tlsmux::text::parse_ip;

TEST_GROUP(ip_text) {};

// The same text on every OS (Windows' inet_ntop spells some of these differently).
TEST(ip_text, rfc5952_with_glibc_dotted_tails) {
  const char* cases[][2] = {
      {"::", "::"},
      {"::1", "::1"},
      {"::0.0.0.2", "::2"},
      {"::127.0.0.1", "::127.0.0.1"},
      {"::ffff:10.0.0.1", "::ffff:10.0.0.1"},
      {"::ffff:0:a00:1", "::ffff:0:a00:1"},
      {"64:ff9b::a00:1", "64:ff9b::a00:1"},
      {"2001:DB8:0:0:1:0:0:1", "2001:db8::1:0:0:1"},
      {"2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"},
      {"fe80::", "fe80::"},
      {"1:0:0:2:0:0:0:3", "1:0:0:2::3"},
      {"0:0:1::", "0:0:1::"},
      {"10.1.2.3", "10.1.2.3"},
  };
  for (std::size_t i = 0; i < sizeof cases / sizeof cases[0]; ++i)
    STRCMP_EQUAL(cases[i][1], ip_text(asio::ip::make_address(cases[i][0])).c_str());
}

TEST(ip_text, endpoints_bracket_ipv6) {
  STRCMP_EQUAL("1.2.3.4:80", endpoint_text(asio::ip::make_address("1.2.3.4"), 80).c_str());
  STRCMP_EQUAL("[::1]:443", endpoint_text(asio::ip::make_address("::1"), 443).c_str());
  asio::ip::tcp::endpoint ep(asio::ip::make_address("fe80::1"), 65535);
  STRCMP_EQUAL("[fe80::1]:65535", endpoint_text(ep).c_str());
  const std::uint8_t odd[3] = {1, 2, 3};
  STRCMP_EQUAL("?", ip_text(odd, 3).c_str());
}

TEST(ip_text, parse_accepts_inet_pton_forms) {
  const char* good[] = {"0.0.0.0", "255.255.255.255", "10.0.0.1", "::", "::1", "1::", "1::2",
                        "fe80::1:2", "::ffff:192.0.2.1", "2001:db8::8:800:200c:417a",
                        "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7::", "::2:3:4:5:6:7:8",
                        "1:2:3:4:5:6:1.2.3.4", "ABCD:ef01::", "0:0:0:0:0:0:0:0"};
  for (std::size_t i = 0; i < sizeof good / sizeof good[0]; ++i) {
    asio::ip::address a;
    CHECK_TEXT(parse_ip(good[i], a), good[i]);
    CHECK_TEXT(a == asio::ip::make_address(good[i]), good[i]);
  }
}

TEST(ip_text, parse_refuses_what_some_os_parsers_accept) {
  const char* bad[] = {"",          "1.2.3",       "1.2.3.4.5",   "256.1.1.1",    "01.2.3.4",
                       "1.2.3.04",  "0x7f.0.0.1",  "127.1",       "2130706433",   " 1.2.3.4",
                       "1.2.3.4 ",  "1..2.3",      ":",           ":::",          "::1::",
                       "1:::2",     ":1::",        "1::2:",       "12345::",      "1:2:3:4:5:6:7:8:9",
                       "1:2:3:4:5:6:7:8::", "::1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:1.2.3.4",
                       "fe80::1%eth0", "[::1]",    "::g",         "::1.2.3",      "1.2.3.4::",
                       "::01.2.3.4", "localhost"};
  for (std::size_t i = 0; i < sizeof bad / sizeof bad[0]; ++i) {
    ip_bytes b;
    b.size = 99;
    CHECK_FALSE_TEXT(parse_ip(bad[i], b), bad[i]);
    LONGS_EQUAL_TEXT(99, b.size, bad[i]);  // left alone
  }
}

TEST(ip_text, parse_gives_network_order_bytes) {
  ip_bytes b;
  CHECK(parse_ip("192.0.2.1", b));
  LONGS_EQUAL(4, b.size);
  LONGS_EQUAL(192, b.b[0]);
  LONGS_EQUAL(1, b.b[3]);
  CHECK(parse_ip("2001:db8::ff", b));
  LONGS_EQUAL(16, b.size);
  LONGS_EQUAL(0x20, b.b[0]);
  LONGS_EQUAL(0xb8, b.b[3]);
  LONGS_EQUAL(0xff, b.b[15]);
  STRCMP_EQUAL("2001:db8::ff", ip_text(b.b, b.size).c_str());
}

// Whatever parse_ip accepts, Asio (the OS parser) reads as the same address, and
// ip_text() of it parses back to it.
TEST(ip_text, parse_never_disagrees_with_asio_on_what_it_accepts) {
  const char alphabet[] = "0123456789abcdefABCDEF:.:.:";
  std::srand(12345);
  int accepted = 0;
  for (int n = 0; n < 200000; ++n) {
    std::string s;
    const int len = 1 + std::rand() % 20;
    for (int i = 0; i < len; ++i) s += alphabet[std::rand() % (sizeof alphabet - 1)];
    asio::ip::address a;
    if (!parse_ip(s, a)) continue;
    ++accepted;
    std::error_code ec;
    asio::ip::address os = asio::ip::make_address(s, ec);
    CHECK_TEXT(!ec && os == a, s.c_str());
    asio::ip::address back;
    CHECK_TEXT(parse_ip(ip_text(a), back) && back == a, s.c_str());
  }
  CHECK(accepted > 100);
}
