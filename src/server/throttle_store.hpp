// SPDX-License-Identifier: GPL-2.0-or-later
// Where the login throttle's counts live: this process's memory (the daemon, shared by its
// event loops), or a file in the state directory shared under a lock by every process of an
// inetd / systemd Accept=yes setup, where each connection is a process of its own.
#ifndef TLSMUX_SERVER_THROTTLE_STORE_HPP
#define TLSMUX_SERVER_THROTTLE_STORE_HPP

#include "auth/login_throttle.hpp"

#include <memory>
#include <string>
#include <system_error>

namespace tlsmux {
namespace server {

/// The login throttle behind its storage; see auth::login_throttle for begin/finish.
/// Safe to call from several threads.
class throttle_store {
 public:
  virtual ~throttle_store() {}
  virtual void configure(const auth::login_throttle::limits& l) = 0;
  /// Zero: check the password. Otherwise the time the client is still locked out. On a
  /// storage error, ec is set and the attempt must be refused.
  virtual auth::login_throttle::stamp begin(const std::string& prefix, const std::string& user,
                                            std::error_code& ec) = 0;
  virtual int finish(const std::string& prefix, const std::string& user, bool ok) = 0;
};

/// Counts in memory (steady clock).
std::unique_ptr<throttle_store> make_memory_throttle();
/// Counts in the file at path (wall clock, which every process shares), opened now so that
/// it stays usable after a chroot or a change of user. Null with error when it cannot be
/// opened.
std::unique_ptr<throttle_store> make_file_throttle(const std::string& path, std::string& error);

/// Counters the file keeps at most (about 60 bytes each).
const std::size_t file_throttle_capacity = 1000;

}  // namespace server
}  // namespace tlsmux

#endif
