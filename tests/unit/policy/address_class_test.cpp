// SPDX-License-Identifier: GPL-2.0-or-later
// canonical(), classify() and is_plain_hostname(): one check per row of DESIGN.md section 3.
#include "policy/address_class.hpp"
#include "text/ip_text.hpp"

#include <asio/ip/address.hpp>
#include <string>

#include <CppUTest/TestHarness.h>

using tlsmux::policy::address_class;
using tlsmux::policy::canonical;
using tlsmux::policy::classify;

namespace {

address_class class_of(const std::string& literal) {
  return classify(canonical(asio::ip::make_address(literal)));
}

void check_class(const char* literal, address_class expected) {
  STRCMP_EQUAL(tlsmux::policy::class_name(expected),
               tlsmux::policy::class_name(class_of(literal)));
}

}  // namespace

TEST_GROUP(address_class) {};

TEST(address_class, canonical_unwraps_only_ipv4_mapped) {
  asio::ip::address c = canonical(asio::ip::make_address("::ffff:127.0.0.1"));
  CHECK(c.is_v4());
  STRCMP_EQUAL("127.0.0.1", tlsmux::text::ip_text(c).c_str());
  // Upper-case and zero-padded spellings are the same binary address (CVE-2024-29415).
  c = canonical(asio::ip::make_address("0:0:0:0:0:FFFF:7F00:0001"));
  STRCMP_EQUAL("127.0.0.1", tlsmux::text::ip_text(c).c_str());
  STRCMP_EQUAL("::127.0.0.1", tlsmux::text::ip_text(canonical(asio::ip::make_address("::127.0.0.1"))).c_str());
  STRCMP_EQUAL("64:ff9b::a00:1",
               tlsmux::text::ip_text(canonical(asio::ip::make_address("64:ff9b::a00:1"))).c_str());
  STRCMP_EQUAL("::ffff:0:a00:1",
               tlsmux::text::ip_text(canonical(asio::ip::make_address("::ffff:0:a00:1"))).c_str());
  STRCMP_EQUAL("10.0.0.1", tlsmux::text::ip_text(canonical(asio::ip::make_address("10.0.0.1"))).c_str());
}

TEST(address_class, loopback) {
  check_class("127.0.0.1", address_class::loopback);
  check_class("127.0.0.2", address_class::loopback);
  check_class("127.255.255.254", address_class::loopback);
  check_class("::1", address_class::loopback);
  check_class("0000:0000::0001", address_class::loopback);
  check_class("::ffff:127.0.0.1", address_class::loopback);
  check_class("::ffff:127.1.2.3", address_class::loopback);
}

TEST(address_class, unspecified) {
  check_class("0.0.0.0", address_class::unspecified);
  check_class("0.1.2.3", address_class::unspecified);
  check_class("0.255.255.255", address_class::unspecified);
  check_class("::", address_class::unspecified);
  check_class("::ffff:0.0.0.0", address_class::unspecified);
}

TEST(address_class, link_local) {
  check_class("169.254.169.254", address_class::link_local);
  check_class("169.254.0.1", address_class::link_local);
  check_class("fe80::1", address_class::link_local);
  check_class("febf::1", address_class::link_local);
  check_class("::ffff:169.254.169.254", address_class::link_local);
  check_class("169.253.1.1", address_class::ordinary);
  check_class("fec0::1", address_class::ordinary);
}

TEST(address_class, multicast_and_broadcast) {
  check_class("224.0.0.1", address_class::multicast);
  check_class("239.255.255.250", address_class::multicast);
  check_class("ff02::1", address_class::multicast);
  check_class("ff05::1:3", address_class::multicast);
  check_class("255.255.255.255", address_class::broadcast);
  check_class("127.255.255.255", address_class::broadcast);
  check_class("::ffff:255.255.255.255", address_class::broadcast);
  check_class("240.0.0.1", address_class::ordinary);
}

TEST(address_class, embedded_ipv4_forms_are_never_unwrapped) {
  check_class("::127.0.0.1", address_class::embedded_ipv4);  // IPv4-compatible
  check_class("::10.0.0.1", address_class::embedded_ipv4);
  check_class("::2", address_class::embedded_ipv4);
  check_class("64:ff9b::a00:1", address_class::embedded_ipv4);  // NAT64
  check_class("64:ff9b::7f00:1", address_class::embedded_ipv4);
  check_class("64:ff9b:1::a00:1", address_class::embedded_ipv4);  // local-use NAT64
  check_class("2002:a00:1::", address_class::embedded_ipv4);     // 6to4
  check_class("2002:7f00:1::1", address_class::embedded_ipv4);
  check_class("2001::1", address_class::embedded_ipv4);  // Teredo
  check_class("2001:0:4136:e378:8000:63bf:3fff:fdd2", address_class::embedded_ipv4);
  check_class("::ffff:0:a00:1", address_class::embedded_ipv4);  // SIIT
  check_class("::ffff:0:7f00:1", address_class::embedded_ipv4);
}

TEST(address_class, ordinary) {
  check_class("10.0.0.5", address_class::ordinary);
  check_class("192.0.2.10", address_class::ordinary);
  check_class("8.8.8.8", address_class::ordinary);
  check_class("::ffff:10.0.0.1", address_class::ordinary);
  check_class("2001:db8::10", address_class::ordinary);  // 2001:db8:: is not Teredo
  check_class("2001:1::1", address_class::ordinary);
  check_class("fd00::1", address_class::ordinary);
  check_class("::1:0:0:1", address_class::ordinary);
}

TEST(address_class, class_names) {
  STRCMP_EQUAL("loopback", tlsmux::policy::class_name(address_class::loopback));
  STRCMP_EQUAL("link-local", tlsmux::policy::class_name(address_class::link_local));
  STRCMP_EQUAL("embedded-ipv4", tlsmux::policy::class_name(address_class::embedded_ipv4));
  STRCMP_EQUAL("ordinary", tlsmux::policy::class_name(address_class::ordinary));
}

TEST_GROUP(plain_hostname) {};

TEST(plain_hostname, accepts_host_names_and_numeric_forms) {
  using tlsmux::policy::is_plain_hostname;
  CHECK(is_plain_hostname("localhost"));
  CHECK(is_plain_hostname("mail.example.org"));
  CHECK(is_plain_hostname("Host-1_a.example."));
  CHECK(is_plain_hostname("127.1"));
  CHECK(is_plain_hostname("0x7f000001"));
  CHECK(is_plain_hostname("::ffff:127.0.0.1"));
  CHECK(is_plain_hostname(std::string(255, 'a')));
}

TEST(plain_hostname, refuses_everything_else) {
  using tlsmux::policy::is_plain_hostname;
  CHECK_FALSE(is_plain_hostname(""));
  CHECK_FALSE(is_plain_hostname(std::string(256, 'a')));
  CHECK_FALSE(is_plain_hostname(std::string("127.0.0.1\0.example.com", 22)));
  CHECK_FALSE(is_plain_hostname("evil host"));
  CHECK_FALSE(is_plain_hostname("localhost "));
  CHECK_FALSE(is_plain_hostname("a\r\nb"));
  CHECK_FALSE(is_plain_hostname("a\tb"));
  CHECK_FALSE(is_plain_hostname("\x1b[31mred"));
  CHECK_FALSE(is_plain_hostname("[::1]"));
  CHECK_FALSE(is_plain_hostname("fe80::1%eth0"));
  CHECK_FALSE(is_plain_hostname("a/b"));
  CHECK_FALSE(is_plain_hostname("caf\xc3\xa9"));
  CHECK_FALSE(is_plain_hostname("x\x7f"));
}
