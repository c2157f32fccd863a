// SPDX-License-Identifier: GPL-2.0-or-later
// dial: TCP -> TLS -> verification -> SOCKS5, as one asynchronous operation.
#include "client/dialer.hpp"
#include "tlsmux/platform/sockets.hpp"

#include "client/refusal_hints.hpp"
#include "log/logger.hpp"
#include "text/log_fields.hpp"
#include "tls/alert.hpp"

#include <asio/connect.hpp>
#include <asio/error.hpp>
#include <cstdio>
#include <cstdlib>

namespace tlsmux {
namespace client {

namespace {

class dial_op : public std::enable_shared_from_this<dial_op> {
 public:
  dial_op(asio::io_context& io, const dial_request& req, std::function<void(const dial_result&)> done)
      : req_(req), done_(done), resolver_(io), socket_(io), timer_(io), rx_(4096) {}

  void start() {
    std::shared_ptr<dial_op> self = shared_from_this();
    timer_.expires_after(std::chrono::milliseconds(req_.timeout_ms));
    timer_.async_wait([self](const std::error_code& ec) {
      if (!ec)
        self->fail(asio::error::timed_out, "timed out after " + std::to_string(self->req_.timeout_ms / 1000) +
                                               "s " + self->step_ + " " + self->req_.host + ":" +
                                               std::to_string(self->req_.port) + " (--timeout)");
    });
    resolver_.async_resolve(req_.host, std::to_string(req_.port),
                            [self](const std::error_code& ec, asio::ip::tcp::resolver::results_type r) {
                              if (ec) return self->fail(ec, "cannot resolve " + self->req_.host + ": " + ec.message());
                              self->connect(r);
                            });
  }

 private:
  void connect(const asio::ip::tcp::resolver::results_type& r) {
    step_ = "connecting to";
    std::shared_ptr<dial_op> self = shared_from_this();
    asio::async_connect(socket_, r, [self](const std::error_code& ec, const asio::ip::tcp::endpoint&) {
      if (ec) return self->fail(ec, "cannot connect to " + self->req_.host + ":" + std::to_string(self->req_.port) + ": " + ec.message());
      std::error_code ignored;
      self->socket_.set_option(asio::ip::tcp::no_delay(true), ignored);
      // Keep-alive probes notice a vanished server on a quiet forward (ssh sessions idle for
      // hours) and keep NAT state on the way, as ssh's ServerAliveInterval (--keepalive).
      platform::set_keepalive(self->socket_.native_handle(), self->req_.keepalive_s);
      self->handshake();
    });
  }

  void handshake() {
    step_ = "in the TLS handshake with";
    stream_ = std::make_shared<transport::tls_stream>(std::move(socket_), req_.tls);
    stream_->engine().set_server_name(req_.server_name.empty() ? req_.host : req_.server_name, req_.check_name);
    if (req_.resume && req_.resume->session) stream_->engine().set_session(req_.resume->session);
    std::shared_ptr<dial_op> self = shared_from_this();
    stream_->async_handshake([self](const std::error_code& ec) {
      if (ec) return self->fail(ec, self->handshake_failure(ec));
      std::string message;
      // A resumed session sends no certificate: it was verified when first established.
      if (self->req_.verify && !self->stream_->engine().resumed() &&
          !self->req_.verify(self->stream_->engine().peer_certificate(), message))
        return self->fail(std::make_error_code(std::errc::permission_denied), message);
      if (self->req_.verify_only) {
        self->result_.stream = self->stream_;
        return self->finish();
      }
      self->negotiate();
    });
  }

  // "server busy" (the server's refusal alert, docs/protocol.md) is not "network broken".
  std::string step_ = "resolving";

  std::string handshake_failure(const std::error_code& ec) const {
    const tls::engine& e = stream_->engine();
    const std::string server = req_.host + ":" + std::to_string(req_.port);
    if (e.peer_alert() == tls::alert_user_canceled)
      return "server " + server + " is busy: it refused the connection at its session limits; "
             "try again later (TLS alert " + e.error_string() + ")";
    std::string why = e.error_string();
    // The library's code stays in the debug log; the admin reads what to do.
    if (!why.empty()) log::debug("TLS handshake with " + server + ": " + why);
    int code = std::atoi(why.c_str());
    if (code == -341 || code == -311)
      return "TLS handshake with " + server + " failed: not a TLS server (is " +
             std::to_string(req_.port) + " a TLSMUX port?)";
    if (code == -188)
      return "TLS handshake with " + server + " failed: its certificate is not signed by the CA "
             "in --ca FILE";
    if (why.empty())
      why = "the connection closed before the handshake ended (" + ec.message() +
            "): a network problem, or " + server + " is not a TLSMUX server";
    return "TLS handshake with " + req_.host + " failed: " + why;
  }

  void negotiate() {
    step_ = "in the SOCKS negotiation with";
    std::vector<socks5::method> methods(1, socks5::method::no_auth);
    if (!req_.user.empty()) methods.push_back(socks5::method::user_pass);
    out_ = socks5::encode_greeting(methods);
    // Anonymous: pipeline the request behind the greeting (one round trip less).
    if (req_.user.empty() && !socks5::encode_request(out_, req_.cmd, req_.target))
      return fail(std::make_error_code(std::errc::invalid_argument), "target cannot be encoded");
    phase_ = 0;
    send();
  }

  void send() {
    std::shared_ptr<dial_op> self = shared_from_this();
    stream_->async_write(out_.data(), out_.size(), [self](const std::error_code& ec) {
      if (ec) return self->fail(ec, "lost the connection during negotiation: " + ec.message());
      self->read();
    });
  }

  void read() {
    if (parse()) return;
    std::shared_ptr<dial_op> self = shared_from_this();
    stream_->async_read_some(rx_.data(), rx_.size(), [self](const std::error_code& ec, std::size_t n) {
      if (ec) {
        // TLS 1.3 finishes the client's handshake before the server has judged a client
        // certificate; a refusal then arrives here as an alert.
        std::string tls_error = self->stream_->engine().error_string();
        std::string hint = tls_error.empty() || !self->req_.tls ? std::string()
                           : "; if the server requires a client certificate, give --cert and --key";
        return self->fail(ec, "the server closed the connection during negotiation" +
                                  (tls_error.empty() ? std::string() : " (" + tls_error + ")") + hint);
      }
      self->in_.insert(self->in_.end(), self->rx_.begin(), self->rx_.begin() + n);
      self->read();
    });
  }

  // Parses what arrived; returns true when the operation moved on or ended.
  bool parse() {
    std::size_t used = 0;
    socks5::parse_status st = socks5::parse_status::need_more;
    if (phase_ == 0) {
      std::uint8_t m = 0;
      st = socks5::parse_method_choice(in_.data(), in_.size(), used, m);
      if (st == socks5::parse_status::ok) return on_method(m, used);
    } else if (phase_ == 1) {
      std::uint8_t status = 0x01;
      st = socks5::parse_userpass_status(in_.data(), in_.size(), used, status);
      if (st == socks5::parse_status::ok) return on_auth(status, used);
    } else {
      socks5::reply rep;
      st = socks5::parse_reply(in_.data(), in_.size(), used, rep);
      if (st == socks5::parse_status::ok) return on_reply(rep, used);
    }
    if (st == socks5::parse_status::bad || in_.size() > 1024) {
      fail(std::make_error_code(std::errc::protocol_error), "the server sent a malformed SOCKS5 message");
      return true;
    }
    return false;
  }

  bool on_method(std::uint8_t m, std::size_t used) {
    in_.erase(in_.begin(), in_.begin() + used);
    if (m == static_cast<std::uint8_t>(socks5::method::no_auth)) {
      phase_ = 2;
      if (!req_.user.empty()) {
        out_.clear();
        socks5::encode_request(out_, req_.cmd, req_.target);
        send();
        return true;
      }
      return parse();
    }
    if (m == static_cast<std::uint8_t>(socks5::method::user_pass) && !req_.user.empty()) {
      phase_ = 1;
      out_.clear();
      if (!socks5::encode_userpass(out_, req_.user, req_.password)) {
        fail(std::make_error_code(std::errc::invalid_argument), "user name or password longer than 255 bytes");
        return true;
      }
      send();
      return true;
    }
    result_.auth_refused = true;
    fail(std::make_error_code(std::errc::permission_denied),
         req_.user.empty() ? "the server requires authentication (no acceptable method)"
                           : "the server accepts none of the offered authentication methods");
    return true;
  }

  // Any status but 0x00 is a refusal (RFC 1929); tlsmux servers say in it how long a
  // lockout lasts (docs/protocol.md).
  bool on_auth(std::uint8_t status, std::size_t used) {
    in_.erase(in_.begin(), in_.begin() + used);
    if (status != 0x00) {
      result_.auth_refused = true;
      const std::uint32_t locked = socks5::lockout_seconds(status);
      fail(std::make_error_code(std::errc::permission_denied),
           locked == 0 ? "the server rejected user '" + req_.user + "' or its password"
                       : "the server refused user '" + req_.user + "' unchecked: locked out for " +
                             std::to_string(locked) + " s after too many failed logins");
      return true;
    }
    phase_ = 2;
    out_.clear();
    socks5::encode_request(out_, req_.cmd, req_.target);
    send();
    return true;
  }

  bool on_reply(const socks5::reply& rep, std::size_t used) {
    result_.socks_reply = rep.code;
    result_.bound = rep.bnd;
    if (rep.code != 0) {
      refusal_facts f;
      f.reply = rep.code;
      f.target = req_.target;
      f.server_host = req_.host;
      f.anonymous = req_.user.empty() && !req_.client_cert;
      fail(std::make_error_code(std::errc::connection_refused),
           describe_reply(rep.code, text::field_value(req_.target.to_string())) + refusal_hint(f));
      return true;
    }
    result_.leftover.assign(in_.begin() + used, in_.end());
    if (req_.resume) {  // read past the handshake: a TLS 1.3 ticket has been processed
      std::shared_ptr<WOLFSSL_SESSION> s = stream_->engine().session();
      if (s) req_.resume->session = s;
    }
    result_.stream = stream_;
    finish();
    return true;
  }

  void fail(const std::error_code& ec, const std::string& message) {
    if (finished_) return;
    result_.ec = ec;
    result_.message = message;
    if (stream_) stream_->close();
    std::error_code ignored;
    socket_.close(ignored);
    finish();
  }

  void finish() {
    if (finished_) return;
    finished_ = true;
    timer_.cancel();
    resolver_.cancel();
    done_(result_);
  }

  dial_request req_;
  std::function<void(const dial_result&)> done_;
  asio::ip::tcp::resolver resolver_;
  asio::ip::tcp::socket socket_;
  asio::steady_timer timer_;
  std::shared_ptr<transport::tls_stream> stream_;
  std::vector<std::uint8_t> rx_, in_, out_;
  int phase_ = 0;
  bool finished_ = false;
  dial_result result_;
};

}  // namespace

void dial(asio::io_context& io, const dial_request& req, std::function<void(const dial_result&)> done) {
  std::make_shared<dial_op>(io, req, done)->start();
}

std::string describe_reply(int code, const std::string& target) {
  char hex[16];
  std::snprintf(hex, sizeof hex, "0x%02x", static_cast<unsigned>(code & 0xff));
  std::string what;
  switch (code) {
    case 0x01: what = "general failure reaching " + target; break;
    case 0x02: what = target + " is not exposed (not allowed by ruleset)"; break;
    case 0x03: what = "network unreachable for " + target; break;
    case 0x04: what = "host unreachable: " + target; break;
    case 0x05: what = "connection refused by " + target + " (nothing listens there)"; break;
    case 0x06: what = "timed out connecting to " + target; break;
    case 0x07: what = "command not supported"; break;
    case 0x08: what = "address type not supported"; break;
    default: what = "unknown reply"; break;
  }
  return "the server refused: " + what + " (SOCKS reply " + hex + ")";
}

}  // namespace client
}  // namespace tlsmux
