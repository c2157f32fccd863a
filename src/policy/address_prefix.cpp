// SPDX-License-Identifier: GPL-2.0-or-later
#include "policy/address_prefix.hpp"

#include "policy/address_class.hpp"

namespace tlsmux {
namespace policy {

namespace {

// Clears every bit of b after the first `bits`.
template <class Bytes>
void mask(Bytes& b, unsigned bits) {
  for (std::size_t i = 0; i < b.size(); ++i) {
    const unsigned first = static_cast<unsigned>(i) * 8;
    if (bits >= first + 8) continue;
    const unsigned keep = bits > first ? bits - first : 0;
    b[i] = static_cast<unsigned char>(b[i] & (0xff00u >> keep));
  }
}

}  // namespace

unsigned prefix_length_of(const asio::ip::address& client, const prefix_lengths& p) {
  const asio::ip::address a = canonical(client);
  if (a.is_v4()) return p.v4 > 32 ? 32 : p.v4;
  return p.v6 > 128 ? 128 : p.v6;
}

asio::ip::address network_of(const asio::ip::address& client, const prefix_lengths& p) {
  const asio::ip::address a = canonical(client);
  const unsigned bits = prefix_length_of(a, p);
  if (a.is_v4()) {
    asio::ip::address_v4::bytes_type b = a.to_v4().to_bytes();
    mask(b, bits);
    return asio::ip::address_v4(b);
  }
  asio::ip::address_v6::bytes_type b = a.to_v6().to_bytes();
  mask(b, bits);
  return asio::ip::address_v6(b);  // the scope id is dropped: it names no network
}

std::string network_key(const asio::ip::address& client, const prefix_lengths& p) {
  const asio::ip::address n = network_of(client, p);
  if (n.is_v4()) {
    const asio::ip::address_v4::bytes_type b = n.to_v4().to_bytes();
    return std::string(b.begin(), b.end());
  }
  const asio::ip::address_v6::bytes_type b = n.to_v6().to_bytes();
  return std::string(b.begin(), b.end());
}

std::string network_text(const asio::ip::address& client, const prefix_lengths& p) {
  const asio::ip::address n = network_of(client, p);
  const unsigned bits = prefix_length_of(n, p);
  const unsigned full = n.is_v4() ? 32 : 128;
  return bits == full ? n.to_string() : n.to_string() + "/" + std::to_string(bits);
}

}  // namespace policy
}  // namespace tlsmux
