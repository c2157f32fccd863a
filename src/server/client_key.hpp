// SPDX-License-Identifier: GPL-2.0-or-later
// The unit in which the server counts a client: sessions per client today; the startup
// budget and the shares of the UDP/BIND socket reserve count in it too once they exist.
#ifndef TLSMUX_SERVER_CLIENT_KEY_HPP
#define TLSMUX_SERVER_CLIENT_KEY_HPP

#include <asio/ip/address.hpp>

namespace tlsmux {
namespace server {

/// Who a connection counts against. Today the exact address it came from; a per-prefix
/// count (/64 for IPv6, /32 for IPv4) changes of() alone, and every caller follows.
class client_key {
 public:
  client_key() {}
  /// The key of a client address.
  static client_key of(const asio::ip::address& client) { return client_key(client); }

  bool operator<(const client_key& o) const { return key_ < o.key_; }
  bool operator==(const client_key& o) const { return key_ == o.key_; }
  bool operator!=(const client_key& o) const { return !(*this == o); }

 private:
  explicit client_key(const asio::ip::address& key) : key_(key) {}

  asio::ip::address key_;
};

}  // namespace server
}  // namespace tlsmux

#endif
