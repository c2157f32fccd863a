// SPDX-License-Identifier: GPL-2.0-or-later
// Tests for RFC 1928 UDP headers and TLSMUX's length-prefixed UDP frames.
#include "socks5/udp_frame.hpp"
#include "socks5_test_support.hpp"

#include <string>

#include <CppUTest/TestHarness.h>

using namespace tlsmux::socks5;
using namespace socks5_test;

namespace {

const bytes packet_v4 = {0x00, 0x00, 0x00, 0x01, 127, 0, 0, 1, 0x00, 0x35, 'h', 'i'};
const bytes packet_v6 = {0x00, 0x00, 0x00, 0x04, 0, 0, 0, 0, 0, 0, 0, 0,
                         0,    0,    0,    0,    0, 0, 0, 1, 0x00, 0x7b, 0xde, 0xad};
const bytes packet_name = {0x00, 0x00, 0x00, 0x03, 3, 'd', 'n', 's', 0x00, 0x35};

// Prepends the 2-byte big-endian length.
bytes framed(const bytes& packet) {
  bytes r = {static_cast<std::uint8_t>(packet.size() >> 8),
             static_cast<std::uint8_t>(packet.size() & 0xff)};
  return cat(r, packet);
}

parser_fn frame_parser(datagram& d, std::size_t max_frame = max_udp_frame) {
  return [&d, max_frame](const std::uint8_t* p, std::size_t n, std::size_t& used) {
    return parse_udp_frame(p, n, used, d, max_frame);
  };
}

}  // namespace

TEST_GROUP(udp_header) {
  datagram dg;

  bool parse(const bytes& copy) {
    return parse_udp_header(copy.empty() ? nullptr : copy.data(), copy.size(), dg);
  }
};

TEST(udp_header, ipv4_with_payload) {
  const bytes copy(packet_v4);
  CHECK(parse(copy));
  LONGS_EQUAL(0, dg.frag);
  STRCMP_EQUAL("127.0.0.1:53", dg.addr.to_string().c_str());
  LONGS_EQUAL(2, dg.size);
  CHECK(dg.payload == copy.data() + 10);
  CHECK(std::string("hi") == std::string(reinterpret_cast<const char*>(dg.payload), dg.size));
}

TEST(udp_header, ipv6_and_domain) {
  CHECK(parse(packet_v6));
  STRCMP_EQUAL("[::1]:123", dg.addr.to_string().c_str());
  LONGS_EQUAL(2, dg.size);
  CHECK(parse(packet_name));
  STRCMP_EQUAL("dns:53", dg.addr.to_string().c_str());
  LONGS_EQUAL(0, dg.size);
}

TEST(udp_header, frag_is_reported_not_rejected) {
  bytes msg = packet_v4;
  msg[2] = 0x81;
  CHECK(parse(msg));
  LONGS_EQUAL(0x81, dg.frag);
}

TEST(udp_header, every_truncation_is_malformed) {
  // Cutting inside the header is malformed; cutting inside the payload only shortens it.
  for (std::size_t k = 0; k < 10; ++k) CHECK_FALSE(parse(prefix(packet_v4, k)));
  for (std::size_t k = 0; k < 22; ++k) CHECK_FALSE(parse(prefix(packet_v6, k)));
  CHECK(parse(prefix(packet_v4, 10)));
  LONGS_EQUAL(0, dg.size);
}

TEST(udp_header, malformed) {
  bytes rsv = packet_v4;
  rsv[0] = 0x01;
  CHECK_FALSE(parse(rsv));
  rsv = packet_v4;
  rsv[1] = 0x80;
  CHECK_FALSE(parse(rsv));
  bytes type = packet_v4;
  type[3] = 0x02;
  CHECK_FALSE(parse(type));
  type[3] = 0xff;
  CHECK_FALSE(parse(type));
  CHECK_FALSE(parse({0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x35, 'x'}));
}

TEST(udp_header, append_packet_round_trips) {
  const std::uint8_t payload[] = {'h', 'i'};
  bytes out;
  CHECK(append_udp_packet(out, address::from_ip(asio::ip::make_address("127.0.0.1"), 53),
                          payload, sizeof payload));
  CHECK(packet_v4 == out);
  out.clear();
  CHECK(append_udp_packet(out, address::from_name("dns", 53), nullptr, 0));
  CHECK(packet_name == out);
  bytes kept = {0xee};
  CHECK_FALSE(append_udp_packet(kept, address::from_name(std::string(256, 'a'), 1), payload, 2));
  CHECK(bytes({0xee}) == kept);
}

TEST_GROUP(udp_frame) {
  datagram dg;
};

TEST(udp_frame, split_everywhere) {
  const bytes* all[] = {&packet_v4, &packet_v6, &packet_name};
  for (std::size_t i = 0; i < 3; ++i) {
    STRCMP_EQUAL("", check_valid_split(frame_parser(dg), framed(*all[i])).c_str());
  }
  STRCMP_EQUAL("dns:53", dg.addr.to_string().c_str());
}

TEST(udp_frame, payload_points_into_the_input) {
  const bytes msg = framed(packet_v6);
  std::size_t used = 0;
  LONGS_EQUAL((int)parse_status::ok, (int)parse_udp_frame(msg.data(), msg.size(), used, dg));
  CHECK(dg.payload == msg.data() + 2 + 22);
  LONGS_EQUAL(2, dg.size);
  LONGS_EQUAL(0xde, dg.payload[0]);
}

TEST(udp_frame, back_to_back_frames) {
  const bytes stream = cat(framed(packet_v4), framed(packet_name));
  std::size_t used = 0;
  LONGS_EQUAL((int)parse_status::ok, (int)parse_udp_frame(stream.data(), stream.size(), used, dg));
  LONGS_EQUAL(14, used);
  STRCMP_EQUAL("127.0.0.1:53", dg.addr.to_string().c_str());
  const bytes rest(stream.begin() + 14, stream.end());
  LONGS_EQUAL((int)parse_status::ok, (int)parse_udp_frame(rest.data(), rest.size(), used, dg));
  LONGS_EQUAL(rest.size(), used);
  STRCMP_EQUAL("dns:53", dg.addr.to_string().c_str());
}

TEST(udp_frame, zero_length_is_bad_at_once) {
  std::size_t used = 0;
  LONGS_EQUAL((int)parse_status::bad, (int)parse_copy(frame_parser(dg), {0x00, 0x00}, used));
  LONGS_EQUAL(0, used);
  LONGS_EQUAL((int)parse_status::bad,
              (int)parse_copy(frame_parser(dg), {0x00, 0x00, 0x00, 0x00}, used));
  LONGS_EQUAL(0, used);
}

TEST(udp_frame, oversize_is_bad_before_the_body_arrives) {
  std::size_t used = 0;
  const bytes msg = framed(packet_v4);  // N = 12
  LONGS_EQUAL((int)parse_status::bad, (int)parse_copy(frame_parser(dg, 11), prefix(msg, 2), used));
  LONGS_EQUAL(0, used);
  LONGS_EQUAL((int)parse_status::bad, (int)parse_copy(frame_parser(dg, 11), msg, used));
  LONGS_EQUAL(0, used);
  LONGS_EQUAL((int)parse_status::ok, (int)parse_copy(frame_parser(dg, 12), msg, used));
  LONGS_EQUAL(14, used);
  LONGS_EQUAL((int)parse_status::need_more,
              (int)parse_copy(frame_parser(dg), {0xff, 0xff, 0x00}, used));
  LONGS_EQUAL((int)parse_status::bad, (int)parse_copy(frame_parser(dg, 1000), {0xff, 0xff}, used));
}

TEST(udp_frame, malformed_header_is_skippable) {
  bytes type = packet_v4;
  type[3] = 0x05;
  bytes rsv = packet_v4;
  rsv[0] = 0x01;
  const bytes tiny = {0x00, 0x00, 0x00};
  const bytes cut = prefix(packet_v6, 12);
  const bytes* cases[] = {&type, &rsv, &tiny, &cut};
  for (std::size_t i = 0; i < 4; ++i) {
    const bytes msg = framed(*cases[i]);
    for (std::size_t k = 0; k < msg.size(); ++k) {
      std::size_t used = 0;
      LONGS_EQUAL((int)parse_status::need_more,
                  (int)parse_copy(frame_parser(dg), prefix(msg, k), used));
    }
    std::size_t used = 0;
    LONGS_EQUAL((int)parse_status::bad,
                (int)parse_copy(frame_parser(dg), cat(msg, framed(packet_v4)), used));
    LONGS_EQUAL(msg.size(), used);
  }
}

TEST(udp_frame, append_frame_round_trips) {
  const std::uint8_t payload[] = {'h', 'i'};
  bytes out = {0xee};
  CHECK(append_udp_frame(out, address::from_ip(asio::ip::make_address("127.0.0.1"), 53), payload,
                         sizeof payload));
  CHECK(cat(bytes{0xee}, framed(packet_v4)) == out);
}

TEST(udp_frame, largest_frame_fits_exactly) {
  const address dst = address::from_ip(asio::ip::make_address("127.0.0.1"), 9);
  const bytes payload(max_udp_frame - 10 + 1, 0x5a);
  bytes out;
  CHECK_FALSE(append_udp_frame(out, dst, payload.data(), payload.size()));
  CHECK_FALSE(append_udp_frame(out, dst, payload.data(), max_udp_frame + 1));
  LONGS_EQUAL(0, out.size());
  CHECK(append_udp_frame(out, dst, payload.data(), payload.size() - 1));
  LONGS_EQUAL(2 + max_udp_frame, out.size());
  LONGS_EQUAL(0xff, out[0]);
  LONGS_EQUAL(0xff, out[1]);
  std::size_t used = 0;
  LONGS_EQUAL((int)parse_status::ok, (int)parse_copy(frame_parser(dg), out, used));
  LONGS_EQUAL(out.size(), used);
  LONGS_EQUAL(max_udp_frame - 10, dg.size);
}

TEST(udp_frame, unencodable_address_is_refused) {
  bytes out;
  CHECK_FALSE(append_udp_frame(out, address::from_name("", 1), nullptr, 0));
  LONGS_EQUAL(0, out.size());
}
