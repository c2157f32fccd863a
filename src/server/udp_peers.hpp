// SPDX-License-Identifier: GPL-2.0-or-later
// The endpoints a UDP association has sent to: the only sources whose answers it accepts.
// Bounded and aged (issue 13, finding 6): an association that writes to a new port every
// datagram used to remember each one for ever (60 MB in 24 s); now the oldest go first and
// an endpoint not written to for a while is forgotten, so its late answers are dropped.
#ifndef TLSMUX_SERVER_UDP_PEERS_HPP
#define TLSMUX_SERVER_UDP_PEERS_HPP

#include <asio/ip/udp.hpp>
#include <chrono>
#include <cstddef>
#include <list>
#include <map>

namespace tlsmux {
namespace server {

/// A least-recently-written set of endpoints with a size bound and an age bound.
class udp_peers {
 public:
  typedef std::chrono::steady_clock::time_point time_point;

  udp_peers(std::size_t capacity, std::chrono::milliseconds max_age) : capacity_(capacity), max_age_(max_age) {}

  /// Records a datagram sent to `to` at `now` (the endpoint becomes the youngest). Forgets
  /// the oldest endpoints beyond the capacity and those older than the age bound.
  void sent(const asio::ip::udp::endpoint& to, time_point now);
  /// Whether an answer from `from` may pass at `now`: written to within the age bound.
  bool accepts(const asio::ip::udp::endpoint& from, time_point now) const;
  std::size_t size() const { return index_.size(); }

 private:
  struct entry {
    asio::ip::udp::endpoint ep;
    time_point last;
  };
  typedef std::list<entry> order;  // youngest first

  void forget_old(time_point now);

  std::size_t capacity_;
  std::chrono::milliseconds max_age_;
  order order_;
  std::map<asio::ip::udp::endpoint, order::iterator> index_;
};

}  // namespace server
}  // namespace tlsmux

#endif
