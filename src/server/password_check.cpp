// SPDX-License-Identifier: GPL-2.0-or-later
#include "server/password_check.hpp"

#include "log/logger.hpp"
#include "policy/address_class.hpp"

namespace tlsmux {
namespace server {

std::string throttle_key(const asio::ip::address& client) {
  const asio::ip::address a = policy::canonical(client);
  if (a.is_v4()) {
    const asio::ip::address_v4::bytes_type b = a.to_v4().to_bytes();
    return auth::login_throttle::key(b.data(), b.size());
  }
  const asio::ip::address_v6::bytes_type b = a.to_v6().to_bytes();
  return auth::login_throttle::key(b.data(), b.size());
}

namespace {

std::string duration_text(std::uint32_t ms) {
  return ms % 1000 == 0 ? std::to_string(ms / 1000) + "s" : std::to_string(ms) + "ms";
}

}  // namespace

bool check_password(const runtime& rt, auth::login_throttle& throttle, const asio::ip::address& client,
                    const socks5::credentials& c, std::string& locked) {
  const auth::login_throttle::clock::time_point now = auth::login_throttle::clock::now();
  const std::string key = throttle_key(client);
  const std::string limit = std::to_string(rt.cfg.auth_max_failures) + " failed logins in a row";
  const std::string lockout = duration_text(rt.cfg.auth_lockout);
  if (!throttle.allowed(key, now)) {
    locked = " (not checked: " + limit + " from this address; refused until " + lockout +
             " after the last)";
    return false;
  }
  const bool ok = rt.passwords && rt.passwords->verify(c.user, c.password);
  if (ok) {
    throttle.succeeded(key);
  } else if (throttle.failed(key, now)) {
    const asio::ip::address a = policy::canonical(client);
    log::warning("login throttle: " + limit + " from " + a.to_string() + (a.is_v6() ? " (counted per /64)" : "") +
                 "; its password logins are refused for " + lockout);
  }
  return ok;
}

}  // namespace server
}  // namespace tlsmux
