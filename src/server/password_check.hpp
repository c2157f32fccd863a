// SPDX-License-Identifier: GPL-2.0-or-later
// The server's RFC 1929 check: the login throttle, then the password file, on a small pool
// of threads. PBKDF2 takes about 15 ms a check; on an event loop every guess would stall
// every other session of that loop. The pool is bounded (threads and waiting checks), so a
// flood of guesses costs at most that many cores and that much memory.
#ifndef TLSMUX_SERVER_PASSWORD_CHECK_HPP
#define TLSMUX_SERVER_PASSWORD_CHECK_HPP

#include "server/snapshot.hpp"
#include "server/throttle_store.hpp"
#include "socks5/server_codec.hpp"

#include <asio/any_io_executor.hpp>
#include <asio/ip/address.hpp>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace tlsmux {
namespace server {

/// The throttle's prefix key for a client: its network as every per-client limit counts it
/// (policy::network_of: client-prefix-v4, by default the IPv4 address, also when
/// IPv4-mapped; client-prefix-v6, by default the IPv6 /64).
std::string throttle_key(const asio::ip::address& client,
                         const policy::prefix_lengths& p = policy::prefix_lengths());

/// Checks that may wait for a thread; beyond them a login is refused unchecked (0x01).
const std::size_t password_checks_waiting = 64;
/// Threads: one per two cores, at least one, at most four.
std::size_t password_check_threads();

/// The outcome of one check.
struct password_verdict {
  std::uint8_t status = 0x01;  ///< RFC 1929 status: 0x00 good; lockout_status() when locked out
  std::string note;            ///< why it was not checked, for the session's log line
};

/// Runs checks on its threads and hands each verdict to the session's loop.
class password_checker {
 public:
  typedef std::function<void(const password_verdict&)> handler;

  password_checker();
  ~password_checker();

  /// Replaces where the counts live (inetd mode: a shared file); before the first check.
  void set_store(std::unique_ptr<throttle_store> store);
  /// Takes the limits of a (new) configuration; what was counted stays.
  void configure(const config::server_config& cfg);
  /// Asks the throttle (on the caller's thread), checks c for client on a pool thread
  /// (started on first use), then posts done with the verdict to ex. The throttle is updated
  /// whether or not the session is still there; done must hold the session only weakly.
  /// Nothing is posted after stop().
  void check(const std::shared_ptr<const snapshot>& snap, const asio::ip::address& client,
             const socks5::credentials& c, const asio::any_io_executor& ex, handler done);
  /// Joins the threads; checks still waiting are dropped with their handlers.
  void stop();

 private:
  struct job;
  void run();
  bool admit(job& j, password_verdict& refused);
  password_verdict judge(job& j);
  bool start_threads();

  std::unique_ptr<throttle_store> store_;
  std::mutex mu_;  // guards queue_, threads_, stopping_
  std::condition_variable wake_;
  std::deque<std::unique_ptr<job> > queue_;
  std::vector<std::thread> threads_;
  bool stopping_ = false;
  std::uint32_t lockout_ms_ = 0;
  std::size_t prefix_limit_ = 0, user_limit_ = 0;
};

}  // namespace server
}  // namespace tlsmux

#endif
