// SPDX-License-Identifier: GPL-2.0-or-later
// login_throttle: per-prefix and per-user failure counters, charged before the check.
#include "auth/login_throttle.hpp"

#include <algorithm>
#include <sstream>

namespace tlsmux {
namespace auth {

namespace {

// Counter keys: one letter for the kind, then the bytes. A pair key names its prefix's
// length so that the user name cannot be read as part of the prefix.
std::string prefix_key(const std::string& prefix) { return "p" + prefix; }
std::string user_key(const std::string& user) { return "u" + user; }
std::string pair_key(const std::string& prefix, const std::string& user) {
  return "b" + std::string(1, static_cast<char>(prefix.size())) + prefix + user;
}

const char hex_digits[] = "0123456789abcdef";

std::string to_hex(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    out += hex_digits[c >> 4];
    out += hex_digits[c & 15];
  }
  return out;
}

int hex_value(char c) {
  const char* p = std::find(hex_digits, hex_digits + 16, c);
  return p == hex_digits + 16 ? -1 : static_cast<int>(p - hex_digits);
}

bool from_hex(const std::string& s, std::string& out) {
  if (s.empty() || s.size() % 2 != 0) return false;
  out.clear();
  for (std::size_t i = 0; i < s.size(); i += 2) {
    const int hi = hex_value(s[i]), lo = hex_value(s[i + 1]);
    if (hi < 0 || lo < 0) return false;
    out += static_cast<char>(hi * 16 + lo);
  }
  return true;
}

}  // namespace

login_throttle::login_throttle(const limits& l, std::size_t capacity)
    : limits_(l), capacity_(capacity < 3 ? 3 : capacity) {}

void login_throttle::configure(const limits& l) {
  std::lock_guard<std::mutex> lock(mu_);
  limits_ = l;
}

std::string login_throttle::key(const std::uint8_t* address, std::size_t size) {
  const std::size_t v6_prefix = 8;  // /64
  const char* p = reinterpret_cast<const char*>(address);
  return size == 16 ? std::string(p, v6_prefix) : std::string(p, size);
}

login_throttle::entry* login_throttle::find(const std::string& k, stamp now) {
  table::iterator it = entries_.find(k);
  if (it == entries_.end()) return nullptr;
  if (expired(it->second, now)) {
    entries_.erase(it);
    return nullptr;
  }
  return &it->second;
}

login_throttle::entry& login_throttle::charge(const std::string& k, stamp now) {
  entry* e = find(k, now);
  if (e == nullptr) {
    if (entries_.size() >= capacity_) make_room(now);
    entry fresh = {0, now, false};
    e = &entries_.insert(std::make_pair(k, fresh)).first->second;
  }
  ++e->failures;
  e->last = now;
  return *e;
}

void login_throttle::take_back(const std::string& k, std::size_t n) {
  table::iterator it = entries_.find(k);
  if (it == entries_.end()) return;
  it->second.failures -= std::min(n, it->second.failures);
  it->second.reported = false;
  if (it->second.failures == 0) entries_.erase(it);
}

login_throttle::stamp login_throttle::remaining(const std::string& k, std::size_t limit, stamp now) {
  if (limit == 0) return stamp(0);
  entry* e = find(k, now);
  if (e == nullptr || e->failures < limit) return stamp(0);
  return e->last + limits_.lockout - now;
}

login_throttle::stamp login_throttle::begin(const std::string& prefix, const std::string& user, stamp now) {
  std::lock_guard<std::mutex> lock(mu_);
  const stamp wait = std::max(remaining(prefix_key(prefix), limits_.prefix_failures, now),
                              remaining(user_key(user), limits_.user_failures, now));
  if (wait > stamp(0)) return wait;
  if (limits_.prefix_failures > 0) charge(prefix_key(prefix), now);
  if (limits_.user_failures > 0) charge(user_key(user), now);
  if (limits_.prefix_failures > 0 || limits_.user_failures > 0) charge(pair_key(prefix, user), now);
  return stamp(0);
}

// True the first time a counter is seen at its limit after a failure.
bool login_throttle::newly_full(const std::string& k, std::size_t limit) {
  table::iterator it = entries_.find(k);
  if (limit == 0 || it == entries_.end() || it->second.failures < limit || it->second.reported) return false;
  it->second.reported = true;
  return true;
}

int login_throttle::finish(const std::string& prefix, const std::string& user, bool ok, stamp now) {
  std::lock_guard<std::mutex> lock(mu_);
  const std::string pair = pair_key(prefix, user);
  if (ok) {
    table::iterator it = entries_.find(pair);
    if (it == entries_.end()) return locked_none;
    const std::size_t mine = it->second.failures;
    entries_.erase(it);
    take_back(prefix_key(prefix), mine);
    take_back(user_key(user), mine);
    return locked_none;
  }
  (void)now;
  int bits = locked_none;
  if (newly_full(prefix_key(prefix), limits_.prefix_failures)) bits |= locked_prefix;
  if (newly_full(user_key(user), limits_.user_failures)) bits |= locked_user;
  return bits;
}

// Full: forget what has expired; if nothing has, the counter quiet for longest.
void login_throttle::make_room(stamp now) {
  table::iterator oldest = entries_.end();
  for (table::iterator it = entries_.begin(); it != entries_.end();) {
    if (expired(it->second, now)) {
      entries_.erase(it++);
      continue;
    }
    if (oldest == entries_.end() || it->second.last < oldest->second.last) oldest = it;
    ++it;
  }
  if (entries_.size() >= capacity_ && oldest != entries_.end()) entries_.erase(oldest);
}

std::size_t login_throttle::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return entries_.size();
}

std::string login_throttle::save() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::ostringstream out;
  for (table::const_iterator it = entries_.begin(); it != entries_.end(); ++it)
    out << to_hex(it->first) << ' ' << it->second.failures << ' ' << it->second.last.count() << ' '
        << (it->second.reported ? 1 : 0) << '\n';
  return out.str();
}

void login_throttle::load(const std::string& text) {
  std::lock_guard<std::mutex> lock(mu_);
  entries_.clear();
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line) && entries_.size() < capacity_) {
    std::istringstream fields(line);
    std::string hex, k;
    unsigned long long failures = 0;
    long long last = 0;
    int reported = 0;
    if (!(fields >> hex >> failures >> last >> reported) || !from_hex(hex, k) || failures == 0) continue;
    entry e = {static_cast<std::size_t>(failures), stamp(last), reported != 0};
    entries_[k] = e;
  }
}

}  // namespace auth
}  // namespace tlsmux
