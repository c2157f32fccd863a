// SPDX-License-Identifier: GPL-2.0-or-later
// The startup budget: connections that have not yet finished the TLS handshake and the
// SOCKS negotiation ("startups", after OpenSSH's MaxStartups), counted in all and per
// client. Where the budget is full a new connection is not refused: the table drops a
// startup to make room, and this class names it: the oldest startup of the client holding
// the most, so a flood from a few networks pays for itself and a client with one
// connection in progress is the last to go. Pure accounting, no lock: session_table
// guards it.
#ifndef TLSMUX_SERVER_STARTUP_BUDGET_HPP
#define TLSMUX_SERVER_STARTUP_BUDGET_HPP

#include "server/client_key.hpp"

#include <cstddef>
#include <cstdint>
#include <map>
#include <set>

namespace tlsmux {
namespace server {

class startup_budget {
 public:
  /// One startup; a lower ticket is an older one. Never 0.
  typedef std::uint64_t ticket;

  /// Limits (at least 1 each); what is counted stays.
  void set_limits(std::size_t total, std::size_t per_client);

  /// `total` startups are counted.
  bool full() const { return size_ >= total_; }
  /// `who` holds `per_client` startups.
  bool client_full(const client_key& who) const { return count_of(who) >= per_client_; }

  /// Counts a new startup of `who`.
  ticket add(const client_key& who);
  /// Forgets one (negotiated, closed or dropped); unknown tickets are ignored.
  void remove(const client_key& who, ticket t);

  /// The startup to drop to make room: the oldest of the client holding the most startups,
  /// among equals the client whose oldest is oldest. False when none is counted.
  bool victim(client_key& who, ticket& t) const;

  std::size_t size() const { return size_; }
  std::size_t count_of(const client_key& who) const;

 private:
  // A client's place in the drop order: most startups first, then oldest first.
  struct rank {
    std::size_t count;
    ticket oldest;
    client_key who;
    bool operator<(const rank& o) const {
      if (count != o.count) return count > o.count;
      if (oldest != o.oldest) return oldest < o.oldest;
      return who < o.who;
    }
  };
  typedef std::map<client_key, std::set<ticket> > by_client;

  void unrank(const client_key& who, const std::set<ticket>& held);
  void enrank(const client_key& who, const std::set<ticket>& held);

  std::size_t total_ = 1, per_client_ = 1, size_ = 0;
  ticket next_ = 1;
  by_client clients_;
  std::set<rank> order_;
};

}  // namespace server
}  // namespace tlsmux

#endif
