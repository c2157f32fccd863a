// SPDX-License-Identifier: GPL-2.0-or-later
// The ident registry.
#include "identity/ident_registry.hpp"

namespace tlsmux {
namespace identity {

namespace {

asio::ip::address canonical(const asio::ip::address& a) {
  if (a.is_v6() && a.to_v6().is_v4_mapped()) return asio::ip::make_address_v4(asio::ip::v4_mapped, a.to_v6());
  return a;
}

std::uint32_t pair_key(std::uint16_t ours, std::uint16_t theirs) {
  return (static_cast<std::uint32_t>(ours) << 16) | theirs;
}

}  // namespace

ident_registry::token ident_registry::add(const asio::ip::tcp::endpoint& ours,
                                          const asio::ip::tcp::endpoint& service,
                                          const std::string& identity) {
  entry e;
  e.ours = canonical(ours.address());
  e.service = canonical(service.address());
  e.our_port = ours.port();
  e.service_port = service.port();
  e.identity = identity;
  std::lock_guard<std::mutex> hold(lock_);
  token t = next_++;
  entries_[t] = e;
  by_ports_.insert(std::make_pair(pair_key(e.our_port, e.service_port), t));
  return t;
}

void ident_registry::remove(token t) {
  if (t == 0) return;
  std::lock_guard<std::mutex> hold(lock_);
  std::map<token, entry>::iterator it = entries_.find(t);
  if (it == entries_.end()) return;
  std::uint32_t key = pair_key(it->second.our_port, it->second.service_port);
  entries_.erase(it);
  typedef std::multimap<std::uint32_t, token>::iterator index_it;
  std::pair<index_it, index_it> range = by_ports_.equal_range(key);
  for (index_it i = range.first; i != range.second; ++i)
    if (i->second == t) {
      by_ports_.erase(i);
      break;
    }
}

bool ident_registry::find(const asio::ip::address& ident_local, std::uint16_t port_on_server,
                          const asio::ip::address& querier, std::uint16_t port_on_client,
                          std::string& identity) const {
  const asio::ip::address ours = canonical(ident_local), service = canonical(querier);
  std::lock_guard<std::mutex> hold(lock_);
  typedef std::multimap<std::uint32_t, token>::const_iterator index_it;
  std::pair<index_it, index_it> range = by_ports_.equal_range(pair_key(port_on_server, port_on_client));
  for (index_it i = range.first; i != range.second; ++i) {
    const entry& e = entries_.find(i->second)->second;
    if (e.ours == ours && e.service == service) {
      identity = e.identity;
      return true;
    }
  }
  return false;
}

std::size_t ident_registry::size() const {
  std::lock_guard<std::mutex> hold(lock_);
  return entries_.size();
}

}  // namespace identity
}  // namespace tlsmux
