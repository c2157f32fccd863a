// SPDX-License-Identifier: GPL-2.0-or-later
// local_proxy: -L forwards and the local SOCKS5 server of the client side.
#include "client/forwarder.hpp"
#include "tlsmux/platform/sockets.hpp"

#include "client/local_front.hpp"
#include "client/prefetch_stream.hpp"
#include "client/udp_relay.hpp"

#include "log/logger.hpp"
#include "text/ip_text.hpp"
#include "text/log_fields.hpp"
#include "log/rate_limit.hpp"
#include "relay/splice.hpp"
#include "socks5/negotiator.hpp"
#include "transport/tcp_stream.hpp"

#include <asio/steady_timer.hpp>
#include <algorithm>
#include <cstdio>

namespace tlsmux {
namespace client {

namespace {

// An application that connects to `socks -D` and has not sent a whole request (SOCKS5,
// SOCKS4/4a or HTTP proxy) within this long is disconnected, as the server's negotiation-timeout does: silent local connections
// must not hold descriptors for ever (issue 13, finding 9).
const std::chrono::seconds local_negotiation_timeout(10);

std::string format_seconds(double secs) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3fs", secs);
  return text;
}

// One accepted local connection: [local SOCKS5 negotiation] -> dial -> [reply] -> splice.
class local_session : public std::enable_shared_from_this<local_session> {
 public:
  local_session(asio::io_context& io, const dial_request& base, bool socks_mode,
                asio::ip::tcp::socket s, std::size_t buffer_size)
      : io_(io), req_(base), socks_mode_(socks_mode), buffer_size_(buffer_size), deadline_(io), rx_(512) {
    std::error_code ec;
    peer_ = s.remote_endpoint(ec);
    s.set_option(asio::ip::tcp::no_delay(true), ec);
    platform::set_keepalive(s.native_handle(), base.keepalive_s);  // a local program that vanished
    local_ = std::make_shared<transport::tcp_stream>(std::move(s));
    socks5::method_policy mp;
    negotiator_.reset(new socks5::negotiator(mp, socks5::password_check()));
  }

  void start(const socks5::address& service) {
    if (!socks_mode_) {
      req_.target = service;
      dial_now();
      return;
    }
    arm_deadline();
    read_local();
  }

 private:
  // The timer holds the session weakly: it never keeps a session alive, and it only closes the
  // socket. The pending read then completes with an error and drops the last reference from
  // its own handler's owner, never from inside the stream's code.
  void arm_deadline() {
    std::weak_ptr<local_session> weak = shared_from_this();
    deadline_.expires_after(local_negotiation_timeout);
    deadline_.async_wait([weak](const std::error_code& ec) {
      std::shared_ptr<local_session> self = weak.lock();
      if (ec || !self || !self->negotiating_) return;
      self->negotiating_ = false;
      self->local_->close();
    });
  }

  void read_local() {
    std::shared_ptr<local_session> self = shared_from_this();
    local_->read_some(rx_.data(), rx_.size(), [self](const std::error_code& ec, std::size_t n) {
      if (ec) return;  // the application went away before asking for anything
      self->in_.insert(self->in_.end(), self->rx_.begin(), self->rx_.begin() + n);
      self->on_local_data();
    });
  }

  void on_local_data() {
    if (!negotiator_started_ && !legacy_ && !in_.empty()) {
      local_protocol p = detect_protocol(in_[0]);
      if (p == local_protocol::unknown) return local_->close();  // nothing to answer in
      if (p != local_protocol::socks5) legacy_.reset(new legacy_front(p));
    }
    if (legacy_) return on_legacy_data();
    negotiator_started_ = true;
    std::size_t used = 0;
    out_.clear();
    socks5::negotiator::state st = negotiator_->feed(in_.data(), in_.size(), used, out_);
    in_.erase(in_.begin(), in_.begin() + used);
    std::shared_ptr<local_session> self = shared_from_this();
    if (st == socks5::negotiator::state::need_more) {
      if (out_.empty()) return read_local();
      return local_->write(out_.data(), out_.size(), [self](const std::error_code& ec) {
        if (!ec) self->read_local();
      });
    }
    negotiating_ = false;  // the request is complete, or the negotiation failed
    deadline_.cancel();
    if (st == socks5::negotiator::state::failed) {
      return local_->write(out_.data(), out_.size(), [self](const std::error_code&) { self->local_->close(); });
    }
    const socks5::request& r = negotiator_->get_request();
    if (r.cmd != static_cast<std::uint8_t>(socks5::command::connect) &&
        r.cmd != static_cast<std::uint8_t>(socks5::command::bind) &&
        r.cmd != static_cast<std::uint8_t>(socks5::command::udp_associate)) {
      return reply(socks5::reply_code::command_not_supported, socks5::address());
    }
    req_.cmd = static_cast<socks5::command>(r.cmd);
    req_.target = r.dst;
    // out_ may hold the method choice; it goes out before the reply.
    pending_out_ = out_;
    dial_now();
  }

  // SOCKS4/4a or an HTTP proxy request: carried as a SOCKS5 CONNECT (local_front.hpp).
  void on_legacy_data() {
    std::size_t used = 0;
    std::string why;
    out_.clear();
    socks5::parse_status st = legacy_->feed(in_.data(), in_.size(), used, out_, why);
    if (st == socks5::parse_status::need_more) return read_local();
    negotiating_ = false;  // the request is complete, or it was refused
    deadline_.cancel();
    std::shared_ptr<local_session> self = shared_from_this();
    if (st == socks5::parse_status::bad) {
      log::limited_warning("local request", "connection from " + text::endpoint_text(peer_) + ": " + why);
      return local_->write(out_.data(), out_.size(), [self](const std::error_code&) { self->local_->close(); });
    }
    in_.erase(in_.begin(), in_.begin() + used);
    const std::string& head = legacy_->to_service();
    in_.insert(in_.begin(), head.begin(), head.end());  // a forwarded HTTP request's head goes first
    req_.cmd = socks5::command::connect;
    req_.target = legacy_->target();
    if (!legacy_->user().empty()) req_.user = legacy_->user(), req_.password = legacy_->password();
    dial_now();
  }

  void legacy_answer(const dial_result& r) {
    std::shared_ptr<local_session> self = shared_from_this();
    bool ok = !r.ec;
    if (ok) {
      remote_ = r.stream;
      leftover_ = r.leftover;
      out_ = legacy_->granted(r.bound);
    } else {
      http_failure why = r.ec == asio::error::timed_out ? http_failure::timed_out
                         : r.auth_refused                ? http_failure::auth_needed
                                                         : http_failure::unreachable;
      out_ = legacy_->refused(r.socks_reply, why, r.message);
    }
    local_->write(out_.data(), out_.size(), [self, ok](const std::error_code& ec) {
      if (ok && !ec) return self->relay();
      self->local_->close();
      if (self->remote_) self->remote_->close();
    });
  }

  // The application's first bytes go behind the SOCKS request (dial_request::first_bytes):
  // with -L whatever it has sent by then (read during the dial), with -D what it sent
  // beyond its own request (a forwarded HTTP request's head).
  void dial_now() {
    std::shared_ptr<local_session> self = shared_from_this();
    if (!socks_mode_) {
      prefetch_ = std::make_shared<prefetch_stream>(io_, local_, max_first_bytes);
      prefetch_->start();
    }
    std::weak_ptr<local_session> weak = self;
    req_.first_bytes = [weak](std::size_t max) -> std::vector<std::uint8_t> {
      std::shared_ptr<local_session> s = weak.lock();
      if (!s) return std::vector<std::uint8_t>();
      if (s->prefetch_) return s->prefetch_->take(max);
      const std::size_t n = std::min(max, s->in_.size());
      std::vector<std::uint8_t> first(s->in_.begin(), s->in_.begin() + static_cast<std::ptrdiff_t>(n));
      s->in_.erase(s->in_.begin(), s->in_.begin() + static_cast<std::ptrdiff_t>(n));
      return first;
    };
    dial(io_, req_, [self](const dial_result& r) { self->on_dialed(r); });
  }

  void on_dialed(const dial_result& r) {
    if (r.ec) {
      // One cause per server reply code or error code: a finite set.
      std::string cause = r.socks_reply > 0 ? "dial reply " + std::to_string(r.socks_reply)
                                            : std::string("dial ") + r.ec.category().name() + " " + std::to_string(r.ec.value());
      log::limited_warning(cause, "connection from " + text::endpoint_text(peer_) + " to " +
                           text::field_value(req_.target.to_string()) + ": " + r.message);
      if (!socks_mode_) return local_->close();
      if (legacy_) return legacy_answer(r);
      // Pass the server's reply code back unchanged; a failure before any reply is 0x01.
      socks5::reply_code code = r.socks_reply > 0 ? static_cast<socks5::reply_code>(r.socks_reply)
                                                  : socks5::reply_code::general_failure;
      return reply(code, r.bound);
    }
    if (legacy_) return legacy_answer(r);
    remote_ = r.stream;
    leftover_ = r.leftover;
    if (!socks_mode_) return relay();
    if (req_.cmd == socks5::command::udp_associate) return start_udp();
    if (req_.cmd == socks5::command::bind) return bind_first_reply(r.bound);
    reply(socks5::reply_code::succeeded, r.bound);
  }

  // UDP ASSOCIATE: a relay socket next to the application's own connection (loopback).
  void start_udp() {
    std::error_code ec;
    asio::ip::udp::endpoint app(peer_.address(), req_.target.port);
    std::shared_ptr<local_session> keep = shared_from_this();  // released by on_done
    udp_ = std::make_shared<udp_relay>(local_, remote_, app, [keep](const std::string& why) { keep->on_done(why); });
    std::string error;
    if (!udp_->open(local_->socket().local_endpoint(ec).address(), error)) {
      log::limited_warning("udp relay", error);
      return reply(socks5::reply_code::general_failure, socks5::address());
    }
    asio::ip::udp::endpoint ep = udp_->endpoint();
    out_ = pending_out_;
    socks5::bytes rep = socks5::encode_reply(socks5::reply_code::succeeded, socks5::address::from_ip(ep.address(), ep.port()));
    out_.insert(out_.end(), rep.begin(), rep.end());
    std::shared_ptr<local_session> self = shared_from_this();
    started_ = std::chrono::steady_clock::now();
    local_->write(out_.data(), out_.size(), [self](const std::error_code& wec) {
      if (wec) return self->udp_->stop("application gone");
      self->udp_->start(self->leftover_);
    });
  }

  // BIND: pass the server's first reply on, wait for its second, pass that on, then relay.
  void bind_first_reply(const socks5::address& bnd) {
    out_ = pending_out_;
    socks5::bytes rep = socks5::encode_reply(socks5::reply_code::succeeded, bnd);
    out_.insert(out_.end(), rep.begin(), rep.end());
    std::shared_ptr<local_session> self = shared_from_this();
    local_->write(out_.data(), out_.size(), [self](const std::error_code& ec) {
      if (ec) return self->remote_->close();
      self->read_second_reply();
    });
  }

  void read_second_reply() {
    std::size_t used = 0;
    socks5::reply rep;
    socks5::parse_status st = socks5::parse_reply(leftover_.data(), leftover_.size(), used, rep);
    if (st == socks5::parse_status::ok) {
      leftover_.erase(leftover_.begin(), leftover_.begin() + used);
      pending_out_.clear();
      return reply(static_cast<socks5::reply_code>(rep.code), rep.bnd);
    }
    std::shared_ptr<local_session> self = shared_from_this();
    if (st == socks5::parse_status::bad) return reply(socks5::reply_code::general_failure, socks5::address());
    remote_->async_read_some(rx_.data(), rx_.size(), [self](const std::error_code& ec, std::size_t n) {
      if (ec) return self->reply(socks5::reply_code::general_failure, socks5::address());
      self->leftover_.insert(self->leftover_.end(), self->rx_.begin(), self->rx_.begin() + n);
      self->read_second_reply();
    });
  }

  void reply(socks5::reply_code code, const socks5::address& bnd) {
    out_ = pending_out_;
    socks5::bytes rep = socks5::encode_reply(code, bnd);
    out_.insert(out_.end(), rep.begin(), rep.end());
    std::shared_ptr<local_session> self = shared_from_this();
    local_->write(out_.data(), out_.size(), [self, code](const std::error_code& ec) {
      if (ec || code != socks5::reply_code::succeeded) {
        self->local_->close();
        if (self->remote_) self->remote_->close();
        return;
      }
      self->relay();
    });
  }

  void relay() {
    std::shared_ptr<local_session> self = shared_from_this();
    started_ = std::chrono::steady_clock::now();
    std::shared_ptr<relay::stream> local = local_;
    if (prefetch_) local = prefetch_;
    splice_ = std::make_shared<relay::splice>(local, remote_, buffer_size_,
                                              [self](const relay::splice_outcome& o) { self->on_done(relay::describe(o)); });
    splice_->start(in_, leftover_);
  }

  void on_done(const std::string& why) {
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
    // The application chose the destination: written as a log field (text/log_fields.hpp).
    text::field_line line(socks5::command_name(static_cast<std::uint8_t>(req_.cmd)));
    line.add("client", text::endpoint_text(peer_)).add("dst", req_.target.to_string());
    if (legacy_) line.add("proto", legacy_->name());
    if (udp_) {
      line.add("datagrams", std::to_string(udp_->datagrams_up()) + "/" + std::to_string(udp_->datagrams_down()));
      line.add("dropped", std::to_string(udp_->dropped()));
    } else {
      line.add("up", std::to_string(splice_->bytes_a_to_b()));
      line.add("down", std::to_string(splice_->bytes_b_to_a()));
    }
    log::info(line.add("dur", format_seconds(secs)).add_quoted("close", why).str());
    if (udp_) udp_.reset();  // breaks the relay's reference back to this session
  }

  asio::io_context& io_;
  dial_request req_;
  bool socks_mode_;
  std::size_t buffer_size_;
  asio::steady_timer deadline_;  ///< the local SOCKS negotiation's (socks -D only)
  bool negotiating_ = true;
  asio::ip::tcp::endpoint peer_;
  std::shared_ptr<transport::tcp_stream> local_;
  std::shared_ptr<prefetch_stream> prefetch_;  ///< -L: local_ read ahead during the dial
  std::shared_ptr<transport::tls_stream> remote_;
  std::unique_ptr<socks5::negotiator> negotiator_;
  bool negotiator_started_ = false;
  std::unique_ptr<legacy_front> legacy_;
  std::vector<std::uint8_t> rx_, in_, out_, pending_out_, leftover_;
  std::shared_ptr<relay::splice> splice_;
  std::shared_ptr<udp_relay> udp_;
  std::chrono::steady_clock::time_point started_;
};

}  // namespace

local_proxy::local_proxy(asio::io_context& io, const dial_request& base, bool socks_mode,
                         const socks5::address& service, std::size_t buffer_size)
    : io_(io),
      base_(base),
      socks_mode_(socks_mode),
      service_(service),
      buffer_size_(buffer_size),
      acceptor_(io),
      backoff_(io.get_executor()) {}

bool local_proxy::open(const std::string& bind, std::uint16_t port, std::string& error) {
  std::error_code ec;
  asio::ip::address a;
  if (!text::parse_ip(bind == "localhost" ? "127.0.0.1" : bind, a)) ec = asio::error::invalid_argument;
  asio::ip::tcp::endpoint ep(a, port);
  if (!ec) acceptor_.open(ep.protocol(), ec);
  if (!ec) acceptor_.set_option(asio::ip::tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor_.bind(ep, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) error = "cannot listen on " + bind + ":" + std::to_string(port) + ": " + ec.message();
  else if (!a.is_loopback())
    log::warning("listening on " + bind + ", not loopback: other hosts can use this tunnel");  // once: at start
  return !ec;
}

void local_proxy::start() { accept(); }

// Out of descriptors, the loop pauses as the server's listeners do (transport/accept_backoff):
// retrying at once spun at 90-99 % CPU, the connection staying in the backlog (issue 13, 9).
// The handlers hold `this`: the proxy outlives io.run(), after which they are only destroyed.
void local_proxy::accept() {
  acceptor_.async_accept([this](const std::error_code& ec, asio::ip::tcp::socket s) {
    if (ec == asio::error::operation_aborted) return;
    if (backoff_.pause(ec, "local listener", [this]() { accept(); })) return;
    if (!ec) {
      backoff_.accepted();
      std::make_shared<local_session>(io_, base_, socks_mode_, std::move(s), buffer_size_)->start(service_);
    }
    accept();
  });
}

}  // namespace client
}  // namespace tlsmux
