// SPDX-License-Identifier: GPL-2.0-or-later
// Failed RFC 1929 logins per client address: after max_failures in a row, that address's
// password attempts are refused unchecked until `lockout` has passed since its last
// failure. It bounds password guessing and the PBKDF2 work an attacker can make the server
// do. IPv6 clients count per /64 (one host usually holds a whole /64). Shared by every
// event loop, so it locks; time comes from the caller.
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

class login_throttle {
 public:
  typedef std::chrono::steady_clock clock;

  /// max_failures 0 turns the throttle off. At most `capacity` addresses are remembered;
  /// beyond that the longest quiet ones are forgotten first.
  explicit login_throttle(std::size_t max_failures = 0,
                          clock::duration lockout = std::chrono::seconds(60),
                          std::size_t capacity = 10000);

  /// Takes new limits (a reload); what was counted stays.
  void configure(std::size_t max_failures, clock::duration lockout);

  /// The key of a client address: 4 bytes (IPv4) or 16 (IPv6, counted per /64).
  static std::string key(const std::uint8_t* address, std::size_t size);

  /// False while the address is locked out: refuse without checking the password.
  bool allowed(const std::string& key, clock::time_point now);
  /// A wrong password (or unknown user) from the address. True when this failure locked it.
  bool failed(const std::string& key, clock::time_point now);
  /// A good password: the address starts again from zero.
  void succeeded(const std::string& key);

  /// Addresses remembered (tests).
  std::size_t size() const;

 private:
  struct entry {
    std::size_t failures;
    clock::time_point last;
  };
  bool expired(const entry& e, clock::time_point now) const;
  void make_room(clock::time_point now);

  mutable std::mutex mu_;
  std::size_t max_failures_;
  clock::duration lockout_;
  std::size_t capacity_;
  std::map<std::string, entry> entries_;
};

}  // namespace auth
}  // namespace tlsmux

#endif
