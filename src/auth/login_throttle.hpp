// SPDX-License-Identifier: GPL-2.0-or-later
// The password-guessing throttle: failed RFC 1929 logins counted per client address prefix
// (IPv4 /32, IPv6 /64) and per user name, each on its own. A counter at its limit refuses
// password logins unchecked until `lockout` has passed since its last failure.
//
// An attempt is counted as a failure when it starts (begin) and taken back when the password
// proves right (finish): parallel guesses cannot overtake the count, and a good login takes
// back only the failures of that user from that prefix. Other users' failures stay, so
// wrong guesses for one user between good logins as another still lock the prefix.
//
// Pure and bounded: time comes from the caller (any clock, as a count of milliseconds), at
// most `capacity` counters are kept, and the state can be saved and loaded as text so that
// processes (inetd mode) can share it through a file. Shared by event loops and the
// password-check threads, so it locks.
#ifndef TLSMUX_AUTH_LOGIN_THROTTLE_HPP
#define TLSMUX_AUTH_LOGIN_THROTTLE_HPP

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace tlsmux {
namespace auth {

/// The throttle's limits.
struct throttle_limits {
  std::size_t prefix_failures = 0;  ///< per address prefix; 0: not counted
  std::size_t user_failures = 0;    ///< per user name, from every address; 0: not counted
  std::chrono::milliseconds lockout = std::chrono::seconds(60);
};

class login_throttle {
 public:
  /// A point in time, as milliseconds since the caller's clock's epoch.
  typedef std::chrono::milliseconds stamp;
  typedef throttle_limits limits;

  /// What a finished attempt locked (bits).
  enum locked_bits { locked_none = 0, locked_prefix = 1, locked_user = 2 };

  explicit login_throttle(const limits& l = limits(), std::size_t capacity = 10000);

  /// Takes new limits (a reload); what was counted stays.
  void configure(const limits& l);
  /// The prefix of a client address: 4 bytes (IPv4) or the first 8 of 16 (IPv6 /64). The
  /// server keys with policy::network_key instead: the networks of every per-client limit.
  static std::string key(const std::uint8_t* address, std::size_t size);

  /// Starts a password check for user from prefix. Zero: go on (the attempt now counts as a
  /// failure until finish() says otherwise). Otherwise the client is locked out for that
  /// much longer and nothing was counted: refuse without checking the password.
  stamp begin(const std::string& prefix, const std::string& user, stamp now);
  /// Ends an attempt begun with begin(). A good password takes back this user's failures
  /// from this prefix, this attempt's included; a wrong one stays counted. Returns the
  /// locked_bits that this failure made reach their limit (for one log line).
  int finish(const std::string& prefix, const std::string& user, bool ok, stamp now);

  /// Counters kept (tests).
  std::size_t size() const;
  /// The state as text, one counter a line; load() replaces the state with such a text
  /// (lines it cannot read are skipped: a torn file costs counts, never a crash).
  std::string save() const;
  void load(const std::string& text);

 private:
  struct entry {
    std::size_t failures;
    stamp last;
    bool reported;
  };
  typedef std::map<std::string, entry> table;

  bool expired(const entry& e, stamp now) const { return now - e.last >= limits_.lockout; }
  entry* find(const std::string& k, stamp now);
  entry& charge(const std::string& k, stamp now);
  void take_back(const std::string& k, std::size_t n);
  stamp remaining(const std::string& k, std::size_t limit, stamp now);
  bool newly_full(const std::string& k, std::size_t limit);
  void make_room(stamp now);

  mutable std::mutex mu_;
  limits limits_;
  std::size_t capacity_;
  table entries_;
};

}  // namespace auth
}  // namespace tlsmux

#endif
