// SPDX-License-Identifier: GPL-2.0-or-later
// Tests for the SOCKS5 protocol numbers and address field: names, address formatting, ATYP encoding and parsing.
#include "socks5/protocol.hpp"
#include "socks5_test_support.hpp"

#include <string>

#include <CppUTest/TestHarness.h>

using namespace tlsmux::socks5;
using namespace socks5_test;

namespace {

parser_fn address_parser(address& out, bool& unknown) {
  return [&out, &unknown](const std::uint8_t* p, std::size_t n, std::size_t& used) {
    return parse_address(p, n, used, out, &unknown);
  };
}

const bytes v4_bytes = {0x01, 127, 0, 0, 1, 0x12, 0x34};
const bytes v6_bytes = {0x04, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0x00, 0x50};
const bytes name_bytes = {0x03, 4, 's', 'm', 't', 'p', 0x00, 0x19};

}  // namespace

TEST_GROUP(protocol) {
  address parsed;
  bool unknown = true;
};

TEST(protocol, describe_names_every_reply_code) {
  STRCMP_EQUAL("succeeded", describe(reply_code::succeeded));
  STRCMP_EQUAL("general SOCKS server failure", describe(reply_code::general_failure));
  STRCMP_EQUAL("connection not allowed by ruleset", describe(reply_code::not_allowed));
  STRCMP_EQUAL("network unreachable", describe(reply_code::network_unreachable));
  STRCMP_EQUAL("host unreachable", describe(reply_code::host_unreachable));
  STRCMP_EQUAL("connection refused", describe(reply_code::connection_refused));
  STRCMP_EQUAL("TTL expired", describe(reply_code::ttl_expired));
  STRCMP_EQUAL("command not supported", describe(reply_code::command_not_supported));
  STRCMP_EQUAL("address type not supported", describe(reply_code::address_type_not_supported));
  STRCMP_EQUAL("unknown reply", describe(static_cast<reply_code>(0x09)));
  STRCMP_EQUAL("unknown reply", describe(static_cast<reply_code>(0xff)));
}

TEST(protocol, command_names) {
  STRCMP_EQUAL("connect", command_name(0x01));
  STRCMP_EQUAL("bind", command_name(0x02));
  STRCMP_EQUAL("udp-associate", command_name(0x03));
  STRCMP_EQUAL("unknown", command_name(0x00));
  STRCMP_EQUAL("unknown", command_name(0x04));
  STRCMP_EQUAL("unknown", command_name(0xff));
}

TEST(protocol, from_ip_picks_the_family) {
  address a = address::from_ip(asio::ip::make_address("10.1.2.3"), 8080);
  CHECK(a.type == atyp::ipv4);
  LONGS_EQUAL(8080, a.port);
  address b = address::from_ip(asio::ip::make_address("::ffff:127.0.0.1"), 1);
  CHECK(b.type == atyp::ipv6);
  address c = address::from_name("smtp", 25);
  CHECK(c.type == atyp::domain);
  STRCMP_EQUAL("smtp", c.name.c_str());
}

TEST(protocol, to_string_formats) {
  STRCMP_EQUAL("1.2.3.4:80",
               address::from_ip(asio::ip::make_address("1.2.3.4"), 80).to_string().c_str());
  STRCMP_EQUAL("[::1]:80", address::from_ip(asio::ip::make_address("::1"), 80).to_string().c_str());
  STRCMP_EQUAL("smtp:25", address::from_name("smtp", 25).to_string().c_str());
  // The name's bytes as sent: whoever prints it escapes it.
  CHECK(std::string("127.0.0.1\0.evil:65535", 21) ==
        address::from_name(std::string("127.0.0.1\0.evil", 15), 65535).to_string());
  STRCMP_EQUAL("a\nINFO fake:1", address::from_name("a\nINFO fake", 1).to_string().c_str());
}

TEST(protocol, encoded_sizes) {
  LONGS_EQUAL(7, encoded_size(address::from_ip(asio::ip::make_address("1.2.3.4"), 1)));
  LONGS_EQUAL(19, encoded_size(address::from_ip(asio::ip::make_address("::1"), 1)));
  LONGS_EQUAL(8, encoded_size(address::from_name("smtp", 1)));
  LONGS_EQUAL(259, encoded_size(address::from_name(std::string(255, 'a'), 1)));
}

TEST(protocol, append_address_uses_network_byte_order) {
  bytes out = {0xaa};
  CHECK(append_address(out, address::from_ip(asio::ip::make_address("127.0.0.1"), 0x1234)));
  CHECK(cat(bytes{0xaa}, v4_bytes) == out);
  out.clear();
  CHECK(append_address(out, address::from_ip(asio::ip::make_address("::1"), 80)));
  CHECK(v6_bytes == out);
  out.clear();
  CHECK(append_address(out, address::from_name("smtp", 25)));
  CHECK(name_bytes == out);
}

TEST(protocol, append_address_rejects_unencodable_and_leaves_out_alone) {
  bytes out = {0x01, 0x02};
  const bytes before = out;
  CHECK_FALSE(append_address(out, address::from_name(std::string(256, 'a'), 1)));
  CHECK_FALSE(append_address(out, address::from_name("", 1)));
  address mismatch = address::from_ip(asio::ip::make_address("::1"), 1);
  mismatch.type = atyp::ipv4;
  CHECK_FALSE(append_address(out, mismatch));
  mismatch = address::from_ip(asio::ip::make_address("1.2.3.4"), 1);
  mismatch.type = atyp::ipv6;
  CHECK_FALSE(append_address(out, mismatch));
  CHECK(before == out);
  CHECK(append_address(out, address::from_name(std::string(255, 'a'), 1)));
  LONGS_EQUAL(2 + 259, out.size());
}

TEST(protocol, parse_address_split_everywhere) {
  const bytes* all[] = {&v4_bytes, &v6_bytes, &name_bytes};
  for (std::size_t i = 0; i < 3; ++i) {
    const std::string failure = check_valid_split(address_parser(parsed, unknown), *all[i]);
    STRCMP_EQUAL("", failure.c_str());
    CHECK_FALSE(unknown);
  }
}

TEST(protocol, parse_address_values) {
  std::size_t used = 0;
  LONGS_EQUAL((int)parse_status::ok,
              (int)parse_copy(address_parser(parsed, unknown), v4_bytes, used));
  CHECK(parsed.type == atyp::ipv4);
  CHECK(parsed.ip == asio::ip::make_address("127.0.0.1"));
  LONGS_EQUAL(0x1234, parsed.port);
  LONGS_EQUAL((int)parse_status::ok,
              (int)parse_copy(address_parser(parsed, unknown), v6_bytes, used));
  CHECK(parsed.type == atyp::ipv6);
  CHECK(parsed.ip == asio::ip::make_address("::1"));
  LONGS_EQUAL(80, parsed.port);
  LONGS_EQUAL((int)parse_status::ok,
              (int)parse_copy(address_parser(parsed, unknown), name_bytes, used));
  CHECK(parsed.type == atyp::domain);
  STRCMP_EQUAL("smtp", parsed.name.c_str());
  LONGS_EQUAL(25, parsed.port);
}

TEST(protocol, parse_address_keeps_raw_name_bytes) {
  const bytes msg = {0x03, 5, 'a', 0x00, 'b', '\n', 0xff, 0xff, 0xff};
  std::size_t used = 0;
  LONGS_EQUAL((int)parse_status::ok, (int)parse_copy(address_parser(parsed, unknown), msg, used));
  LONGS_EQUAL(9, used);
  CHECK(std::string("a\0b\n\xff", 5) == parsed.name);
  LONGS_EQUAL(0xffff, parsed.port);
}

TEST(protocol, parse_address_longest_name) {
  bytes msg = {0x03, 255};
  msg.insert(msg.end(), 255, 'x');
  msg.push_back(0x00);
  msg.push_back(0x35);
  STRCMP_EQUAL("", check_valid_split(address_parser(parsed, unknown), msg).c_str());
  LONGS_EQUAL(255, parsed.name.size());
  bytes again;
  CHECK(append_address(again, parsed));
  CHECK(msg == again);
}

TEST(protocol, parse_address_unknown_atyp) {
  const std::uint8_t types[] = {0x00, 0x02, 0x05, 0x7f, 0xff};
  for (std::size_t i = 0; i < sizeof types; ++i) {
    const bytes msg = {types[i], 127, 0, 0, 1, 0, 80};
    std::size_t used = 0;
    unknown = false;
    LONGS_EQUAL((int)parse_status::bad,
                (int)parse_copy(address_parser(parsed, unknown), msg, used));
    CHECK(unknown);
    LONGS_EQUAL(untouched, used);
    // The verdict does not wait for the rest of the address.
    LONGS_EQUAL((int)parse_status::bad,
                (int)parse_copy(address_parser(parsed, unknown), prefix(msg, 1), used));
    STRCMP_EQUAL("", check_bad_split(address_parser(parsed, unknown), msg).c_str());
  }
}

TEST(protocol, parse_address_zero_length_name) {
  const bytes msg = {0x03, 0x00, 0x00, 0x50};
  std::size_t used = 0;
  LONGS_EQUAL((int)parse_status::bad, (int)parse_copy(address_parser(parsed, unknown), msg, used));
  CHECK_FALSE(unknown);
  STRCMP_EQUAL("", check_bad_split(address_parser(parsed, unknown), msg).c_str());
}

TEST(protocol, parse_address_null_flag_and_empty_input) {
  std::size_t used = untouched;
  LONGS_EQUAL((int)parse_status::need_more, (int)parse_address(nullptr, 0, used, parsed, nullptr));
  const bytes msg = {0x02};
  LONGS_EQUAL((int)parse_status::bad, (int)parse_address(msg.data(), 1, used, parsed, nullptr));
  LONGS_EQUAL(untouched, used);
}

TEST(protocol, parse_address_failure_leaves_output_alone) {
  parsed = address::from_name("kept", 7);
  const bytes msg = {0x03, 0x00};
  std::size_t used = 0;
  parse_copy(address_parser(parsed, unknown), msg, used);
  parse_copy(address_parser(parsed, unknown), prefix(v6_bytes, 10), used);
  STRCMP_EQUAL("kept:7", parsed.to_string().c_str());
}
