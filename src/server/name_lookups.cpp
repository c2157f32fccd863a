// SPDX-License-Identifier: GPL-2.0-or-later
// name_lookups: literals and hosts-file names at once, other names on a bounded pool of
// threads with a share per client.
#include "server/name_lookups.hpp"
#include "log/logger.hpp"
#include "text/ip_text.hpp"
#include "text/log_fields.hpp"

#include "tlsmux/platform/files.hpp"

#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/post.hpp>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <map>
#include <thread>

namespace tlsmux {
namespace server {

namespace {

const std::chrono::seconds hosts_refresh(5);
const std::size_t queue_per_thread = 4;  // queued lookups, all clients: 4 x max-lookups

class lookup_category : public std::error_category {
 public:
  const char* name() const noexcept override { return "lookup"; }
  std::string message(int v) const override {
    return v == 1 ? "too many name lookups from this client" : "too many name lookups in progress";
  }
};

std::error_code lookup_error(int v) {
  static lookup_category c;
  return std::error_code(v, c);
}

struct job {
  client_key who;
  std::string name;
  asio::any_io_executor ex;
  name_lookups::handler done;
  bool queued = false;
  bool abandoned = false;
};

}  // namespace

struct name_lookups::state {
  std::mutex m;
  std::condition_variable cv;
  lookup_limits limits;
  std::deque<std::shared_ptr<job> > queue;
  std::map<client_key, std::size_t> outstanding;  ///< queued or running, per client
  std::map<client_key, std::size_t> running;      ///< running, per client
  std::size_t threads = 0, idle = 0;
  bool stopped = false;
  name_lookups::blocking_lookup network;
};

namespace {

typedef name_lookups::state state;

void drop_count(std::map<client_key, std::size_t>& m, const client_key& who) {
  std::map<client_key, std::size_t>::iterator it = m.find(who);
  if (it != m.end() && --it->second == 0) m.erase(it);
}

// Posts the answer; the handler runs unless the lookup was abandoned in between.
void deliver(const std::shared_ptr<state>& st, const std::shared_ptr<job>& j, const std::error_code& ec,
             const std::vector<asio::ip::address>& out) {
  asio::post(j->ex, [st, j, ec, out]() {
    name_lookups::handler h;
    {
      std::lock_guard<std::mutex> lock(st->m);
      if (j->abandoned) return;
      j->abandoned = true;
      h.swap(j->done);
    }
    h(ec, out);
  });
}

// The queued lookup of the client with the fewest running, the oldest among equals, so
// that one client's slow names do not hold everyone else's behind them.
std::shared_ptr<job> pick(state& st) {
  std::size_t best = 0, best_running = static_cast<std::size_t>(-1);
  for (std::size_t i = 0; i < st.queue.size(); ++i) {
    std::map<client_key, std::size_t>::const_iterator r = st.running.find(st.queue[i]->who);
    std::size_t n = r == st.running.end() ? 0 : r->second;
    if (n < best_running) {
      best = i;
      best_running = n;
    }
  }
  std::shared_ptr<job> j = st.queue[best];
  st.queue.erase(st.queue.begin() + static_cast<std::ptrdiff_t>(best));
  j->queued = false;
  st.running[j->who]++;
  return j;
}

std::error_code getaddrinfo_lookup(asio::ip::tcp::resolver& resolver, const std::string& name,
                                   std::vector<asio::ip::address>& out) {
  std::error_code ec;
  asio::ip::tcp::resolver::results_type res =
      resolver.resolve(name, "0", asio::ip::tcp::resolver::numeric_service, ec);
  for (asio::ip::tcp::resolver::results_type::const_iterator it = res.begin(); it != res.end(); ++it)
    out.push_back(it->endpoint().address());
  return ec;
}

void worker(std::shared_ptr<state> st) {
  asio::io_context io(1);
  asio::ip::tcp::resolver resolver(io);
  std::unique_lock<std::mutex> lock(st->m);
  for (;;) {
    ++st->idle;
    while (!st->stopped && st->queue.empty()) st->cv.wait(lock);
    --st->idle;
    if (st->stopped) break;
    std::shared_ptr<job> j = pick(*st);
    std::string name = j->name;
    name_lookups::blocking_lookup network = st->network;
    lock.unlock();
    std::vector<asio::ip::address> out;
    std::error_code ec = network ? network(name, out) : getaddrinfo_lookup(resolver, name, out);
    lock.lock();
    drop_count(st->running, j->who);
    drop_count(st->outstanding, j->who);
    if (!j->abandoned && !st->stopped) deliver(st, j, ec, out);
  }
  --st->threads;
}

class ticket : public lookup {
 public:
  ticket(const std::shared_ptr<state>& st, const std::shared_ptr<job>& j) : st_(st), job_(j) {}
  ~ticket() override { abandon(); }

  void abandon() override {
    std::shared_ptr<state> st = st_.lock();
    if (!st || !job_) return;
    name_lookups::handler h;  // released after the lock: it may hold the last session reference
    std::lock_guard<std::mutex> lock(st->m);
    if (job_->abandoned) return;
    job_->abandoned = true;
    h.swap(job_->done);
    if (job_->queued) {
      for (std::size_t i = 0; i < st->queue.size(); ++i)
        if (st->queue[i] == job_) {
          st->queue.erase(st->queue.begin() + static_cast<std::ptrdiff_t>(i));
          break;
        }
      job_->queued = false;
      drop_count(st->outstanding, job_->who);
    }
  }

 private:
  std::weak_ptr<state> st_;
  std::shared_ptr<job> job_;
};

}  // namespace

name_lookups::name_lookups(const std::string& hosts_path, blocking_lookup network)
    : state_(std::make_shared<state>()), hosts_path_(hosts_path) {
  state_->network = network;
  reload_hosts();
}

name_lookups::~name_lookups() {
  std::deque<std::shared_ptr<job> > dropped;
  {
    std::lock_guard<std::mutex> lock(state_->m);
    state_->stopped = true;
    dropped.swap(state_->queue);
  }
  state_->cv.notify_all();
}

void name_lookups::configure(const lookup_limits& l) {
  std::lock_guard<std::mutex> lock(state_->m);
  state_->limits = l;
  if (state_->limits.threads == 0) state_->limits.threads = 1;
  if (state_->limits.per_client == 0) state_->limits.per_client = 1;
}

void name_lookups::reload_hosts() {
  std::string text;
  std::lock_guard<std::mutex> lock(hosts_mutex_);
  hosts_read_ = std::chrono::steady_clock::now();
  // Unreadable (a chroot without the file): keep what was read before.
  if (!platform::read_file(hosts_path_, text)) hosts_.parse(text);
}

bool name_lookups::answer_locally(const std::string& name, const asio::any_io_executor& ex,
                                  std::vector<asio::ip::address>& out) {
  // getaddrinfo(AI_NUMERICHOST) never touches the network and accepts what a full lookup
  // would (127.1, 0x7f.1, ...): the policy classifies the binary address, not the text.
  std::error_code ec;
  asio::ip::tcp::resolver numeric(ex);
  asio::ip::tcp::resolver::results_type res = numeric.resolve(
      name, "0", asio::ip::tcp::resolver::numeric_host | asio::ip::tcp::resolver::numeric_service, ec);
  if (!ec) {
    for (asio::ip::tcp::resolver::results_type::const_iterator it = res.begin(); it != res.end(); ++it)
      out.push_back(it->endpoint().address());
    return true;
  }
  if (std::chrono::steady_clock::now() - hosts_read_ >= hosts_refresh) reload_hosts();
  std::lock_guard<std::mutex> lock(hosts_mutex_);
  return hosts_.find(name, out);
}

namespace {

// --log-level debug: one line per answer, with its addresses and how long it took.
name_lookups::handler logged(const client_key& who, const std::string& name, bool local,
                             name_lookups::handler done) {
  const std::chrono::steady_clock::time_point t0 = std::chrono::steady_clock::now();
  const std::string from = who.to_string();
  return [t0, from, name, local, done](const std::error_code& ec, const std::vector<asio::ip::address>& a) {
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    std::string answer;
    for (std::size_t i = 0; i < a.size(); ++i) answer += (i ? "," : "") + text::ip_text(a[i]);
    char took[32];
    std::snprintf(took, sizeof took, "%.1f", ms);
    text::field_line line("resolve");
    line.add("name", name).add("client", from).add("source", local ? "local" : "dns").add("ms", took);
    if (ec) line.add_quoted("error", ec.message());
    else line.add("answer", answer.empty() ? "-" : answer);
    log::debug(line.str());
    done(ec, a);
  };
}

}  // namespace

std::shared_ptr<lookup> name_lookups::start(const client_key& who, const std::string& name,
                                            const asio::any_io_executor& ex, handler done) {
  const bool debug = log::enabled(log::level::debug);
  std::shared_ptr<job> j = std::make_shared<job>();
  j->who = who;
  j->name = name;
  j->ex = ex;
  j->done = done;
  std::shared_ptr<lookup> t = std::make_shared<ticket>(state_, j);
  std::vector<asio::ip::address> local;
  if (answer_locally(name, ex, local)) {
    if (debug) j->done = logged(who, name, true, done);
    deliver(state_, j, std::error_code(), local);
    return t;
  }
  if (debug) j->done = logged(who, name, false, done);
  bool spawn = false;
  {
    std::lock_guard<std::mutex> lock(state_->m);
    state& st = *state_;
    std::map<client_key, std::size_t>::const_iterator o = st.outstanding.find(who);
    std::size_t mine = o == st.outstanding.end() ? 0 : o->second;
    if (mine >= st.limits.per_client || st.queue.size() >= queue_per_thread * st.limits.threads) {
      deliver(state_, j, lookup_error(mine >= st.limits.per_client ? 1 : 2), local);
      return t;
    }
    st.outstanding[who]++;
    j->queued = true;
    st.queue.push_back(j);
    if (st.queue.size() > st.idle && st.threads < st.limits.threads) {
      ++st.threads;
      spawn = true;
    }
  }
  state_->cv.notify_one();
  if (spawn) {
    try {
      std::thread(worker, state_).detach();
    } catch (const std::system_error&) {
      std::lock_guard<std::mutex> lock(state_->m);
      --state_->threads;  // the queued lookup waits for a running thread, or its deadline
    }
  }
  return t;
}

}  // namespace server
}  // namespace tlsmux
