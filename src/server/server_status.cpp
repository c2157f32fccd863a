// SPDX-License-Identifier: GPL-2.0-or-later
// server::collect_status: the report of `tlsmux status`, gathered from every loop.
#include "server/server.hpp"

#include "socks5/protocol.hpp"

#include <asio/dispatch.hpp>
#include <asio/post.hpp>
#include <mutex>

namespace tlsmux {
namespace server {

namespace {

// Sessions answer on their own loops; the last one hands the report back to the server's.
struct status_gathering {
  std::mutex lock;
  server_status report;
  std::size_t pending = 0;
  std::function<void(const server_status&)> done;
};

void finish_one(const std::shared_ptr<status_gathering>& g, asio::io_context& io) {
  asio::post(io, [g]() { g->done(g->report); });
}

}  // namespace

void server::collect_status(std::function<void(const server_status&)> done) {
  std::shared_ptr<status_gathering> g = std::make_shared<status_gathering>();
  g->done = done;
  server_status& r = g->report;
  r.reactor = TLSMUX_REACTOR_NAME;
  r.uptime_seconds = static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - started_at_).count());
  r.threads = pool_.running() ? pool_.size() : 1;
  r.draining = table_.draining();
  std::vector<asio::ip::tcp::endpoint> eps = endpoints();
  for (std::size_t i = 0; i < eps.size(); ++i)
    r.listeners.push_back(socks5::address::from_ip(eps[i].address(), eps[i].port()).to_string());
  const session_limits l = table_.limits();
  r.max_sessions = l.sessions;
  r.per_client = l.per_client;
  r.startups = l.startups;
  r.startups_per_client = l.startups_per_client;
  r.extra_sockets = l.extra_sockets;
  if (snap_) {
    r.idle_timeout_ms = snap_->cfg.idle_timeout;
    r.handshake_timeout_ms = snap_->cfg.handshake_timeout;
  }
  r.accepted = accepted_count_;
  r.refused = refused_count_;
  r.ended = ended_count_;
  r.dropped_startups = table_.dropped_startups();
  r.filtered = filtered_;
  r.not_negotiated = table_.startups();
  std::vector<std::shared_ptr<session> > all = table_.members();
  if (all.empty()) return finish_one(g, io_);
  g->pending = all.size();
  asio::io_context& io = io_;
  for (std::size_t i = 0; i < all.size(); ++i) {
    std::shared_ptr<session> s = all[i];
    asio::post(s->executor(), [g, s, &io]() {
      session_status one = s->status();
      std::lock_guard<std::mutex> hold(g->lock);
      g->report.sessions.push_back(one);
      if (--g->pending == 0) finish_one(g, io);
    });
  }
}

}  // namespace server
}  // namespace tlsmux
