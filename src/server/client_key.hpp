// SPDX-License-Identifier: GPL-2.0-or-later
// The unit in which the server counts a client: sessions and startups per client, and the
// shares of the UDP/BIND socket reserve, all count per client network (policy::network_of).
#ifndef TLSMUX_SERVER_CLIENT_KEY_HPP
#define TLSMUX_SERVER_CLIENT_KEY_HPP

#include "policy/address_prefix.hpp"

#include <asio/ip/address.hpp>
#include <string>

namespace tlsmux {
namespace server {

/// Who a connection counts against: the network of its address, by default the /32 of an
/// IPv4 address (IPv4-mapped IPv6 included) and the /64 of an IPv6 address.
class client_key {
 public:
  client_key() : bits_(0) {}
  /// The key of a client address.
  static client_key of(const asio::ip::address& client,
                       const policy::prefix_lengths& p = policy::prefix_lengths()) {
    return client_key(policy::network_of(client, p), policy::prefix_length_of(client, p));
  }

  /// "192.0.2.7" or "2001:db8:1:2::/64", for log lines.
  std::string to_string() const {
    const unsigned full = key_.is_v4() ? 32 : 128;
    return bits_ == full ? key_.to_string() : key_.to_string() + "/" + std::to_string(bits_);
  }

  bool operator<(const client_key& o) const { return key_ < o.key_ || (key_ == o.key_ && bits_ < o.bits_); }
  bool operator==(const client_key& o) const { return key_ == o.key_ && bits_ == o.bits_; }
  bool operator!=(const client_key& o) const { return !(*this == o); }

 private:
  client_key(const asio::ip::address& key, unsigned bits) : key_(key), bits_(bits) {}

  asio::ip::address key_;
  unsigned bits_;
};

}  // namespace server
}  // namespace tlsmux

#endif
