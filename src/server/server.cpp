// SPDX-License-Identifier: GPL-2.0-or-later
// server: listeners, reload, drain and status.
#include "server/server.hpp"

#include "log/logger.hpp"
#include "log/rate_limit.hpp"
#include "text/ip_text.hpp"
#include "tls/context.hpp"
#include "policy/sensitive_ports.hpp"
#include "tlsmux/platform/files.hpp"
#include "tlsmux/platform/hosts_file.hpp"
#include "tlsmux/platform/limits.hpp"
#include "tlsmux/platform/listening_sockets.hpp"

#include <asio/dispatch.hpp>
#include <asio/post.hpp>
#include <algorithm>
#include <sstream>

namespace tlsmux {
namespace server {

namespace {

bool select_reactor() { return std::string(TLSMUX_REACTOR_NAME) == "select"; }

}  // namespace

server::server(asio::io_context& io, loader load)
    : io_(io), pool_(io), lookups_(platform::hosts_file_path()), load_(load), drain_timer_(io),
      started_at_(std::chrono::steady_clock::now()) {}

server::~server() {
  // Sessions still open here (the loop was stopped without a drain) are kept alive only by
  // their own pending handlers (session -> TLS stream -> handler -> session): finish them so
  // those cycles break and everything is freed with the loops' queued handlers. No loop
  // runs any more, so this thread may call into every session.
  passwords_.stop();
  pool_.stop();
  std::vector<std::shared_ptr<session> > open = table_.members();
  for (std::size_t i = 0; i < open.size(); ++i) open[i]->stop("server stopped");
}

std::size_t server::session_count() const { return table_.size(); }

bool server::start_threads(std::size_t threads, std::string& error) {
  if (single_ || threads <= 1) return true;
  bool ok = pool_.start(threads, error);
  table_.set_loops(pool_.size());
  if (ok) log::notice(std::to_string(pool_.size()) + " threads, one event loop each");
  return ok;
}

void server::stop_threads() {
  passwords_.stop();  // its threads post to the loops: they go first
  pool_.stop();
}

asio::io_context& server::accept_context() { return pool_.context(table_.least_loaded_loop()); }

session_limits server::plan_limits(const config::server_config& cfg) const {
  capacity_inputs in;
  in.descriptors = platform::raise_descriptor_limit();
  std::size_t select_limit = platform::select_descriptor_limit();
  if (select_reactor() && select_limit > 0) in.descriptors = std::min(in.descriptors, select_limit);
  in.threads = cfg.threads;
  in.extra_sockets = cfg.rules.udp || cfg.rules.bind;
  in.max_sessions = cfg.max_sessions;
  in.per_client = cfg.max_sessions_per_client;
  in.extra_per_client = cfg.max_extra_sockets_per_client;
  in.max_startups = cfg.max_startups;
  in.startups_per_client = cfg.max_startups_per_client;
  bool clipped = false;
  session_limits limits = plan_capacity(in, clipped);
  if (single_) {  // --inetd: one session, but the UDP/BIND reserve of a full server
    limits.sessions = 1;
    return limits;
  }
  if (clipped)
    log::warning("max-sessions " + std::to_string(cfg.max_sessions) +
                 " exceeds what the descriptor limit allows; using " + std::to_string(limits.sessions));
  return limits;
}

std::size_t server::session_cap() const { return snap_ ? table_.limits().sessions : 0; }

namespace {

// The ports that listen on this host now: TCP, and UDP when UDP ASSOCIATE can reach them.
std::vector<std::uint16_t> listening_ports(const policy::rules& r) {
  std::vector<platform::listening_socket> sockets;
  std::string what;
  std::error_code ec = platform::listening_sockets(sockets, what);
  if (ec) {
    log::warning("cannot list this host's listening sockets (" + what + ": " + ec.message() +
                 "); no warning about trust-sensitive ports");
    return std::vector<std::uint16_t>();
  }
  std::vector<std::uint16_t> ports;
  for (std::size_t i = 0; i < sockets.size(); ++i)
    if (!sockets[i].udp || r.udp) ports.push_back(sockets[i].port);
  return ports;
}

}  // namespace

// At start-up, and after a reload only when the lines changed (issue 14).
void server::log_exposure(const snapshot& snap) {
  const policy::rules& r = snap.cfg.rules;
  // The sources in force: a default that cannot be bound was dropped from the snapshot.
  const identity::class_source& v4 = snap.cfg.sources.at(identity::id_class::anonymous, false);
  const identity::class_source& v6 = snap.cfg.sources.at(identity::id_class::anonymous, true);
  std::vector<std::string> warnings =
      policy::exposure_warnings(r, snap.cfg.anonymous, listening_ports(r), v4.set ? text::ip_text(v4.address) : std::string(),
                                v6.set ? text::ip_text(v6.address) : std::string());
  if (exposure_logged_ && warnings == last_exposure_) return;
  for (std::size_t i = 0; i < warnings.size(); ++i) log::warning(warnings[i]);
  last_exposure_ = warnings;
  exposure_logged_ = true;
}

void server::open_listeners(const config::server_config& cfg, std::vector<std::string>& errors) {
  for (std::size_t i = 0; i < cfg.listen.size(); ++i) {
    std::vector<asio::ip::tcp::endpoint> eps;
    if (!parse_listen(cfg.listen[i], eps)) {
      errors.push_back("bad listen address '" + cfg.listen[i] + "'");
      continue;
    }
    for (std::size_t j = 0; j < eps.size(); ++j) {
      std::unique_ptr<listener> l(new listener(io_, *this));
      std::string what;
      std::ostringstream spec;
      spec << socks5::address::from_ip(eps[j].address(), eps[j].port()).to_string();
      if (l->open(spec.str(), what)) {
        // "*:4430" on a host without IPv6 still serves IPv4.
        if (eps.size() > 1 && eps[j].address().is_v6()) {
          log::warning(what);
          continue;
        }
        errors.push_back(what);
        continue;
      }
      listeners_.push_back(std::move(l));
    }
  }
}

// Socket activation (systemd Accept=no): the sockets listen already; every limit, throttle
// and policy applies to them exactly as to our own.
void server::adopt_listeners(const std::vector<platform::socket_handle>& fds, std::vector<std::string>& errors) {
  adopted_ = true;
  for (std::size_t i = 0; i < fds.size(); ++i) {
    std::unique_ptr<listener> l(new listener(io_, *this));
    std::string what;
    if (l->adopt(fds[i], what)) errors.push_back(what);
    else listeners_.push_back(std::move(l));
  }
}

bool server::start(const config::server_config& cfg, std::vector<std::string>& errors,
                   const std::vector<platform::socket_handle>& adopted) {
  if (adopted.empty()) open_listeners(cfg, errors);
  else adopt_listeners(adopted, errors);
  std::vector<std::uint16_t> own_ports;
  for (std::size_t i = 0; i < listeners_.size(); ++i) own_ports.push_back(listeners_[i]->endpoint().port());
  if (!errors.empty() || listeners_.empty()) {
    if (errors.empty()) errors.push_back("nothing to listen on");
    return false;
  }
  session_limits limits = plan_limits(cfg);
  snap_ = load_snapshot(cfg, own_ports, errors);
  if (!snap_ || !start_ident(cfg, errors)) return false;
  table_.set_limits(limits);
  configure_throttle();
  configure_lookups();
  listen_spec_ = cfg.listen;
  for (std::size_t i = 0; i < listeners_.size(); ++i) {
    std::ostringstream line;
    line << "listening on " << socks5::address::from_ip(listeners_[i]->endpoint().address(),
                                                      listeners_[i]->endpoint().port())
                                   .to_string();
    if (adopted_) line << " (socket from the service manager)";
    log::notice(line.str());
    listeners_[i]->start();
  }
  if (adopted_) log::notice("listen = is not used: the service manager passed the listening sockets");
  log::notice(std::string(TLSMUX_REACTOR_NAME) + " reactor: up to " + std::to_string(limits.sessions) +
              " concurrent sessions, " + std::to_string(limits.startups) + " of them not yet negotiated (" +
              std::to_string(limits.startups_per_client) + " per client)");
  log::notice(tls::preference_text(snap_->tls->first_aead(), cfg.cipher_preference));
  log_exposure(*snap_);
  return true;
}

// ident = yes: bound now, with the listeners, before privileges are dropped.
bool server::start_ident(const config::server_config& cfg, std::vector<std::string>& errors) {
  if (!cfg.ident) return true;
  std::unique_ptr<ident_responder> r(new ident_responder(io_, idents_));
  if (!r->open(cfg.ident_listen, errors)) return false;
  r->start();
  ident_ = std::move(r);
  return true;
}

bool server::start_single(const config::server_config& cfg, asio::ip::tcp::socket socket,
                          std::vector<std::string>& errors) {
  std::vector<std::uint16_t> own_ports;
  std::error_code ec;
  asio::ip::tcp::endpoint local = socket.local_endpoint(ec);
  if (!ec) own_ports.push_back(local.port());
  snap_ = load_snapshot(cfg, own_ports, errors);
  if (!snap_) return false;
  if (cfg.ident) log::warning("ident = yes is not served under --inetd (each connection is its own process)");
  single_ = true;
  table_.set_limits(plan_limits(cfg));
  // One process per connection: the login throttle lives in the state directory, shared
  // by all of them under a lock. Opened now, before privileges are dropped.
  if (snap_->passwords) {
    std::string error;
    std::error_code dec = platform::make_private_dir(cfg.state_dir);
    std::unique_ptr<throttle_store> store =
        dec ? std::unique_ptr<throttle_store>()
            : make_file_throttle(platform::join_path(cfg.state_dir, inetd_throttle_file), error);
    if (!store) {
      errors.push_back(dec ? "cannot create state directory " + cfg.state_dir + ": " + dec.message() : error);
      return false;
    }
    passwords_.set_store(std::move(store));
  }
  configure_throttle();
  configure_lookups();
  asio::ip::tcp::endpoint peer = socket.remote_endpoint(ec);
  if (!ec && client_filtered(socket, peer.address())) {
    io_.stop();  // --inetd: nothing else to serve
    return true;
  }
  accepted(std::move(socket));
  return true;
}

// allow-from and deny-from: a client outside is closed at accept, before any TLS byte,
// logged at most once a second and counted (SIGUSR2 status line).
bool server::client_filtered(asio::ip::tcp::socket& socket, const asio::ip::address& client) {
  std::string why;
  if (policy::client_admitted(snap_->cfg.rules.clients, client, why)) return false;
  ++filtered_;
  // One rate limit per list, so that a flood from a denied network hides no other refusal.
  log::limited_warning(why.compare(0, 7, "in deny") == 0 ? "refused by deny-from" : "refused by allow-from",
                       "refused connection from " + text::ip_text(client) + ": " + why);
  std::error_code ignored;
  socket.close(ignored);
  return true;
}

bool server::admit(asio::ip::tcp::socket& socket) {
  std::error_code ec;
  asio::ip::tcp::endpoint peer = socket.remote_endpoint(ec);
  const char* why = "peer vanished";
  client_key who;
  if (!ec && client_filtered(socket, peer.address())) return false;
  if (!ec) {
    who = client_of(*snap_, peer.address());
    session_table<session>::answer a = table_.admit(who);
    if (a.victim) drop_startup(a.victim, a.why);
    if (a.verdict == admission::admitted) return true;
    why = admission_text(a.verdict);
  }
  // Refused connections are answered and closed by the refuser (docs/protocol.md 1.1);
  // logged at most once a second per reason so a flood cannot turn into a logging storm. The client network is named when it is wider
  // than the address.
  std::string from = ec ? "?" : text::ip_text(peer.address());
  if (!ec && who.to_string() != from) from += " (counted in " + who.to_string() + ")";
  ++refused_count_;
  log::limited_warning(std::string("refused ") + why, "refused connection from " + from + ": " + why);
  refusals_.refuse(std::move(socket), table_.limits().refusals_waiting);
  return false;
}


void server::accepted(asio::ip::tcp::socket socket) {
  ++accepted_count_;
  std::shared_ptr<session> s = std::make_shared<session>(std::move(socket), snap_, *this);
  std::size_t loop = pool_.index_of(s->executor());
  table_.add(s, s->client(), loop);
  if (loop == 0) s->start();
  else asio::post(s->executor(), [s]() { s->start(); });
}

// Runs on the session's loop.
void server::session_closed(session* s) {
  session_table<session>::removal gone = table_.remove(s);
  if (!gone.member) return;
  ++ended_count_;
  const bool last = gone.last;
  // Release the session after its own call stack has unwound.
  std::shared_ptr<session> keep = gone.member;
  asio::post(keep->executor(), [keep]() {});
  if (single_ && last) io_.stop();
  if (!pool_.running()) maybe_finish_drain();
  else if (last) asio::post(io_, [this]() { maybe_finish_drain(); });
}

// Runs on the session's loop.
bool server::session_negotiated(session* s) { return table_.negotiated(s); }

// A connection that has not finished TLS and SOCKS makes room for a new one (admit); the
// table has already taken it out of the counts. Its session line says why.
void server::drop_startup(const std::shared_ptr<session>& victim, const char* why) {
  const std::string reason = std::string("dropped before negotiation to admit a new connection: ") + why;
  asio::dispatch(victim->executor(), [victim, reason]() { victim->stop(reason); });
}

bool server::acquire_extra_socket(const client_key& who) { return table_.acquire_extra(who); }

void server::release_extra_socket(const client_key& who) { table_.release_extra(who); }

void server::configure_throttle() { passwords_.configure(snap_->cfg); }

void server::configure_lookups() {
  lookup_limits l;
  l.threads = snap_->cfg.max_lookups;
  l.per_client = snap_->cfg.max_lookups_per_client;
  lookups_.configure(l);
}

bool server::reload() {
  config::server_config cfg;
  std::vector<std::string> errors;
  if (!load_ || !load_(cfg, errors)) {
    for (std::size_t i = 0; i < errors.size(); ++i) log::error(errors[i]);
    log::error("reload failed: keeping the running configuration");
    return false;
  }
  std::vector<std::uint16_t> own_ports;
  for (std::size_t i = 0; i < listeners_.size(); ++i) own_ports.push_back(listeners_[i]->endpoint().port());
  session_limits limits = plan_limits(cfg);
  std::shared_ptr<const snapshot> fresh = load_snapshot(cfg, own_ports, errors);
  if (!fresh) {
    for (std::size_t i = 0; i < errors.size(); ++i) log::error(errors[i]);
    log::error("reload failed: keeping the running configuration");
    return false;
  }
  if (cfg.listen != listen_spec_ && !adopted_)
    log::warning("reload: listen addresses changed; they take effect after a restart");
  if (cfg.threads != snap_->cfg.threads)
    log::warning("reload: threads changed; it takes effect after a restart");
  if (cfg.ident != snap_->cfg.ident || cfg.ident_listen != snap_->cfg.ident_listen)
    log::warning("reload: ident or ident-listen changed; it takes effect after a restart");
  snap_ = fresh;
  table_.set_limits(limits);
  configure_throttle();
  configure_lookups();
  lookups_.reload_hosts();
  addresses_.invalidate();
  log::notice("reloaded configuration; " + std::to_string(session_count()) +
              " established sessions continue unchanged");
  log_exposure(*snap_);
  return true;
}

void server::shutdown() {
  if (!table_.begin_drain()) {
    // A second SIGTERM or SIGINT (the admin's second Ctrl-C): do not wait any longer.
    log::notice("shutting down now: closing " + std::to_string(session_count()) + " sessions");
    drain_timer_.cancel();
    stop_sessions();
    io_.stop();
    return;
  }
  for (std::size_t i = 0; i < listeners_.size(); ++i) listeners_[i]->close();
  std::size_t open = session_count();
  log::notice("shutting down: draining " + std::to_string(open) + " sessions for up to " +
              std::to_string(snap_ ? snap_->cfg.drain_timeout / 1000 : 0) +
              "s (signal again to close them now)");
  if (open == 0) {
    io_.stop();
    return;
  }
  drain_timer_.expires_after(std::chrono::milliseconds(snap_ ? snap_->cfg.drain_timeout : 0));
  drain_timer_.async_wait([this](const std::error_code& ec) {
    if (!ec) stop_sessions();
  });
}

void server::stop_sessions() {
  std::vector<std::shared_ptr<session> > all = table_.members();
  for (std::size_t i = 0; i < all.size(); ++i) {
    std::shared_ptr<session> s = all[i];
    asio::dispatch(s->executor(), [s]() { s->stop("shutdown"); });
  }
}

void server::maybe_finish_drain() {
  if (table_.drained()) {
    drain_timer_.cancel();
    io_.stop();
  }
}

void server::dump_status() {
  std::vector<std::shared_ptr<session> > all = table_.members();
  std::string line = "status: " + std::to_string(all.size()) + " active sessions (cap " +
                     std::to_string(session_cap()) + "), " + std::to_string(table_.startups()) +
                     " not yet negotiated, " + std::to_string(table_.dropped_startups()) +
                     " dropped before negotiation since the start, " + std::to_string(filtered_.load()) +
                     " refused by allow-from/deny-from";
  if (pool_.running()) {
    std::vector<std::size_t> loads = table_.loop_loads();
    line += "; per thread:";
    for (std::size_t i = 0; i < loads.size(); ++i) line += " " + std::to_string(loads[i]);
  }
  log::notice(line);
  for (std::size_t i = 0; i < all.size(); ++i) {
    std::shared_ptr<session> s = all[i];
    asio::dispatch(s->executor(), [s]() { log::notice("active " + s->describe()); });
  }
}

std::vector<asio::ip::tcp::endpoint> server::endpoints() const {
  std::vector<asio::ip::tcp::endpoint> out;
  for (std::size_t i = 0; i < listeners_.size(); ++i) out.push_back(listeners_[i]->endpoint());
  return out;
}

}  // namespace server
}  // namespace tlsmux
