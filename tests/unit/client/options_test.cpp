// SPDX-License-Identifier: GPL-2.0-or-later
// Unit tests: client argument parsing (HOST[:PORT], SERVICE, -L, -D, options).
#include "client/options.hpp"

#include <CppUTest/TestHarness.h>

using namespace tlsmux;
using namespace tlsmux::client;

TEST_GROUP(client_options) {};

TEST(client_options, host_port) {
  std::string host;
  std::uint16_t port = 0;
  CHECK_TRUE(parse_host_port("mux.example", 4430, host, port));
  STRCMP_EQUAL("mux.example", host.c_str());
  LONGS_EQUAL(4430, port);
  CHECK_TRUE(parse_host_port("mux.example:443", 4430, host, port));
  LONGS_EQUAL(443, port);
  CHECK_TRUE(parse_host_port("[::1]:8443", 4430, host, port));
  STRCMP_EQUAL("::1", host.c_str());
  LONGS_EQUAL(8443, port);
  CHECK_TRUE(parse_host_port("::1", 4430, host, port));
  STRCMP_EQUAL("::1", host.c_str());
  CHECK_FALSE(parse_host_port("mux:0", 4430, host, port));
  CHECK_FALSE(parse_host_port("mux:65536", 4430, host, port));
  CHECK_FALSE(parse_host_port("mux:x", 4430, host, port));
  CHECK_FALSE(parse_host_port(":80", 4430, host, port));
  CHECK_FALSE(parse_host_port("[::1", 4430, host, port));
}

TEST(client_options, services) {
  socks5::address a;
  CHECK_TRUE(parse_service("25", a));
  CHECK(a.type == socks5::atyp::ipv4);
  STRCMP_EQUAL("127.0.0.1:25", a.to_string().c_str());
  CHECK_TRUE(parse_service("smtp", a));
  CHECK(a.type == socks5::atyp::domain);
  STRCMP_EQUAL("smtp", a.name.c_str());
  CHECK_TRUE(parse_service("localhost:8080", a));
  STRCMP_EQUAL("localhost:8080", a.to_string().c_str());
  CHECK_TRUE(parse_service("192.0.2.2:25", a));
  CHECK(a.type == socks5::atyp::ipv4);
  CHECK_TRUE(parse_service("[::1]:22", a));
  CHECK(a.type == socks5::atyp::ipv6);
  CHECK_FALSE(parse_service("0", a));
  CHECK_FALSE(parse_service("host:", a));
  CHECK_FALSE(parse_service("", a));
}

TEST(client_options, forwards) {
  forward_spec f;
  CHECK_TRUE(parse_forward("2525:smtp", f));
  STRCMP_EQUAL("127.0.0.1", f.bind.c_str());
  LONGS_EQUAL(2525, f.port);
  STRCMP_EQUAL("smtp", f.service.name.c_str());
  CHECK_TRUE(parse_forward("8080:localhost:80", f));
  LONGS_EQUAL(8080, f.port);
  STRCMP_EQUAL("localhost:80", f.service.to_string().c_str());
  forward_spec g;
  CHECK_TRUE(parse_forward("0.0.0.0:2525:25", g));
  STRCMP_EQUAL("0.0.0.0", g.bind.c_str());
  STRCMP_EQUAL("127.0.0.1:25", g.service.to_string().c_str());
  forward_spec h;
  CHECK_TRUE(parse_forward("[::1]:8080:[::1]:80", h));
  STRCMP_EQUAL("::1", h.bind.c_str());
  STRCMP_EQUAL("[::1]:80", h.service.to_string().c_str());
  CHECK_FALSE(parse_forward("2525", f));
  CHECK_FALSE(parse_forward("x:y", f));
  CHECK_FALSE(parse_forward("99999:25", f));
}

TEST(client_options, dynamic_ports) {
  std::string bind;
  std::uint16_t port = 0;
  CHECK_TRUE(parse_listen_port("1080", bind, port));
  STRCMP_EQUAL("127.0.0.1", bind.c_str());
  LONGS_EQUAL(1080, port);
  CHECK_TRUE(parse_listen_port("[::1]:1081", bind, port));
  STRCMP_EQUAL("::1", bind.c_str());
  CHECK_FALSE(parse_listen_port("a:b:c", bind, port));
}

TEST(client_options, entries) {
  std::vector<config::entry> e(2);
  e[0].key = "timeout";
  e[0].value = "3s";
  e[1].key = "pin";
  e[1].value = "sha256:abc";
  client_options o;
  std::vector<std::string> errors;
  CHECK_TRUE(apply_client_entries(e, o, errors));
  LONGS_EQUAL(3000, o.timeout_ms);
  STRCMP_EQUAL("sha256:abc", o.pin.c_str());
  e[0].value = "soon";
  CHECK_FALSE(apply_client_entries(e, o, errors));
}
