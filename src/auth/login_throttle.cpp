// SPDX-License-Identifier: GPL-2.0-or-later
#include "auth/login_throttle.hpp"

namespace tlsmux {
namespace auth {

login_throttle::login_throttle(std::size_t max_failures, clock::duration lockout, std::size_t capacity)
    : max_failures_(max_failures), lockout_(lockout), capacity_(capacity == 0 ? 1 : capacity) {}

void login_throttle::configure(std::size_t max_failures, clock::duration lockout) {
  std::lock_guard<std::mutex> lock(mu_);
  max_failures_ = max_failures;
  lockout_ = lockout;
}

std::string login_throttle::key(const std::uint8_t* address, std::size_t size) {
  const std::size_t v6_prefix = 8;  // /64
  const char* p = reinterpret_cast<const char*>(address);
  return size == 16 ? std::string(p, v6_prefix) : std::string(p, size);
}

bool login_throttle::expired(const entry& e, clock::time_point now) const {
  return now - e.last >= lockout_;
}

bool login_throttle::allowed(const std::string& key, clock::time_point now) {
  std::lock_guard<std::mutex> lock(mu_);
  if (max_failures_ == 0) return true;
  std::map<std::string, entry>::iterator it = entries_.find(key);
  if (it == entries_.end()) return true;
  if (expired(it->second, now)) {
    entries_.erase(it);
    return true;
  }
  return it->second.failures < max_failures_;
}

bool login_throttle::failed(const std::string& key, clock::time_point now) {
  std::lock_guard<std::mutex> lock(mu_);
  if (max_failures_ == 0) return false;
  std::map<std::string, entry>::iterator it = entries_.find(key);
  if (it != entries_.end() && expired(it->second, now)) {
    entries_.erase(it);
    it = entries_.end();
  }
  if (it == entries_.end()) {
    if (entries_.size() >= capacity_) make_room(now);
    entry e = {0, now};
    it = entries_.insert(std::make_pair(key, e)).first;
  }
  ++it->second.failures;
  it->second.last = now;
  return it->second.failures == max_failures_;
}

void login_throttle::succeeded(const std::string& key) {
  std::lock_guard<std::mutex> lock(mu_);
  entries_.erase(key);
}

// Full: forget what has expired; if nothing has, the address quiet for longest.
void login_throttle::make_room(clock::time_point now) {
  std::map<std::string, entry>::iterator oldest = entries_.end();
  for (std::map<std::string, entry>::iterator it = entries_.begin(); it != entries_.end();) {
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

}  // namespace auth
}  // namespace tlsmux
