// SPDX-License-Identifier: GPL-2.0-or-later
// session: the server's per-connection state machine.
#include "server/session.hpp"
#include "tlsmux/platform/sockets.hpp"

#include "config/server_config.hpp"
#include "socks5/help.hpp"

#include "log/logger.hpp"
#include "log/rate_limit.hpp"
#include "server/session_debug.hpp"
#include "socks5/server_codec.hpp"
#include "text/ip_text.hpp"
#include "tls/identity.hpp"

#include <asio/ip/tcp.hpp>
#include <algorithm>

namespace tlsmux {
namespace server {

namespace {

const std::size_t max_negotiation_bytes = 1024;  // greeting + auth + request fit easily

}  // namespace

socks5::address no_address() { return socks5::address::from_ip(asio::ip::address_v4(), 0); }

namespace {

asio::ip::tcp::endpoint remote_of(const asio::ip::tcp::socket& socket) {
  std::error_code ec;
  return socket.remote_endpoint(ec);
}

asio::ip::tcp::endpoint local_of(const asio::ip::tcp::socket& socket) {
  std::error_code ec;
  return socket.local_endpoint(ec);
}

}  // namespace

// Resolves names through the server's bounded lookups, once per request; cancel() abandons
// the lookup in progress (the session ended or its deadline passed).
class session::name_resolver : public policy::resolver {
 public:
  name_resolver(name_lookups& lookups, const client_key& who, const asio::any_io_executor& ex)
      : lookups_(lookups), who_(who), ex_(ex) {}
  void resolve(const std::string& name, handler done) override {
    cancel();
    current_ = lookups_.start(who_, name, ex_, done);
  }
  void cancel() {
    if (current_) current_->abandon();
    current_.reset();
  }

 private:
  name_lookups& lookups_;
  client_key who_;
  asio::any_io_executor ex_;
  std::shared_ptr<lookup> current_;
};

session::session(asio::ip::tcp::socket socket, std::shared_ptr<const snapshot> snap,
                 session_owner& owner)
    : snap_(snap),
      owner_(owner),
      client_(remote_of(socket)),
      arrival_(local_of(socket)),
      who_(client_of(*snap, client_.address())),
      service_(socket.get_executor()),
      deadline_(socket.get_executor()),
      idle_(socket.get_executor()),
      bind_(socket.get_executor(), owner, client()),
      started_(std::chrono::steady_clock::now()) {
  std::error_code ec;
  record_.client = text::endpoint_text(client_);
  socket.set_option(asio::ip::tcp::no_delay(true), ec);
  // Vanished clients free their slot, and NAT boxes on the way keep an idle session.
  platform::set_keepalive(socket.native_handle(), (snap_->cfg.keepalive + 999) / 1000);
  tls_ = std::make_shared<transport::tls_stream>(std::move(socket), snap_->tls);
  resolver_ = std::make_shared<name_resolver>(owner_.lookups(), client(), service_.get_executor());
}

session::~session() {}

void session::start() {
  std::shared_ptr<session> self = shared_from_this();
  arm_deadline(snap_->cfg.handshake_timeout, "handshake timeout");
  tls_->async_handshake([self](const std::error_code& ec) { self->on_handshake(ec); });
}

void session::arm_deadline(std::uint32_t ms, const char* what) {
  deadline_.cancel();
  if (ms == 0) return;
  std::shared_ptr<session> self = shared_from_this();
  deadline_.expires_after(std::chrono::milliseconds(ms));
  deadline_.async_wait([self, what](const std::error_code& ec) {
    if (!ec) self->on_deadline(what);
  });
}

// A request that cannot be served in time still gets its reply (0x06) before the close.
void session::on_deadline(const char* what) {
  if (finished_) return;
  const session_phase phase = record_.phase;
  if ((phase == session_phase::policy || phase == session_phase::connect) && !record_.reply.sent()) {
    std::error_code ignored;
    record_.reason = what;
    resolver_->cancel();
    service_.close(ignored);
    send_reply(socks5::reply_code::ttl_expired, no_address(), nullptr);
    return;
  }
  finish(what);
}

// What the policy matches a certificate against: its names, and which client CA it chains to.
void session::learn_certificate(const std::vector<std::uint8_t>& der) {
  cert_names_ = tls::certificate_names(der);
  const std::string& global = snap_->cfg.client_ca;
  if (snap_->issuers) {
    cert_cas_ = snap_->issuers->issuers_of(der);
    cert_global_ = !global.empty() && std::find(cert_cas_.begin(), cert_cas_.end(), global) != cert_cas_.end();
  } else {
    cert_global_ = !global.empty();  // the handshake verified it against client-ca alone
    if (cert_global_) cert_cas_.push_back(global);
  }
}

void session::on_handshake(const std::error_code& ec) {
  if (finished_) return;
  if (ec && !tls_->engine().revoked_certificate().empty()) {
    const std::string what = "revoked client certificate (" + tls_->engine().revoked_certificate() + ")";
    log::limited_warning("revoked certificate", "refused " + what + " from " + record_.client);
    finish("tls: " + what + ": " + tls_->engine().error_string());
    return;
  }
  if (ec) {
    const std::string& why = tls_->engine().error_string();
    finish(why.empty() ? "client closed the connection during the TLS handshake" : "tls: " + why);
    return;
  }
  record_.tls = tls_->engine().version() + "/" + tls_->engine().cipher();
  if (log::enabled(log::level::debug)) log::debug(tls_debug_line(record_.client, tls_->engine()));
  socks5::method_policy mp;
  mp.anonymous = snap_->cfg.anonymous;
  mp.password = static_cast<bool>(snap_->passwords);
  std::vector<std::uint8_t> cert = tls_->engine().peer_certificate();
  if (!cert.empty() && config::any_client_ca(snap_->cfg)) {
    mp.certificate = true;
    mp.cert_identity = tls::certificate_identity(cert);
    learn_certificate(cert);
  }
  // No check function: the negotiator stops at check_password and the pool checks.
  negotiator_.reset(new socks5::negotiator(mp, socks5::password_check()));
  record_.phase = session_phase::negotiation;
  arm_deadline(snap_->cfg.negotiation_timeout, "negotiation timeout");
  rx_.resize(512);
  read_negotiation();
}

void session::read_negotiation() {
  std::shared_ptr<session> self = shared_from_this();
  tls_->async_read_some(rx_.data(), rx_.size(), [self](const std::error_code& ec, std::size_t n) {
    self->on_negotiation_data(ec, n);
  });
}

void session::on_negotiation_data(const std::error_code& ec, std::size_t n) {
  if (finished_) return;
  if (ec) {
    finish(ec == asio::error::eof ? "client closed during negotiation"
                                  : "tls: " + tls_->engine().error_string());
    return;
  }
  neg_in_.insert(neg_in_.end(), rx_.begin(), rx_.begin() + n);
  neg_out_.clear();
  advance_negotiation();
}

// Feeds what has arrived; neg_out_ may already hold bytes to send before the new ones.
void session::advance_negotiation() {
  std::size_t used = 0;
  socks5::negotiator::state st =
      negotiator_->feed(neg_in_.data(), neg_in_.size(), used, neg_out_);
  neg_in_.erase(neg_in_.begin(), neg_in_.begin() + used);
  if (st == socks5::negotiator::state::failed) return negotiation_failed();
  if (neg_in_.size() > max_negotiation_bytes) {
    finish("negotiation too long");
    return;
  }
  std::shared_ptr<session> self = shared_from_this();
  tls_->async_write(neg_out_.data(), neg_out_.size(), [self, st](const std::error_code& wec) {
    if (self->finished_) return;
    if (wec) return self->finish("tls write: " + wec.message());
    if (st == socks5::negotiator::state::check_password) return self->check_password();
    if (st == socks5::negotiator::state::request_ready) return self->on_request();
    self->read_negotiation();
  });
}

// The verdict comes back on this session's loop; a session that ended meanwhile is gone
// (held weakly) and the verdict is dropped, but the throttle has counted the attempt.
void session::check_password() {
  std::weak_ptr<session> weak = shared_from_this();
  owner_.passwords().check(snap_, client_.address(), negotiator_->pending_credentials(), executor(),
                           [weak](const password_verdict& v) {
                             std::shared_ptr<session> self = weak.lock();
                             if (self) self->on_password_checked(v);
                           });
}

void session::on_password_checked(const password_verdict& v) {
  if (finished_) return;
  neg_out_.clear();
  if (negotiator_->password_checked(v.status, "", v.note, neg_out_) == socks5::negotiator::state::failed)
    return negotiation_failed();
  advance_negotiation();
}

// The negotiator's last reply (if any) goes out before the TLS close.
void session::negotiation_failed() {
  record_.reason = negotiator_->reason();
  if (!negotiator_->identity().empty()) record_.identity = negotiator_->identity();
  if (negotiator_->reply_sent() >= 0)
    record_.reply.record(static_cast<socks5::reply_code>(negotiator_->reply_sent()));
  std::shared_ptr<session> self = shared_from_this();
  tls_->async_write(neg_out_.data(), neg_out_.size(), [self](const std::error_code&) {
    self->tls_->async_shutdown([self](const std::error_code&) { self->finish(self->record_.reason); });
  });
}

void session::on_request() {
  if (!owner_.session_negotiated(this)) return;  // dropped as a startup: its stop is on the way
  const socks5::request& req = negotiator_->get_request();
  record_.identity = negotiator_->identity();
  record_.command = socks5::command_name(req.cmd);
  record_.request = req.dst.to_string();
  record_.phase = session_phase::policy;
  if (req.cmd == static_cast<std::uint8_t>(socks5::command::connect) && socks5::is_help(req.dst)) return send_help();
  // One deadline covers name resolution and connecting.
  arm_deadline(snap_->cfg.connect_timeout, "connect timeout");
  decider_.reset(new policy::decider(snap_->cfg.rules, owner_.local_addresses(), *resolver_));
  std::shared_ptr<session> self = shared_from_this();
  decider_->decide(req, facts(), [self](const policy::verdict& v) { self->on_verdict(v); });
}

// What the policy knows of this session, for the request and for each UDP datagram.
policy::session_facts session::facts() const {
  policy::session_facts f;
  f.arrival = arrival_.address();
  f.client = client_.address();
  f.password = negotiator_->authenticated_by() == socks5::negotiator::auth::password;
  f.certificate = negotiator_->authenticated_by() == socks5::negotiator::auth::certificate;
  if (f.password) {
    f.user = negotiator_->identity();
    if (snap_->passwords) f.groups = snap_->passwords->groups(f.user);
  }
  if (f.certificate) {
    f.cert_names = cert_names_;
    f.cert_global = cert_global_;
    f.cert_cas = cert_cas_;
  }
  return f;
}

void session::on_verdict(const policy::verdict& v) {
  if (finished_ || record_.reply.sent()) return;
  verdict_ = v;
  if (log::enabled(log::level::debug)) {
    const socks5::negotiator::auth a = negotiator_->authenticated_by();
    decision_facts f;
    f.client = record_.client;
    f.command = record_.command;
    f.request = record_.request;
    f.auth = a == socks5::negotiator::auth::password      ? "password"
             : a == socks5::negotiator::auth::certificate ? "certificate"
                                                          : "anonymous";
    f.arrival = arrival_.address();
    log::debug(policy_debug_line(f, snap_->cfg.rules, v));
  }
  if (!v.allowed) {
    // "denied" is for refusals (0x02); a name that does not resolve (0x04) is not one.
    record_.reason = (v.code == socks5::reply_code::not_allowed ? "denied: " : "") + v.reason;
    send_reply(v.code, no_address(), nullptr);
    return;
  }
  const socks5::command cmd = static_cast<socks5::command>(negotiator_->get_request().cmd);
  if (cmd == socks5::command::udp_associate) return start_udp();
  if (cmd == socks5::command::bind) return start_bind();
  record_.phase = session_phase::connect;
  target_index_ = 0;
  connect_next();
}

// The reply is always written before the session closes (DESIGN.md section 4). next runs
// after it was written; without next the session closes cleanly.
void session::send_reply(socks5::reply_code code, const socks5::address& bnd, std::function<void()> next) {
  record_.reply.record(code);
  neg_out_ = socks5::encode_reply(code, bnd);
  std::shared_ptr<session> self = shared_from_this();
  tls_->async_write(neg_out_.data(), neg_out_.size(), [self, next](const std::error_code& ec) {
    if (self->finished_) return;
    if (ec) return self->finish("tls write: " + ec.message());
    if (next) return next();
    self->tls_->async_shutdown([self](const std::error_code&) { self->finish(self->record_.reason); });
  });
}

void session::start_relay() {
  record_.phase = session_phase::relay;
  deadline_.cancel();
  std::shared_ptr<session> self = shared_from_this();
  std::shared_ptr<transport::tcp_stream> svc = std::make_shared<transport::tcp_stream>(std::move(service_));
  splice_ = std::make_shared<relay::splice>(tls_, svc, snap_->cfg.buffer_size,
                                            [self](const relay::splice_outcome& o) { self->finish(relay::describe(o)); });
  splice_->start(neg_in_);
  neg_in_.clear();
  check_idle();
}

// One timer per session re-armed only when it fires, rather than once per packet.
void session::check_idle() {
  // An association holds sockets of the shared reserve: it gets the shorter timeout.
  std::uint32_t idle_ms = udp_ ? snap_->cfg.udp_idle_timeout : snap_->cfg.idle_timeout;
  if (idle_ms == 0 || finished_) return;
  std::chrono::steady_clock::time_point last = splice_ ? splice_->last_activity() : udp_->last_activity();
  std::chrono::steady_clock::duration quiet = std::chrono::steady_clock::now() - last;
  std::chrono::milliseconds limit(idle_ms);
  if (quiet >= limit) {
    finish("idle timeout");
    return;
  }
  std::shared_ptr<session> self = shared_from_this();
  idle_.expires_after(limit - quiet);
  idle_.async_wait([self](const std::error_code& ec) {
    if (!ec) self->check_idle();
  });
}

void session::stop(const std::string& reason) { finish(reason); }

void session::finish(const std::string& reason) {
  if (finished_) return;
  finished_ = true;
  if (record_.reason.empty() || splice_ || udp_) record_.reason = reason;
  std::error_code ignored;
  deadline_.cancel();
  idle_.cancel();
  resolver_->cancel();
  if (ident_token_ != 0 && owner_.idents()) owner_.idents()->remove(ident_token_);
  ident_token_ = 0;
  bind_.close();
  if (splice_) splice_->stop();
  if (udp_) udp_->stop(reason);
  tls_->close();
  service_.close(ignored);
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  log::info(log_line(record_, traffic(), secs));
  owner_.session_closed(this);
}

session_traffic session::traffic() const {
  session_traffic t;
  if (udp_) {
    const udp_counters& c = udp_->counters();
    t.up = c.up_bytes;
    t.down = c.down_bytes;
    t.datagrams = true;
    t.up_datagrams = c.up_datagrams;
    t.down_datagrams = c.down_datagrams;
    t.denied = c.denied;
    t.dropped = c.dropped;
  } else if (splice_) {
    t.up = splice_->bytes_a_to_b();
    t.down = splice_->bytes_b_to_a();
  }
  return t;
}

std::string session::describe() const {
  return status_line(record_, static_cast<bool>(splice_), traffic());
}

session_status session::status() const {
  session_status out;
  out.client = record_.client;
  out.user = record_.identity;
  out.phase = phase_name(record_.phase);
  out.command = record_.command;
  out.destination = record_.connected != "-" ? record_.connected : record_.request;
  out.seconds = static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - started_).count());
  const session_traffic t = traffic();
  out.up = t.up;
  out.down = t.down;
  return out;
}

}  // namespace server
}  // namespace tlsmux
