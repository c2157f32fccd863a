// SPDX-License-Identifier: GPL-2.0-or-later
// udp_peers: the bounded, aged set of endpoints an association has written to.
#include "server/udp_peers.hpp"

namespace tlsmux {
namespace server {

void udp_peers::sent(const asio::ip::udp::endpoint& to, time_point now) {
  std::map<asio::ip::udp::endpoint, order::iterator>::iterator it = index_.find(to);
  if (it != index_.end()) {
    it->second->last = now;
    order_.splice(order_.begin(), order_, it->second);
  } else {
    entry e = {to, now};
    order_.push_front(e);
    index_[to] = order_.begin();
  }
  forget_old(now);
}

bool udp_peers::accepts(const asio::ip::udp::endpoint& from, time_point now) const {
  std::map<asio::ip::udp::endpoint, order::iterator>::const_iterator it = index_.find(from);
  return it != index_.end() && now - it->second->last <= max_age_;
}

void udp_peers::forget_old(time_point now) {
  while (!order_.empty() && (order_.size() > capacity_ || now - order_.back().last > max_age_)) {
    index_.erase(order_.back().ep);
    order_.pop_back();
  }
}

}  // namespace server
}  // namespace tlsmux
