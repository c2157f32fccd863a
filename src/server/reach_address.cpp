// SPDX-License-Identifier: GPL-2.0-or-later
// reach_address: which address the printed client command names.
#include "server/reach_address.hpp"

#include "text/ip_text.hpp"

namespace tlsmux {
namespace server {

namespace {

bool link_local(const asio::ip::address& a) {
  return a.is_v6() && (a.to_v6().is_link_local() || a.to_v6().is_v4_mapped());
}

// The first address a client on another machine could use: a v4 wildcard only accepts IPv4.
bool first_routable(const std::vector<asio::ip::address>& own, bool v4_only, asio::ip::address& out) {
  for (std::size_t i = 0; i < own.size(); ++i) {
    const asio::ip::address& a = own[i];
    if (a.is_loopback() || a.is_unspecified() || link_local(a) || (v4_only && !a.is_v4())) continue;
    out = a;
    return true;
  }
  return false;
}

}  // namespace

std::string reach_address(const asio::ip::tcp::endpoint& listener, const std::string& host_name,
                          const std::vector<asio::ip::address>& own) {
  const asio::ip::address a = listener.address();
  const std::string port = std::to_string(listener.port());
  if (!a.is_unspecified()) return text::endpoint_text(a, listener.port());
  if (!host_name.empty() && host_name != "localhost") return host_name + ":" + port;
  asio::ip::address routable;
  if (first_routable(own, a.is_v4(), routable)) return text::endpoint_text(routable, listener.port());
  if (a.is_v4()) return "127.0.0.1:" + port;
  return "[::1]:" + port;
}

}  // namespace server
}  // namespace tlsmux
