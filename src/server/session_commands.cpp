// SPDX-License-Identifier: GPL-2.0-or-later
// session: what each command does after the policy allowed it: CONNECT, UDP ASSOCIATE, BIND.
#include "server/session.hpp"

#include "log/logger.hpp"
#include "log/rate_limit.hpp"
#include "policy/address_class.hpp"
#include "text/ip_text.hpp"
#include "identity/proxy_header.hpp"

#include <asio/write.hpp>
#include "tlsmux/platform/descriptors.hpp"
#include "tlsmux/platform/sockets.hpp"

namespace tlsmux {
namespace server {

namespace {

socks5::reply_code reply_for_connect_error(const std::error_code& ec) {
  if (ec == asio::error::connection_refused) return socks5::reply_code::connection_refused;
  if (ec == std::errc::address_not_available) return socks5::reply_code::not_allowed;
  if (ec == asio::error::network_unreachable) return socks5::reply_code::network_unreachable;
  if (ec == asio::error::host_unreachable) return socks5::reply_code::host_unreachable;
  if (ec == asio::error::timed_out) return socks5::reply_code::ttl_expired;
  return socks5::reply_code::general_failure;
}

}  // namespace

// A refused loopback request that same-address sent elsewhere: the admin reads why and the fix
// in the session line (the client says the same, client/refusal_hints.hpp).
std::string session::same_address_note() const {
  if (snap_->cfg.rules.expose != policy::expose_mode::same_address ||
      last_connect_error_ != asio::error::connection_refused || verdict_.svc)
    return std::string();
  const socks5::address& dst = negotiator_->get_request().dst;
  const asio::ip::address arrival = policy::canonical(arrival_.address());
  const bool default_loopback = arrival == asio::ip::address(asio::ip::address_v4::loopback()) ||
                                arrival == asio::ip::address(asio::ip::address_v6::loopback());
  const bool loopback = dst.type == socks5::atyp::domain ? (dst.name == "localhost" && !default_loopback)
                                                         : (dst.ip.is_loopback() && policy::canonical(dst.ip) != arrival);
  if (!loopback) return std::string();
  return "; same-address mode connected to " + text::ip_text(arrival) +
         " where the client reached the server, not loopback: for a service on loopback only add a "
         "[service] entry or set expose to local";
}

void session::connect_next() {
  if (target_index_ >= verdict_.targets.size()) {
    record_.reason = "connect: " + last_connect_error_.message() + same_address_note();
    send_reply(reply_for_connect_error(last_connect_error_), no_address(), nullptr);
    return;
  }
  const asio::ip::tcp::endpoint& target = verdict_.targets[target_index_++];
  record_.connected = text::endpoint_text(target);
  std::error_code ec;
  service_.close(ec);
  service_.open(target.protocol(), ec);
  if (!ec) platform::set_close_on_exec(service_.native_handle());
  // A catalog source address, the identity class's source, or else for the host's own
  // non-loopback addresses the target itself: the kernel then refuses (EADDRNOTAVAIL -> 0x02)
  // an address removed since the interface list was read, before any packet is sent.
  identity::source_choice source = identity::choose_source(snap_->cfg.sources, id_class(), target.address(),
                                                           verdict_.has_source, verdict_.source);
  if (!ec && source.bind) {
    platform::prepare_source_bind(service_.native_handle());
    service_.bind(asio::ip::tcp::endpoint(source.address, 0), ec);
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
  if (finished_ || record_.reply.sent()) return;
  if (ec) {
    last_connect_error_ = ec;
    connect_next();
    return;
  }
  std::error_code ignored;
  service_.set_option(asio::ip::tcp::no_delay(true), ignored);
  platform::set_keepalive(service_.native_handle(), (snap_->cfg.keepalive + 999) / 1000);
  asio::ip::tcp::endpoint used = service_.local_endpoint(ignored);
  if (owner_.idents() && ident_token_ == 0)
    ident_token_ = owner_.idents()->add(used, service_.remote_endpoint(ignored), record_.identity);
  std::shared_ptr<session> self = shared_from_this();
  send_proxy_header([self, used]() {
    self->send_reply(socks5::reply_code::succeeded, socks5::address::from_ip(used.address(), used.port()),
                     [self]() { self->start_relay(); });
  });
}

identity::id_class session::id_class() const {
  switch (negotiator_->authenticated_by()) {
    case socks5::negotiator::auth::password: return identity::id_class::password;
    case socks5::negotiator::auth::certificate: return identity::id_class::certificate;
    default: return identity::id_class::anonymous;
  }
}

// proxy-protocol: the header goes to the service before the reply, so it precedes every
// byte the client sends; the connect deadline still covers the write.
void session::send_proxy_header(std::function<void()> next) {
  identity::proxy_version v = verdict_.svc ? verdict_.svc->proxy : identity::proxy_version::none;
  if (v == identity::proxy_version::none) return next();
  std::error_code ignored;
  identity::proxy_facts f;
  f.source = client_;
  f.destination = service_.remote_endpoint(ignored);
  const socks5::request& req = negotiator_->get_request();
  f.authority = req.dst.type == socks5::atyp::domain ? req.dst.name : std::string();
  f.tls = true;
  f.client_cert = id_class() == identity::id_class::certificate;
  f.tls_version = tls_->engine().version();
  f.tls_cipher = tls_->engine().cipher();
  const std::string prefix = "cert:";
  if (f.client_cert && record_.identity.compare(0, prefix.size(), prefix) == 0)
    f.tls_cn = record_.identity.substr(prefix.size());
  proxy_out_ = identity::encode_proxy(v, f);
  std::shared_ptr<session> self = shared_from_this();
  asio::async_write(service_, asio::buffer(proxy_out_), [self, next](const std::error_code& ec, std::size_t) {
    if (self->finished_ || self->record_.reply.sent()) return;
    if (!ec) return next();
    self->record_.reason = "proxy-protocol header: " + ec.message();
    self->send_reply(socks5::reply_code::general_failure, no_address(), nullptr);
  });
}

// UDP ASSOCIATE: the success reply carries 0.0.0.0:0, because datagrams follow inside this
// TLS stream (docs/protocol.md); no UDP port is opened toward the network.
void session::start_udp() {
  record_.phase = session_phase::udp;
  deadline_.cancel();
  std::shared_ptr<session> self = shared_from_this();
  udp_ = std::make_shared<udp_association>(
      tls_, owner_, owner_.lookups(), client(), *decider_, facts(), snap_->cfg.rules.expose == policy::expose_mode::same_address,
      verdict_.targets, [self](const std::string& why) { self->finish(why); });
  udp_->set_sources(snap_->cfg.sources, id_class());
  if (!verdict_.targets.empty()) record_.connected = text::endpoint_text(verdict_.targets[0]);
  send_reply(socks5::reply_code::succeeded, no_address(), [self]() {
    self->udp_->start(self->neg_in_);
    self->neg_in_.clear();
    self->check_idle();
  });
}

// BIND (RFC 1928, two replies): listen on a local address only (under same-address the
// address the client arrived on), accept exactly one peer, and only a local one.
void session::start_bind() {
  record_.phase = session_phase::bind;
  asio::ip::address listen_on = verdict_.targets.empty() ? arrival_.address() : verdict_.targets[0].address();
  // Listen where this identity's connections come from (source-anonymous, ...): an FTP
  // server accepts a PORT only for the address of the control connection's peer.
  identity::source_choice src = identity::choose_source(snap_->cfg.sources, id_class(), policy::canonical(listen_on),
                                                        verdict_.has_source, verdict_.source);
  if (src.bind) listen_on = src.address;
  asio::ip::tcp::endpoint bound;
  std::string why;
  if (!bind_.open(policy::canonical(listen_on), bound, why)) {
    record_.reason = "bind: " + why;
    send_reply(socks5::reply_code::general_failure, no_address(), nullptr);
    return;
  }
  deadline_.cancel();  // the listener's own bind-timeout bounds the wait
  std::shared_ptr<session> self = shared_from_this();
  send_reply(socks5::reply_code::succeeded, socks5::address::from_ip(bound.address(), bound.port()), [self]() {
    self->bind_.accept(self->service_, self->snap_->cfg.bind_timeout,
                       [self](const std::error_code& ec) { self->on_bind_accept(ec); });
  });
}

void session::on_bind_accept(const std::error_code& ec) {
  if (finished_ || ec == asio::error::operation_aborted) return;
  if (ec == asio::error::timed_out) return bind_timed_out();
  std::error_code ignored;
  if (ec) {
    record_.reason = "bind: accept failed: " + ec.message();
    send_reply(socks5::reply_code::general_failure, no_address(), nullptr);
    return;
  }
  asio::ip::tcp::endpoint peer = service_.remote_endpoint(ignored);
  asio::ip::address from = policy::canonical(peer.address());
  record_.connected = text::endpoint_text(peer);
  std::string why;
  if (!decider_->address_allowed(from, peer.port(), why)) {
    log::limited_warning("bind peer refused", "bind: refused peer " + text::endpoint_text(peer) + " for client " + record_.client + ": " + why);
    service_.close(ignored);
    record_.reason = "denied: bind peer " + why;
    send_reply(socks5::reply_code::not_allowed, no_address(), nullptr);
    return;
  }
  service_.set_option(asio::ip::tcp::no_delay(true), ignored);
  platform::set_keepalive(service_.native_handle(), (snap_->cfg.keepalive + 999) / 1000);
  std::shared_ptr<session> self = shared_from_this();
  send_reply(socks5::reply_code::succeeded, socks5::address::from_ip(from, peer.port()),
             [self]() { self->start_relay(); });
}

void session::bind_timed_out() {
  bind_.close();
  record_.reason = "bind timeout";
  send_reply(socks5::reply_code::ttl_expired, no_address(), nullptr);
}

}  // namespace server
}  // namespace tlsmux
