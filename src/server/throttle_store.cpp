// SPDX-License-Identifier: GPL-2.0-or-later
// throttle_store: the login throttle in memory, or in a locked file shared by processes.
#include "server/throttle_store.hpp"

#include "log/logger.hpp"
#include "log/rate_limit.hpp"
#include "tlsmux/platform/file_lock.hpp"

#include <chrono>
#include <mutex>

namespace tlsmux {
namespace server {

namespace {

typedef auth::login_throttle::stamp stamp;

template <class Clock>
stamp now_of() {
  return std::chrono::duration_cast<stamp>(Clock::now().time_since_epoch());
}

class memory_throttle : public throttle_store {
 public:
  void configure(const auth::login_throttle::limits& l) override { t_.configure(l); }
  stamp begin(const std::string& prefix, const std::string& user, std::error_code&) override {
    return t_.begin(prefix, user, now_of<std::chrono::steady_clock>());
  }
  int finish(const std::string& prefix, const std::string& user, bool ok) override {
    return t_.finish(prefix, user, ok, now_of<std::chrono::steady_clock>());
  }

 private:
  auth::login_throttle t_;
};

// Each call: lock the file, load it, apply the step, write it back, unlock. The lock is
// never held across a password check. The wall clock is the one every process shares; a
// clock set back makes counts last longer, set forward ends them early.
class file_throttle : public throttle_store {
 public:
  explicit file_throttle(const std::string& path) : path_(path) {}
  std::error_code open() { return file_.open(path_); }

  void configure(const auth::login_throttle::limits& l) override {
    std::lock_guard<std::mutex> lock(mu_);
    limits_ = l;
  }
  stamp begin(const std::string& prefix, const std::string& user, std::error_code& ec) override {
    stamp wait(0);
    ec = apply([&](auth::login_throttle& t, stamp now) { wait = t.begin(prefix, user, now); });
    return wait;
  }
  int finish(const std::string& prefix, const std::string& user, bool ok) override {
    int bits = 0;
    std::error_code ec =
        apply([&](auth::login_throttle& t, stamp now) { bits = t.finish(prefix, user, ok, now); });
    if (ec) log::limited(log::level::error, "throttle update", "login throttle: cannot update " + path_ + ": " + ec.message());
    return bits;
  }

 private:
  template <class Step>
  std::error_code apply(Step step) {
    std::lock_guard<std::mutex> lock(mu_);  // fcntl() locks do not exclude our own threads
    std::error_code ec = file_.lock();
    if (ec) return ec;
    std::string text;
    ec = file_.read_all(text);
    if (!ec) {
      auth::login_throttle t(limits_, file_throttle_capacity);
      t.load(text);
      step(t, now_of<std::chrono::system_clock>());
      ec = file_.replace(t.save());
    }
    file_.unlock();
    return ec;
  }

  std::mutex mu_;
  std::string path_;
  platform::shared_file file_;
  auth::login_throttle::limits limits_;
};

}  // namespace

std::unique_ptr<throttle_store> make_memory_throttle() {
  return std::unique_ptr<throttle_store>(new memory_throttle);
}

std::unique_ptr<throttle_store> make_file_throttle(const std::string& path, std::string& error) {
  std::unique_ptr<file_throttle> f(new file_throttle(path));
  std::error_code ec = f->open();
  if (ec) {
    error = "cannot open the shared login throttle " + path + ": " + ec.message();
    return std::unique_ptr<throttle_store>();
  }
  return std::unique_ptr<throttle_store>(f.release());
}

}  // namespace server
}  // namespace tlsmux
