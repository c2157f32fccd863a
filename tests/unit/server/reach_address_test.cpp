// SPDX-License-Identifier: GPL-2.0-or-later
// Unit tests: the address the printed client command names, as a table.
#include "server/reach_address.hpp"

#include <CppUTest/TestHarness.h>

using namespace tlsmux;

namespace {

std::vector<asio::ip::address> addresses(const char* list) {
  std::vector<asio::ip::address> out;
  std::string s(list), one;
  for (std::size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == ' ') {
      if (!one.empty()) out.push_back(asio::ip::make_address(one));
      one.clear();
    } else {
      one += s[i];
    }
  }
  return out;
}

struct row {
  const char* listener;
  unsigned port;
  const char* host_name;
  const char* own;
  const char* want;
};

const row table[] = {
    // a listener on one address is reached there, whatever the host is called
    {"127.0.0.1", 4430, "vm", "127.0.0.1 192.0.2.7", "127.0.0.1:4430"},
    {"::1", 4430, "vm", "::1 2001:db8::7", "[::1]:4430"},
    {"127.0.0.5", 8443, "vm", "", "127.0.0.5:8443"},
    {"192.0.2.7", 4430, "vm", "127.0.0.1 192.0.2.7 192.0.2.8", "192.0.2.7:4430"},
    {"2001:db8::7", 4430, "vm", "", "[2001:db8::7]:4430"},
    // a wildcard listener: the host's name
    {"0.0.0.0", 4430, "vm", "127.0.0.1 192.0.2.7", "vm:4430"},
    {"::", 4431, "mux.example", "::1 2001:db8::7", "mux.example:4431"},
    // ... or, without a usable name, its first address that is not loopback or link-local
    {"0.0.0.0", 4430, "", "127.0.0.1 192.0.2.7 192.0.2.8", "192.0.2.7:4430"},
    {"0.0.0.0", 4430, "localhost", "127.0.0.1 2001:db8::7 192.0.2.7", "192.0.2.7:4430"},
    {"::", 4430, "", "::1 fe80::1 2001:db8::7", "[2001:db8::7]:4430"},
    {"::", 4430, "", "127.0.0.1 192.0.2.7 2001:db8::7", "192.0.2.7:4430"},
    // ... or loopback when the host has nothing else
    {"0.0.0.0", 4430, "", "127.0.0.1", "127.0.0.1:4430"},
    {"0.0.0.0", 4430, "", "2001:db8::7", "127.0.0.1:4430"},
    {"::", 4430, "localhost", "::1 fe80::1", "[::1]:4430"},
};

}  // namespace

TEST_GROUP(reach_address) {};

TEST(reach_address, table) {
  for (std::size_t i = 0; i < sizeof table / sizeof table[0]; ++i) {
    const row& r = table[i];
    asio::ip::tcp::endpoint ep(asio::ip::make_address(r.listener), static_cast<unsigned short>(r.port));
    std::string got = server::reach_address(ep, r.host_name, addresses(r.own));
    STRCMP_EQUAL_TEXT(r.want, got.c_str(), (std::string("row ") + std::to_string(i)).c_str());
  }
}
