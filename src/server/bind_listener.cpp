// SPDX-License-Identifier: GPL-2.0-or-later
// bind_listener: one budgeted listener for BIND's single peer.
#include "server/bind_listener.hpp"

#include "text/ip_text.hpp"
#include "tlsmux/platform/descriptors.hpp"

namespace tlsmux {
namespace server {

bind_listener::bind_listener(const asio::any_io_executor& ex, socket_budget& budget, const client_key& who)
    : acceptor_(ex), timer_(ex), budget_(budget), who_(who) {}

bind_listener::~bind_listener() { close(); }

bool bind_listener::open(const asio::ip::address& address, asio::ip::tcp::endpoint& bound, std::string& why) {
  asio::ip::tcp::endpoint ep(address, 0);
  if (!budget_.acquire_extra_socket(who_)) {
    why = "socket budget exhausted";
    return false;
  }
  budgeted_ = true;
  std::error_code ec;
  acceptor_.open(ep.protocol(), ec);
  if (!ec) platform::set_close_on_exec(acceptor_.native_handle());
  if (!ec) acceptor_.bind(ep, ec);
  if (!ec) acceptor_.listen(1, ec);
  if (!ec) ep = acceptor_.local_endpoint(ec);
  if (ec) {
    why = "cannot listen on " + text::ip_text(ep.address()) + ": " + ec.message();
    return false;
  }
  bound = ep;
  return true;
}

void bind_listener::accept(asio::ip::tcp::socket& peer, std::uint32_t timeout_ms, accept_handler done) {
  asio::ip::tcp::socket* into = &peer;
  if (timeout_ms > 0) {
    timer_.expires_after(std::chrono::milliseconds(timeout_ms));
    timer_.async_wait([this](const std::error_code& tec) {
      if (tec) return;  // cancelled: accepted, closed, or the listener is gone
      timed_out_ = true;
      close();
    });
  }
  acceptor_.async_accept(peer, [this, into, done](const std::error_code& ec) {
    if (ec == asio::error::operation_aborted) return done(timed_out_ ? std::error_code(asio::error::timed_out) : ec);
    close();
    if (!ec) platform::set_close_on_exec(into->native_handle());
    done(ec);
  });
}

void bind_listener::close() {
  std::error_code ignored;
  timer_.cancel();
  acceptor_.close(ignored);
  if (budgeted_) budget_.release_extra_socket(who_);
  budgeted_ = false;
}

}  // namespace server
}  // namespace tlsmux
