// SPDX-License-Identifier: GPL-2.0-or-later
// session: the BIND and UDP ASSOCIATE commands (CONNECT is in session.cpp).
#include "server/session.hpp"

#include "log/logger.hpp"
#include "policy/address_class.hpp"
#include "tlsmux/platform/descriptors.hpp"

namespace tlsmux {
namespace server {

// UDP ASSOCIATE: the success reply carries 0.0.0.0:0, because datagrams follow inside this
// TLS stream (docs/protocol.md); no UDP port is opened toward the network.
void session::start_udp() {
  phase_ = "udp";
  deadline_.cancel();
  policy::session_facts facts;
  facts.arrival = arrival_.address();
  facts.password = negotiator_->authenticated_by() == socks5::negotiator::auth::password;
  facts.certificate = negotiator_->authenticated_by() == socks5::negotiator::auth::certificate;
  std::shared_ptr<session> self = shared_from_this();
  udp_ = std::make_shared<udp_association>(
      tls_, owner_, client(), *decider_, facts, rt_->cfg.rules.expose == policy::expose_mode::same_address,
      verdict_.targets, [self](const std::string& why) { self->finish(why); });
  if (!verdict_.targets.empty()) connected_ = endpoint_text(verdict_.targets[0]);
  send_reply(socks5::reply_code::succeeded, no_address(), [self]() {
    self->udp_->start(self->neg_in_);
    self->neg_in_.clear();
    self->check_idle();
  });
}

// BIND (RFC 1928, two replies): listen on a local address only (under same-address the
// address the client arrived on), accept exactly one peer, and only a local one.
void session::start_bind() {
  phase_ = "bind";
  asio::ip::address listen_on = verdict_.targets.empty() ? arrival_.address() : verdict_.targets[0].address();
  asio::ip::tcp::endpoint ep(policy::canonical(listen_on), 0);
  std::error_code ec;
  if (!owner_.acquire_extra_socket(client())) {
    reason_ = "bind: socket budget exhausted";
    send_reply(socks5::reply_code::general_failure, no_address(), nullptr);
    return;
  }
  bind_budget_ = true;
  bind_acceptor_.open(ep.protocol(), ec);
  if (!ec) platform::set_close_on_exec(static_cast<long long>(bind_acceptor_.native_handle()));
  if (!ec) bind_acceptor_.bind(ep, ec);
  if (!ec) bind_acceptor_.listen(1, ec);
  if (!ec) ep = bind_acceptor_.local_endpoint(ec);
  if (ec) {
    reason_ = "bind: cannot listen on " + socks5::ip_text(ep.address()) + ": " + ec.message();
    send_reply(socks5::reply_code::general_failure, no_address(), nullptr);
    return;
  }
  arm_deadline(rt_->cfg.bind_timeout, "bind timeout");
  std::shared_ptr<session> self = shared_from_this();
  send_reply(socks5::reply_code::succeeded, socks5::address::from_ip(ep.address(), ep.port()), [self]() {
    self->bind_acceptor_.async_accept(self->service_, [self](const std::error_code& aec) {
      self->on_bind_accept(aec);
    });
  });
}

void session::on_bind_accept(const std::error_code& ec) {
  if (finished_ || ec == asio::error::operation_aborted) return;  // timed out: 0x06 is on its way
  std::error_code ignored;
  close_bind_listener();
  deadline_.cancel();
  if (ec) {
    reason_ = "bind: accept failed: " + ec.message();
    send_reply(socks5::reply_code::general_failure, no_address(), nullptr);
    return;
  }
  platform::set_close_on_exec(static_cast<long long>(service_.native_handle()));
  asio::ip::tcp::endpoint peer = service_.remote_endpoint(ignored);
  asio::ip::address from = policy::canonical(peer.address());
  connected_ = endpoint_text(peer);
  std::string why;
  if (!decider_->address_allowed(from, peer.port(), why)) {
    log::warning("bind: refused peer " + endpoint_text(peer) + " for client " + endpoint_text(client_) + ": " + why);
    service_.close(ignored);
    reason_ = "denied: bind peer " + why;
    send_reply(socks5::reply_code::not_allowed, no_address(), nullptr);
    return;
  }
  service_.set_option(asio::ip::tcp::no_delay(true), ignored);
  std::shared_ptr<session> self = shared_from_this();
  send_reply(socks5::reply_code::succeeded, socks5::address::from_ip(from, peer.port()),
             [self]() { self->start_relay(); });
}

void session::close_bind_listener() {
  std::error_code ignored;
  bind_acceptor_.close(ignored);
  if (bind_budget_) owner_.release_extra_socket(client());
  bind_budget_ = false;
}

void session::bind_timed_out() {
  close_bind_listener();
  reason_ = "bind timeout";
  send_reply(socks5::reply_code::ttl_expired, no_address(), nullptr);
}

}  // namespace server
}  // namespace tlsmux
