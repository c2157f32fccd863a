// SPDX-License-Identifier: GPL-2.0-or-later
// The server's session table, the job the Asio HTTP example gives `connection_manager`:
// which sessions are open, on which loop and for which client; the limits (all sessions,
// sessions per client, the startup budget of sessions not yet negotiated); the reserve of
// extra sockets (UDP sockets, BIND listeners); and the drain. One mutex guards it all, for
// sessions on several loops. The table holds its members but never calls them, nor the
// server: the server asks, then acts (it closes the startup the table chose to drop).
#ifndef TLSMUX_SERVER_SESSION_TABLE_HPP
#define TLSMUX_SERVER_SESSION_TABLE_HPP

#include "server/client_key.hpp"
#include "server/startup_budget.hpp"

#include <cstddef>
#include <cstdint>
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
  std::size_t startups = 1;       ///< sessions not yet negotiated, all clients
  std::size_t startups_per_client = 1;  ///< the same, of one client_key
  std::size_t refusals_waiting = 0;  ///< refused connections that may wait for their ClientHello
};

/// What the descriptor limit leaves for sessions (see plan_capacity).
struct capacity_inputs {
  std::size_t descriptors = 0;   ///< the process's limit, FD_SETSIZE-bound under select
  std::size_t threads = 1;       ///< event loops, each holding a few descriptors of its own
  bool extra_sockets = false;    ///< UDP or BIND is on
  std::size_t max_sessions = 0;  ///< configured cap; 0: what the descriptors allow
  std::size_t per_client = 1;    ///< configured per-client cap
  std::size_t extra_per_client = 8;  ///< configured share of the extra sockets per client
  std::size_t max_startups = 1;  ///< configured startup budget (lowered to the session cap)
  std::size_t startups_per_client = 1;  ///< configured per-client startups (lowered to max_startups)
};

/// The limits for capacity_inputs. Each session holds two descriptors (client and service)
/// after a reserve for listeners, logs and loops and, when UDP or BIND is on, the extra
/// sockets; small limits scale the reserves down. `clipped` is set when max_sessions asked
/// for more than the descriptors allow (the cap is then lowered).
session_limits plan_capacity(const capacity_inputs& in, bool& clipped);

/// The answer to a connection asking to be admitted.
enum class admission { admitted, shutting_down, session_limit, client_limit, startup_limit };

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

  /// What admit() answers: the verdict and, when a startup had to make room, the session
  /// to close (already out of every count) and why, for its log line.
  struct answer {
    admission verdict;
    member_ptr victim;
    const char* why;
  };

  session_table() : loop_load_(1, 0) {}

  void set_limits(const session_limits& l) {
    std::lock_guard<std::mutex> lock(mutex_);
    limits_ = l;
    startups_.set_limits(l.startups, l.startups_per_client);
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

  /// Whether a new connection from `who` may become a session, changing nothing.
  /// `admitted` may mean "once a startup has been dropped" (see admit).
  admission check(const client_key& who) const {
    std::lock_guard<std::mutex> lock(mutex_);
    startup_budget::ticket t = 0;
    return plan(who, t);
  }

  /// check(), and when the session cap or the startup budget is full, makes room: the
  /// startup that startup_budget names is taken out of every count and handed back to be
  /// closed. A client's own limits refuse; the shared ones never refuse while a startup
  /// can go. add() then counts the new session.
  answer admit(const client_key& who) {
    std::lock_guard<std::mutex> lock(mutex_);
    startup_budget::ticket t = 0;
    answer out = {plan(who, t), member_ptr(), nullptr};
    if (out.verdict != admission::admitted || t == 0) return out;
    out.why = counted_ >= limits_.sessions ? "session limit reached" : "startup budget (max-startups) full";
    typename std::map<startup_budget::ticket, const Member*>::iterator s = startup_members_.find(t);
    entry& e = members_[s->second];
    out.victim = e.member;
    uncount(e);
    e.dropped = true;
    ++dropped_startups_;
    return out;
  }

  /// Counts a session of `who` on loop `loop` (which set_loops made exist), as a startup.
  void add(const member_ptr& m, const client_key& who, std::size_t loop) {
    std::lock_guard<std::mutex> lock(mutex_);
    entry e = {m, who, loop, startups_.add(who), false};
    startup_members_[e.startup] = m.get();
    members_[m.get()] = e;
    per_client_[who]++;
    ++counted_;
    loop_load_[loop]++;
  }

  /// The session has finished its TLS handshake and SOCKS negotiation: it leaves the
  /// startup budget and can no longer be dropped. False when it was dropped already (or
  /// is unknown): it is being closed.
  bool negotiated(const Member* m) {
    std::lock_guard<std::mutex> lock(mutex_);
    typename std::map<const Member*, entry>::iterator it = members_.find(m);
    if (it == members_.end() || it->second.dropped) return false;
    end_startup(it->second);
    return true;
  }

  /// Forgets a session. The caller gets the table's reference, to release it later.
  removal remove(const Member* m) {
    std::lock_guard<std::mutex> lock(mutex_);
    removal out;
    typename std::map<const Member*, entry>::iterator it = members_.find(m);
    if (it != members_.end()) {
      out.member = it->second.member;
      loop_load_[it->second.loop]--;
      if (!it->second.dropped) uncount(it->second);
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
  /// Sessions not yet negotiated, all clients and of one client_key.
  std::size_t startups() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return startups_.size();
  }
  std::size_t startups_of(const client_key& who) const {
    std::lock_guard<std::mutex> lock(mutex_);
    return startups_.count_of(who);
  }
  /// Startups dropped by admit() since the start.
  std::uint64_t dropped_startups() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return dropped_startups_;
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
    startup_budget::ticket startup;  ///< 0 once negotiated (or dropped)
    bool dropped;                    ///< out of every count, being closed
  };

  // The verdict for a new connection of `who`; `victim` is the startup to drop first, or 0.
  admission plan(const client_key& who, startup_budget::ticket& victim) const {
    victim = 0;
    if (draining_) return admission::shutting_down;
    typename std::map<client_key, std::size_t>::const_iterator pc = per_client_.find(who);
    if (pc != per_client_.end() && pc->second >= limits_.per_client) return admission::client_limit;
    if (startups_.client_full(who)) return admission::startup_limit;
    if (counted_ < limits_.sessions && !startups_.full()) return admission::admitted;
    client_key owner;
    if (!startups_.victim(owner, victim)) return admission::session_limit;
    return admission::admitted;
  }

  void end_startup(entry& e) {
    if (e.startup == 0) return;
    startups_.remove(e.who, e.startup);
    startup_members_.erase(e.startup);
    e.startup = 0;
  }

  // Takes a session out of the counts (not out of members_).
  void uncount(entry& e) {
    end_startup(e);
    typename std::map<client_key, std::size_t>::iterator pc = per_client_.find(e.who);
    if (pc != per_client_.end() && --pc->second == 0) per_client_.erase(pc);
    --counted_;
  }

  mutable std::mutex mutex_;
  session_limits limits_;
  std::map<const Member*, entry> members_;
  std::map<client_key, std::size_t> per_client_;  ///< counted sessions of each client
  std::size_t counted_ = 0;  ///< sessions in the counts: members_ less the dropped ones
  startup_budget startups_;
  std::map<startup_budget::ticket, const Member*> startup_members_;
  std::uint64_t dropped_startups_ = 0;
  std::vector<std::size_t> loop_load_;  ///< sessions per loop
  std::map<client_key, std::size_t> extra_of_;  ///< extra sockets held, per client
  std::size_t extra_in_use_ = 0;
  bool draining_ = false;
};

}  // namespace server
}  // namespace tlsmux

#endif
