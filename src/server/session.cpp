// SPDX-License-Identifier: GPL-2.0-or-later
// session: the server's per-connection state machine.
#include "server/session.hpp"

#include "log/logger.hpp"
#include "server/password_check.hpp"
#include "socks5/server_codec.hpp"
#include "tls/identity.hpp"
#include "tlsmux/platform/descriptors.hpp"
#include "tlsmux/platform/process.hpp"

#include <asio/ip/tcp.hpp>
#include <cstdio>
#include <sstream>

namespace tlsmux {
namespace server {

namespace {

const std::size_t max_negotiation_bytes = 1024;  // greeting + auth + request fit easily

socks5::reply_code reply_for_connect_error(const std::error_code& ec) {
  if (ec == asio::error::connection_refused) return socks5::reply_code::connection_refused;
  if (ec == std::errc::address_not_available) return socks5::reply_code::not_allowed;
  if (ec == asio::error::network_unreachable) return socks5::reply_code::network_unreachable;
  if (ec == asio::error::host_unreachable) return socks5::reply_code::host_unreachable;
  if (ec == asio::error::timed_out) return socks5::reply_code::ttl_expired;
  return socks5::reply_code::general_failure;
}

}  // namespace

std::string endpoint_text(const asio::ip::tcp::endpoint& ep) {
  return socks5::address::from_ip(ep.address(), ep.port()).to_string();
}

socks5::address no_address() { return socks5::address::from_ip(asio::ip::address_v4(), 0); }

// Resolves names with Asio's resolver (getaddrinfo on a helper thread), once per request.
class session::name_resolver : public policy::resolver,
                               public std::enable_shared_from_this<session::name_resolver> {
 public:
  explicit name_resolver(const asio::any_io_executor& ex) : resolver_(ex) {}
  void resolve(const std::string& name, handler done) override {
    std::shared_ptr<name_resolver> self = shared_from_this();
    resolver_.async_resolve(name, "0", asio::ip::tcp::resolver::numeric_service,
                            [self, done](const std::error_code& ec,
                                         asio::ip::tcp::resolver::results_type results) {
                              std::vector<asio::ip::address> out;
                              for (const auto& r : results) out.push_back(r.endpoint().address());
                              done(ec, out);
                            });
  }
  void cancel() { resolver_.cancel(); }

 private:
  asio::ip::tcp::resolver resolver_;
};

session::session(asio::ip::tcp::socket socket, std::shared_ptr<const runtime> rt,
                 session_owner& owner)
    : rt_(rt),
      owner_(owner),
      service_(socket.get_executor()),
      deadline_(socket.get_executor()),
      idle_(socket.get_executor()),
      bind_acceptor_(socket.get_executor()),
      started_(std::chrono::steady_clock::now()) {
  std::error_code ec;
  client_ = socket.remote_endpoint(ec);
  arrival_ = socket.local_endpoint(ec);
  socket.set_option(asio::ip::tcp::no_delay(true), ec);
  socket.set_option(asio::socket_base::keep_alive(true), ec);  // vanished clients free their slot
  tls_ = std::make_shared<relay::tls_stream>(std::move(socket), rt_->tls);
  resolver_ = std::make_shared<name_resolver>(service_.get_executor());
}

session::~session() {}

void session::start() {
  std::shared_ptr<session> self = shared_from_this();
  arm_deadline(rt_->cfg.handshake_timeout, "handshake timeout");
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
  if ((phase_ == "policy" || phase_ == "connect") && reply_ < 0) {
    std::error_code ignored;
    reason_ = what;
    resolver_->cancel();
    service_.close(ignored);
    send_reply(socks5::reply_code::ttl_expired, no_address(), nullptr);
    return;
  }
  if (phase_ == "bind") return bind_timed_out();
  finish(what);
}

void session::on_handshake(const std::error_code& ec) {
  if (finished_) return;
  if (ec) {
    const std::string& why = tls_->engine().error_string();
    finish(why.empty() ? "client closed the connection during the TLS handshake" : "tls: " + why);
    return;
  }
  tls_info_ = tls_->engine().version() + "/" + tls_->engine().cipher();
  socks5::method_policy mp;
  mp.anonymous = rt_->cfg.anonymous;
  mp.password = static_cast<bool>(rt_->passwords);
  std::vector<std::uint8_t> cert = tls_->engine().peer_certificate();
  if (!cert.empty() && !rt_->cfg.client_ca.empty()) {
    mp.certificate = true;
    mp.cert_identity = tls::certificate_identity(cert);
  }
  std::shared_ptr<const runtime> rt = rt_;
  auth::login_throttle* throttle = &owner_.login_throttle();
  const asio::ip::address client = client_.address();
  std::string* locked = &locked_out_;  // the negotiator holding this lambda dies with the session
  negotiator_.reset(new socks5::negotiator(
      mp, [rt, throttle, client, locked](const socks5::credentials& c, std::string&) {
        return check_password(*rt, *throttle, client, c, *locked);
      }));
  phase_ = "negotiation";
  arm_deadline(rt_->cfg.negotiation_timeout, "negotiation timeout");
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
  std::size_t used = 0;
  neg_out_.clear();
  socks5::negotiator::state st =
      negotiator_->feed(neg_in_.data(), neg_in_.size(), used, neg_out_);
  neg_in_.erase(neg_in_.begin(), neg_in_.begin() + used);
  std::shared_ptr<session> self = shared_from_this();
  if (st == socks5::negotiator::state::failed) {
    reason_ = negotiator_->reason() + locked_out_;
    if (!negotiator_->identity().empty()) identity_ = negotiator_->identity();
    reply_ = negotiator_->reply_sent();
    tls_->async_write(neg_out_.data(), neg_out_.size(), [self](const std::error_code&) {
      self->tls_->async_shutdown([self](const std::error_code&) { self->finish(self->reason_); });
    });
    return;
  }
  if (neg_in_.size() > max_negotiation_bytes) {
    finish("negotiation too long");
    return;
  }
  tls_->async_write(neg_out_.data(), neg_out_.size(), [self, st](const std::error_code& wec) {
    if (self->finished_) return;
    if (wec) return self->finish("tls write: " + wec.message());
    if (st == socks5::negotiator::state::request_ready) return self->on_request();
    self->read_negotiation();
  });
}

void session::on_request() {
  const socks5::request& req = negotiator_->get_request();
  identity_ = negotiator_->identity();
  command_ = socks5::command_name(req.cmd);
  request_ = req.dst.to_string();
  phase_ = "policy";
  // One deadline covers name resolution and connecting.
  arm_deadline(rt_->cfg.connect_timeout, "connect timeout");
  policy::session_facts facts;
  facts.arrival = arrival_.address();
  facts.password = negotiator_->authenticated_by() == socks5::negotiator::auth::password;
  facts.certificate = negotiator_->authenticated_by() == socks5::negotiator::auth::certificate;
  decider_.reset(new policy::decider(rt_->cfg.rules, owner_.local_addresses(), *resolver_));
  std::shared_ptr<session> self = shared_from_this();
  decider_->decide(req, facts, [self](const policy::verdict& v) { self->on_verdict(v); });
}

void session::on_verdict(const policy::verdict& v) {
  if (finished_ || reply_ >= 0) return;
  verdict_ = v;
  if (!v.allowed) {
    // "denied" is for refusals (0x02); a name that does not resolve (0x04) is not one.
    reason_ = (v.code == socks5::reply_code::not_allowed ? "denied: " : "") + v.reason;
    send_reply(v.code, no_address(), nullptr);
    return;
  }
  std::uint8_t cmd = negotiator_->get_request().cmd;
  if (cmd == static_cast<std::uint8_t>(socks5::command::udp_associate)) return start_udp();
  if (cmd == static_cast<std::uint8_t>(socks5::command::bind)) return start_bind();
  phase_ = "connect";
  target_index_ = 0;
  connect_next();
}

void session::connect_next() {
  if (target_index_ >= verdict_.targets.size()) {
    reason_ = "connect: " + last_connect_error_.message();
    send_reply(reply_for_connect_error(last_connect_error_), no_address(), nullptr);
    return;
  }
  const asio::ip::tcp::endpoint& target = verdict_.targets[target_index_++];
  connected_ = endpoint_text(target);
  std::error_code ec;
  service_.close(ec);
  service_.open(target.protocol(), ec);
  if (!ec) platform::set_close_on_exec(static_cast<long long>(service_.native_handle()));
  // A catalog source address, or else for the host's own non-loopback addresses the target
  // itself: the kernel then refuses (EADDRNOTAVAIL -> 0x02) an address removed since the
  // interface list was read, before any packet is sent.
  asio::ip::address source = verdict_.has_source ? verdict_.source : target.address();
  if (!ec && (verdict_.has_source || !target.address().is_loopback())) {
    platform::prepare_source_bind(static_cast<int>(service_.native_handle()));
    service_.bind(asio::ip::tcp::endpoint(source, 0), ec);
  }
  if (ec) {
    last_connect_error_ = ec;
    connect_next();
    return;
  }
  std::shared_ptr<session> self = shared_from_this();
  service_.async_connect(target, [self](const std::error_code& cec) { self->on_connect(cec); });
}

void session::on_connect(const std::error_code& ec) {
  if (finished_ || reply_ >= 0) return;
  if (ec) {
    last_connect_error_ = ec;
    connect_next();
    return;
  }
  std::error_code ignored;
  service_.set_option(asio::ip::tcp::no_delay(true), ignored);
  asio::ip::tcp::endpoint used = service_.local_endpoint(ignored);
  std::shared_ptr<session> self = shared_from_this();
  send_reply(socks5::reply_code::succeeded, socks5::address::from_ip(used.address(), used.port()),
             [self]() { self->start_relay(); });
}

// The reply is always written before the session closes (DESIGN.md section 4). next runs
// after it was written; without next the session closes cleanly.
void session::send_reply(socks5::reply_code code, const socks5::address& bnd, std::function<void()> next) {
  reply_ = static_cast<int>(code);
  neg_out_ = socks5::encode_reply(code, bnd);
  std::shared_ptr<session> self = shared_from_this();
  tls_->async_write(neg_out_.data(), neg_out_.size(), [self, next](const std::error_code& ec) {
    if (self->finished_) return;
    if (ec) return self->finish("tls write: " + ec.message());
    if (next) return next();
    self->tls_->async_shutdown([self](const std::error_code&) { self->finish(self->reason_); });
  });
}

void session::start_relay() {
  phase_ = "relay";
  deadline_.cancel();
  std::shared_ptr<session> self = shared_from_this();
  std::shared_ptr<relay::tcp_stream> svc = std::make_shared<relay::tcp_stream>(std::move(service_));
  splice_ = std::make_shared<relay::splice>(tls_, svc, rt_->cfg.buffer_size,
                                            [self](const std::string& r) { self->finish(r); });
  splice_->start(neg_in_);
  neg_in_.clear();
  check_idle();
}

// One timer per session re-armed only when it fires, rather than once per packet.
void session::check_idle() {
  std::uint32_t idle_ms = rt_->cfg.idle_timeout;
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
  if (reason_.empty() || splice_ || udp_) reason_ = reason;
  std::error_code ignored;
  deadline_.cancel();
  idle_.cancel();
  resolver_->cancel();
  close_bind_listener();
  if (splice_) splice_->stop(reason);
  if (udp_) udp_->stop(reason);
  tls_->close();
  service_.close(ignored);
  write_log_line();
  owner_.session_closed(this);
}

void session::write_log_line() {
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  char dur[32];
  std::snprintf(dur, sizeof dur, "%.3fs", secs);
  std::ostringstream line;
  line << "session client=" << endpoint_text(client_) << " tls=" << tls_info_
       << " id=" << identity_ << " cmd=" << command_ << " req=" << request_
       << " dst=" << connected_;
  if (reply_ >= 0) {
    char rep[16];
    std::snprintf(rep, sizeof rep, "0x%02x", static_cast<unsigned>(reply_ & 0xff));
    line << " rep=" << rep;
  }
  if (udp_) {
    const udp_counters& c = udp_->counters();
    line << " up=" << c.up_bytes << " down=" << c.down_bytes << " datagrams=" << c.up_datagrams
         << "/" << c.down_datagrams << " denied=" << c.denied << " dropped=" << c.dropped;
  } else {
    line << " up=" << (splice_ ? splice_->bytes_a_to_b() : 0)
         << " down=" << (splice_ ? splice_->bytes_b_to_a() : 0);
  }
  line << " dur=" << dur
       << " close=\"" << reason_ << "\"";
  log::info(line.str());
}

std::string session::describe() const {
  std::ostringstream out;
  out << "client=" << endpoint_text(client_) << " phase=" << phase_ << " id=" << identity_
      << " cmd=" << command_ << " req=" << request_ << " dst=" << connected_;
  if (splice_) out << " up=" << splice_->bytes_a_to_b() << " down=" << splice_->bytes_b_to_a();
  return out.str();
}

}  // namespace server
}  // namespace tlsmux
