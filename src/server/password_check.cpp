// SPDX-License-Identifier: GPL-2.0-or-later
// password_checker: the login throttle and the password file, off the event loops.
#include "server/password_check.hpp"

#include "log/logger.hpp"
#include "log/rate_limit.hpp"
#include "policy/address_class.hpp"
#include "policy/address_prefix.hpp"
#include "socks5/protocol.hpp"
#include "text/log_fields.hpp"

#include <asio/post.hpp>
#include <algorithm>
#include <chrono>
#include <system_error>

namespace tlsmux {
namespace server {

namespace {


std::string duration_text(std::uint32_t ms) {
  return ms % 1000 == 0 ? std::to_string(ms / 1000) + "s" : std::to_string(ms) + "ms";
}

// Overwrites a secret before its memory is released; volatile keeps the stores.
void wipe(std::string& s) {
  volatile char* v = s.empty() ? nullptr : &s[0];
  for (std::string::size_type i = 0; i < s.size(); ++i) v[i] = 0;
  s.clear();
}

}  // namespace

std::string throttle_key(const asio::ip::address& client, const policy::prefix_lengths& p) {
  return policy::network_key(client, p);
}

std::size_t password_check_threads() {
  const std::size_t cores = std::thread::hardware_concurrency();
  return std::max<std::size_t>(1, std::min<std::size_t>(4, cores / 2));
}

struct password_checker::job {
  std::shared_ptr<const snapshot> snap;
  asio::ip::address client;  ///< canonical
  std::string prefix;
  socks5::credentials cred;
  asio::any_io_executor ex;
  handler done;
  ~job() { wipe(cred.password); }
};

password_checker::password_checker() : store_(make_memory_throttle()) {}

password_checker::~password_checker() { stop(); }

void password_checker::set_store(std::unique_ptr<throttle_store> store) {
  store_ = std::move(store);
  auth::login_throttle::limits l;
  l.prefix_failures = prefix_limit_;
  l.user_failures = user_limit_;
  l.lockout = std::chrono::milliseconds(lockout_ms_);
  store_->configure(l);
}

void password_checker::configure(const config::server_config& cfg) {
  prefix_limit_ = cfg.auth_max_failures;
  user_limit_ = cfg.auth_user_max_failures;
  lockout_ms_ = cfg.auth_lockout;
  auth::login_throttle::limits l;
  l.prefix_failures = prefix_limit_;
  l.user_failures = user_limit_;
  l.lockout = std::chrono::milliseconds(lockout_ms_);
  store_->configure(l);
}

bool password_checker::start_threads() {
  if (!threads_.empty()) return true;
  const std::size_t n = password_check_threads();
  try {
    for (std::size_t i = 0; i < n; ++i) threads_.push_back(std::thread([this]() { run(); }));
  } catch (const std::system_error& e) {
    log::limited(log::level::error, "password thread", std::string("password checks: cannot start a thread: ") + e.what());
  }
  return !threads_.empty();
}

// The throttle is asked here, on the session's loop (cheap: memory, or a few hundred bytes
// of a locked file): a locked-out client never takes a place among the waiting checks, and
// one prefix has at most its limit of checks charged and waiting.
void password_checker::check(const std::shared_ptr<const snapshot>& snap, const asio::ip::address& client,
                             const socks5::credentials& c, const asio::any_io_executor& ex, handler done) {
  password_verdict refused;
  bool full = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) return;
    full = queue_.size() >= password_checks_waiting;
  }
  std::unique_ptr<job> j(new job);
  j->snap = snap;
  j->client = policy::canonical(client);
  j->prefix = throttle_key(j->client, client_prefixes(snap->cfg));
  j->cred = c;
  j->ex = ex;
  j->done = std::move(done);
  if (full) {
    refused.note = " (not checked: " + std::to_string(password_checks_waiting) + " password checks waiting)";
  } else if (admit(*j, refused)) {
    std::lock_guard<std::mutex> lock(mu_);
    if (start_threads())
      queue_.push_back(std::move(j));
    else  // the charge stays: a failure to check is not a good password
      refused.note = " (not checked: no thread for password checks)";
  }
  if (!j) {
    wake_.notify_one();
    return;
  }
  handler h = std::move(j->done);
  asio::post(ex, [h, refused]() { h(refused); });
}

// Charges the attempt, or says why it is refused unchecked.
bool password_checker::admit(job& j, password_verdict& refused) {
  std::error_code ec;
  const auth::login_throttle::stamp wait = store_->begin(j.prefix, j.cred.user, ec);
  if (ec) {
    log::limited(log::level::error, "throttle read", "login throttle: " + ec.message());
    refused.note = " (not checked: the login throttle's state cannot be read)";
    return false;
  }
  if (wait > auth::login_throttle::stamp(0)) {
    const std::uint32_t secs = static_cast<std::uint32_t>((wait.count() + 999) / 1000);
    refused.status = socks5::lockout_status(secs);
    refused.note = " (locked out for " + std::to_string(secs) + " s more after too many failed logins; not checked)";
    return false;
  }
  return true;
}

void password_checker::run() {
  for (;;) {
    std::unique_ptr<job> j;
    {
      std::unique_lock<std::mutex> lock(mu_);
      wake_.wait(lock, [this]() { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      j = std::move(queue_.front());
      queue_.pop_front();
    }
    const password_verdict v = judge(*j);
    handler h = std::move(j->done);
    asio::post(j->ex, [h, v]() { h(v); });
  }
}

// The check of an admitted attempt; a failure that makes a counter reach its limit is
// logged once.
password_verdict password_checker::judge(job& j) {
  password_verdict v;
  const std::string net = client_of(*j.snap, j.client).to_string();
  const bool ok = j.snap->passwords && j.snap->passwords->verify(j.cred.user, j.cred.password);
  wipe(j.cred.password);
  const int bits = store_->finish(j.prefix, j.cred.user, ok);
  const std::string lockout = duration_text(j.snap->cfg.auth_lockout);
  if (bits & auth::login_throttle::locked_prefix)
    log::limited_warning("login throttle prefix", "login throttle: " + std::to_string(j.snap->cfg.auth_max_failures) + " failed logins from " +
                 j.client.to_string() + (net != j.client.to_string() ? " (counted in " + net + ")" : "") +
                 "; its password logins are locked out for " + lockout);
  if (bits & auth::login_throttle::locked_user)
    log::limited_warning("login throttle user", "login throttle: " + std::to_string(j.snap->cfg.auth_user_max_failures) +
                 " failed logins for user " + text::field_value(j.cred.user) +
                 "; its logins are locked out for " + lockout);
  v.status = ok ? 0x00 : 0x01;
  return v;
}

void password_checker::stop() {
  std::vector<std::thread> threads;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
    threads.swap(threads_);
  }
  wake_.notify_all();
  for (std::size_t i = 0; i < threads.size(); ++i) threads[i].join();
  std::lock_guard<std::mutex> lock(mu_);
  queue_.clear();
}

}  // namespace server
}  // namespace tlsmux
