// SPDX-License-Identifier: GPL-2.0-or-later
// The server's session table, the job the Asio HTTP example gives `connection_manager`:
// which sessions are open, on which loop and for which client; the limits (all sessions,
// sessions per client); the reserve of extra sockets (UDP sockets, BIND listeners); and the
// drain. One mutex guards it all, for sessions on several loops. The table holds its members
// but never calls them, nor the server: the server asks, then acts.
#ifndef TLSMUX_SERVER_SESSION_TABLE_HPP
#define TLSMUX_SERVER_SESSION_TABLE_HPP

#include "server/client_key.hpp"

#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

namespace tlsmux {
namespace server {

/// The limits in force: set at start and by every reload.
struct session_limits {
  std::size_t sessions = 1;       ///< open sessions, all clients
  std::size_t per_client = 1;     ///< open sessions of one client_key
  std::size_t extra_sockets = 0;  ///< UDP sockets and BIND listeners, server-wide
  std::size_t extra_per_client = 0;  ///< of those, held by one client_key at once
};

/// What the descriptor limit leaves for sessions (see plan_capacity).
struct capacity_inputs {
  std::size_t descriptors = 0;   ///< the process's limit, FD_SETSIZE-bound under select
  std::size_t threads = 1;       ///< event loops, each holding a few descriptors of its own
  bool extra_sockets = false;    ///< UDP or BIND is on
  std::size_t max_sessions = 0;  ///< configured cap; 0: what the descriptors allow
  std::size_t per_client = 1;    ///< configured per-client cap
  std::size_t extra_per_client = 8;  ///< configured share of the extra sockets per client
};

/// The limits for capacity_inputs. Each session holds two descriptors (client and service)
/// after a reserve for listeners, logs and loops and, when UDP or BIND is on, the extra
/// sockets; small limits scale the reserves down. `clipped` is set when max_sessions asked
/// for more than the descriptors allow (the cap is then lowered).
session_limits plan_capacity(const capacity_inputs& in, bool& clipped);

/// The answer to a connection asking to be admitted.
enum class admission { admitted, shutting_down, session_limit, client_limit };

/// "session limit reached", ... for the refusal log line; "admitted" for admitted.
const char* admission_text(admission a);

/// The sessions, their counts and limits. Member is the session type; the table only
/// stores shared pointers to it (the unit tests use a stand-in).
template <class Member>
class session_table {
 public:
  typedef std::shared_ptr<Member> member_ptr;

  /// What remove() found.
  struct removal {
    member_ptr member;  ///< null when the member was not in the table
    bool last;          ///< the table is empty now
  };

  session_table() : loop_load_(1, 0) {}

  void set_limits(const session_limits& l) {
    std::lock_guard<std::mutex> lock(mutex_);
    limits_ = l;
  }
  session_limits limits() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return limits_;
  }

  /// Sessions are spread over `loops` event loops, numbered from 0.
  void set_loops(std::size_t loops) {
    std::lock_guard<std::mutex> lock(mutex_);
    loop_load_.resize(loops == 0 ? 1 : loops, 0);
  }
  /// The loop with the fewest sessions (the lowest index among equals).
  std::size_t least_loaded_loop() const {
    std::lock_guard<std::mutex> lock(mutex_);
    std::size_t best = 0;
    for (std::size_t i = 1; i < loop_load_.size(); ++i)
      if (loop_load_[i] < loop_load_[best]) best = i;
    return best;
  }
  /// Sessions per loop.
  std::vector<std::size_t> loop_loads() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return loop_load_;
  }

  /// Whether a new connection from `who` may become a session. Admitting takes nothing:
  /// add() counts the session.
  admission check(const client_key& who) const {
    std::lock_guard<std::mutex> lock(mutex_);
    if (draining_) return admission::shutting_down;
    if (members_.size() >= limits_.sessions) return admission::session_limit;
    typename std::map<client_key, std::size_t>::const_iterator pc = per_client_.find(who);
    if (pc != per_client_.end() && pc->second >= limits_.per_client) return admission::client_limit;
    return admission::admitted;
  }

  /// Counts a session of `who` on loop `loop` (which set_loops made exist).
  void add(const member_ptr& m, const client_key& who, std::size_t loop) {
    std::lock_guard<std::mutex> lock(mutex_);
    entry e = {m, who, loop};
    members_[m.get()] = e;
    per_client_[who]++;
    loop_load_[loop]++;
  }

  /// Forgets a session. The caller gets the table's reference, to release it later.
  removal remove(const Member* m) {
    std::lock_guard<std::mutex> lock(mutex_);
    removal out;
    typename std::map<const Member*, entry>::iterator it = members_.find(m);
    if (it != members_.end()) {
      out.member = it->second.member;
      loop_load_[it->second.loop]--;
      typename std::map<client_key, std::size_t>::iterator pc = per_client_.find(it->second.who);
      if (pc != per_client_.end() && --pc->second == 0) per_client_.erase(pc);
      members_.erase(it);
    }
    out.last = members_.empty();
    return out;
  }

  /// Takes one extra socket from the reserve for a session of `who`; false when none is
  /// left, or when `who` holds its share already (one client must not take them all).
  bool acquire_extra(const client_key& who) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (extra_in_use_ >= limits_.extra_sockets) return false;
    std::size_t& mine = extra_of_[who];
    if (mine >= limits_.extra_per_client) {
      if (mine == 0) extra_of_.erase(who);
      return false;
    }
    ++mine;
    ++extra_in_use_;
    return true;
  }
  /// Gives one back.
  void release_extra(const client_key& who) {
    std::lock_guard<std::mutex> lock(mutex_);
    typename std::map<client_key, std::size_t>::iterator it = extra_of_.find(who);
    if (it == extra_of_.end()) return;
    if (--it->second == 0) extra_of_.erase(it);
    if (extra_in_use_ > 0) --extra_in_use_;
  }
  std::size_t extra_in_use() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return extra_in_use_;
  }

  /// Starts the drain: from now on check() answers shutting_down. False when it had
  /// already started.
  bool begin_drain() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (draining_) return false;
    draining_ = true;
    return true;
  }
  bool draining() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return draining_;
  }
  /// Draining, and the last session has gone.
  bool drained() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return draining_ && members_.empty();
  }

  std::size_t size() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return members_.size();
  }
  /// Sessions of one client_key.
  std::size_t count_of(const client_key& who) const {
    std::lock_guard<std::mutex> lock(mutex_);
    typename std::map<client_key, std::size_t>::const_iterator pc = per_client_.find(who);
    return pc == per_client_.end() ? 0 : pc->second;
  }
  /// Every open session, to act on outside the lock.
  std::vector<member_ptr> members() const {
    std::lock_guard<std::mutex> lock(mutex_);
    std::vector<member_ptr> out;
    for (typename std::map<const Member*, entry>::const_iterator it = members_.begin(); it != members_.end(); ++it)
      out.push_back(it->second.member);
    return out;
  }

 private:
  struct entry {
    member_ptr member;
    client_key who;
    std::size_t loop;
  };

  mutable std::mutex mutex_;
  session_limits limits_;
  std::map<const Member*, entry> members_;
  std::map<client_key, std::size_t> per_client_;
  std::vector<std::size_t> loop_load_;  ///< sessions per loop
  std::map<client_key, std::size_t> extra_of_;  ///< extra sockets held, per client
  std::size_t extra_in_use_ = 0;
  bool draining_ = false;
};

}  // namespace server
}  // namespace tlsmux

#endif
