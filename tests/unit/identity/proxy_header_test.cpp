// SPDX-License-Identifier: GPL-2.0-or-later
// PROXY protocol v1 and v2 headers, byte for byte (HAProxy's proxy-protocol.txt).
#include "identity/proxy_header.hpp"

#include <string>
#include <vector>

#include <CppUTest/TestHarness.h>

using namespace tlsmux::identity;
typedef std::vector<std::uint8_t> bytes;

namespace {

asio::ip::tcp::endpoint ep(const char* a, unsigned short port) {
  return asio::ip::tcp::endpoint(asio::ip::make_address(a), port);
}

proxy_facts facts(const char* src, unsigned short sp, const char* dst, unsigned short dp) {
  proxy_facts f;
  f.source = ep(src, sp);
  f.destination = ep(dst, dp);
  return f;
}

std::string text_of(const bytes& b) { return std::string(b.begin(), b.end()); }

const std::uint8_t sig[12] = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

bytes header(std::uint8_t cmd, std::uint8_t fam, const bytes& body) {
  bytes b(sig, sig + 12);
  b.push_back(cmd);
  b.push_back(fam);
  b.push_back(static_cast<std::uint8_t>(body.size() >> 8));
  b.push_back(static_cast<std::uint8_t>(body.size() & 0xff));
  b.insert(b.end(), body.begin(), body.end());
  return b;
}

void check_bytes(const bytes& want, const bytes& got) {
  LONGS_EQUAL(want.size(), got.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    if (want[i] != got[i]) FAIL(("byte " + std::to_string(i) + " differs").c_str());
  }
}

}  // namespace

TEST_GROUP(proxy_header) {};

TEST(proxy_header, v1_tcp4_spec_example) {
  STRCMP_EQUAL("PROXY TCP4 192.168.0.1 192.168.0.11 56324 443\r\n",
               text_of(encode_proxy_v1(facts("192.168.0.1", 56324, "192.168.0.11", 443))).c_str());
}

TEST(proxy_header, v1_tcp6_longest_line_fits_107_bytes) {
  const char* all = "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff";
  std::string line = text_of(encode_proxy_v1(facts(all, 65535, all, 65535)));
  STRCMP_EQUAL((std::string("PROXY TCP6 ") + all + " " + all + " 65535 65535\r\n").c_str(), line.c_str());
  CHECK(line.size() <= 107);
  STRCMP_EQUAL("PROXY TCP6 2001:db8::1 ::1 40000 25\r\n",
               text_of(encode_proxy_v1(facts("2001:db8::1", 40000, "::1", 25))).c_str());
}

TEST(proxy_header, v1_unknown_and_mixed_families) {
  proxy_facts f;
  f.known = false;
  STRCMP_EQUAL("PROXY UNKNOWN\r\n", text_of(encode_proxy_v1(f)).c_str());
  // IPv6 client, IPv4 service: both as IPv6, the IPv4 one mapped.
  STRCMP_EQUAL("PROXY TCP6 2001:db8::5 ::ffff:127.0.0.1 1234 80\r\n",
               text_of(encode_proxy_v1(facts("2001:db8::5", 1234, "127.0.0.1", 80))).c_str());
  // An IPv4-mapped client on a dual-stack listener is an IPv4 client.
  STRCMP_EQUAL("PROXY TCP4 127.0.0.5 127.0.0.1 1234 80\r\n",
               text_of(encode_proxy_v1(facts("::ffff:127.0.0.5", 1234, "127.0.0.1", 80))).c_str());
}

TEST(proxy_header, v2_tcp4_without_tlvs) {
  const std::uint8_t body[] = {192, 168, 0, 1, 192, 168, 0, 11, 0xDC, 0x04, 0x01, 0xBB};
  check_bytes(header(0x21, 0x11, bytes(body, body + sizeof body)),
              encode_proxy_v2(facts("192.168.0.1", 56324, "192.168.0.11", 443)));
}

TEST(proxy_header, v2_tcp6_without_tlvs) {
  bytes body;
  const std::uint8_t src[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x05};
  const std::uint8_t dst[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  body.insert(body.end(), src, src + 16);
  body.insert(body.end(), dst, dst + 16);
  const std::uint8_t ports[] = {0x9C, 0x40, 0x00, 0x19};
  body.insert(body.end(), ports, ports + 4);
  bytes got = encode_proxy_v2(facts("2001:db8::5", 40000, "::1", 25));
  check_bytes(header(0x21, 0x21, body), got);
  LONGS_EQUAL(16 + 36, got.size());
}

TEST(proxy_header, v2_local_when_unknown) {
  proxy_facts f;
  f.known = false;
  check_bytes(header(0x20, 0x00, bytes()), encode_proxy_v2(f));
}

TEST(proxy_header, v2_authority_and_ssl_tlvs) {
  proxy_facts f = facts("10.0.0.1", 1, "127.0.0.1", 2);
  f.authority = "smtp";
  f.tls = true;
  f.client_cert = true;
  f.tls_version = "TLSv1.3";
  f.tls_cn = "alice";
  const std::uint8_t addr[] = {10, 0, 0, 1, 127, 0, 0, 1, 0, 1, 0, 2};
  bytes body(addr, addr + sizeof addr);
  const std::uint8_t authority[] = {0x02, 0x00, 0x04, 's', 'm', 't', 'p'};
  body.insert(body.end(), authority, authority + sizeof authority);
  const std::uint8_t ssl[] = {0x20, 0x00, 0x13,                    // PP2_TYPE_SSL, 19 bytes
                              0x03, 0, 0, 0, 0,                    // CLIENT_SSL|CERT_CONN, verify 0
                              0x21, 0x00, 0x07, 'T', 'L', 'S', 'v', '1', '.', '3',
                              0x22, 0x00, 0x05, 'a', 'l', 'i', 'c', 'e'};
  // 5 + 10 + 8 = 23 bytes of value
  bytes ssl_tlv(ssl, ssl + sizeof ssl);
  ssl_tlv[2] = static_cast<std::uint8_t>(sizeof ssl - 3);
  body.insert(body.end(), ssl_tlv.begin(), ssl_tlv.end());
  check_bytes(header(0x21, 0x11, body), encode_proxy_v2(f));
}

TEST(proxy_header, v2_ssl_without_certificate_has_no_cn) {
  proxy_facts f = facts("10.0.0.1", 1, "127.0.0.1", 2);
  f.tls = true;
  f.tls_cn = "ignored";
  bytes got = encode_proxy_v2(f);
  const std::uint8_t ssl[] = {0x20, 0x00, 0x05, 0x01, 0, 0, 0, 0};
  bytes want_tail(ssl, ssl + sizeof ssl);
  CHECK(bytes(got.end() - 8, got.end()) == want_tail);
}

TEST(proxy_header, versions_parse_and_dispatch) {
  proxy_version v = proxy_version::none;
  CHECK(parse_proxy_version("v2", v));
  CHECK(v == proxy_version::v2);
  CHECK(parse_proxy_version("v1", v));
  CHECK(v == proxy_version::v1);
  CHECK(parse_proxy_version("none", v));
  CHECK(v == proxy_version::none);
  CHECK_FALSE(parse_proxy_version("v3", v));
  CHECK_FALSE(parse_proxy_version("V1", v));
  CHECK(encode_proxy(proxy_version::none, facts("1.2.3.4", 1, "5.6.7.8", 2)).empty());
  STRCMP_EQUAL("v2", proxy_version_name(proxy_version::v2));
}
