// SPDX-License-Identifier: GPL-2.0-or-later
#include "server/startup_budget.hpp"

namespace tlsmux {
namespace server {

void startup_budget::set_limits(std::size_t total, std::size_t per_client) {
  total_ = total > 0 ? total : 1;
  per_client_ = per_client > 0 ? per_client : 1;
}

std::size_t startup_budget::count_of(const client_key& who) const {
  by_client::const_iterator it = clients_.find(who);
  return it == clients_.end() ? 0 : it->second.size();
}

void startup_budget::unrank(const client_key& who, const std::set<ticket>& held) {
  if (held.empty()) return;
  rank r = {held.size(), *held.begin(), who};
  order_.erase(r);
}

void startup_budget::enrank(const client_key& who, const std::set<ticket>& held) {
  if (held.empty()) return;
  rank r = {held.size(), *held.begin(), who};
  order_.insert(r);
}

startup_budget::ticket startup_budget::add(const client_key& who) {
  std::set<ticket>& held = clients_[who];
  unrank(who, held);
  const ticket t = next_++;
  held.insert(t);
  enrank(who, held);
  ++size_;
  return t;
}

void startup_budget::remove(const client_key& who, ticket t) {
  by_client::iterator it = clients_.find(who);
  if (it == clients_.end() || it->second.count(t) == 0) return;
  unrank(who, it->second);
  it->second.erase(t);
  enrank(who, it->second);
  if (it->second.empty()) clients_.erase(it);
  --size_;
}

bool startup_budget::victim(client_key& who, ticket& t) const {
  if (order_.empty()) return false;
  who = order_.begin()->who;
  t = order_.begin()->oldest;
  return true;
}

}  // namespace server
}  // namespace tlsmux
