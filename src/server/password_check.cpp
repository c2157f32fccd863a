// SPDX-License-Identifier: GPL-2.0-or-later
// check_password: the RFC 1929 check of a login, through the failed-login throttle.
#include "server/password_check.hpp"

#include "log/logger.hpp"
#include "policy/address_class.hpp"

namespace tlsmux {
namespace server {

namespace {

// The key of an address already canonical (IPv4-mapped IPv6 turned into IPv4).
std::string key_of(const asio::ip::address& a) {
  if (a.is_v4()) {
    const asio::ip::address_v4::bytes_type b = a.to_v4().to_bytes();
    return auth::login_throttle::key(b.data(), b.size());
  }
  const asio::ip::address_v6::bytes_type b = a.to_v6().to_bytes();
  return auth::login_throttle::key(b.data(), b.size());
}

std::string duration_text(std::uint32_t ms) {
  return ms % 1000 == 0 ? std::to_string(ms / 1000) + "s" : std::to_string(ms) + "ms";
}

std::string limit_text(const snapshot& snap) {
  return std::to_string(snap.cfg.auth_max_failures) + " failed logins in a row";
}

}  // namespace

std::string throttle_key(const asio::ip::address& client) { return key_of(policy::canonical(client)); }

bool check_password(const snapshot& snap, auth::login_throttle& throttle, const asio::ip::address& client,
                    const socks5::credentials& c, std::string& locked) {
  const auth::login_throttle::clock::time_point now = auth::login_throttle::clock::now();
  const asio::ip::address a = policy::canonical(client);
  const std::string key = key_of(a);
  if (!throttle.allowed(key, now)) {
    locked = " (not checked: " + limit_text(snap) + " from this address; refused until " +
             duration_text(snap.cfg.auth_lockout) + " after the last)";
    return false;
  }
  const bool ok = snap.passwords && snap.passwords->verify(c.user, c.password);
  if (ok) {
    throttle.succeeded(key);
  } else if (throttle.failed(key, now)) {
    log::warning("login throttle: " + limit_text(snap) + " from " + a.to_string() +
                 (a.is_v6() ? " (counted per /64)" : "") + "; its password logins are refused for " +
                 duration_text(snap.cfg.auth_lockout));
  }
  return ok;
}

}  // namespace server
}  // namespace tlsmux
