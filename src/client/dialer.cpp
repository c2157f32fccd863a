// SPDX-License-Identifier: GPL-2.0-or-later
// dial: TCP -> TLS -> verification -> SOCKS5, as one asynchronous operation.
#include "client/dialer.hpp"
#include "tlsmux/platform/sockets.hpp"

#include "client/diagnosis.hpp"
#include "client/refusal_hints.hpp"
#include "log/logger.hpp"
#include "text/ip_text.hpp"
#include "text/log_fields.hpp"

#include <asio/connect.hpp>
#include <asio/error.hpp>
#include <chrono>
#include <cstdio>

namespace tlsmux {
namespace client {

namespace {

// Milliseconds since t, as "2.4 ms".
std::string ms_since(std::chrono::steady_clock::time_point t) {
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t).count();
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f ms", ms);
  return buf;
}

std::string addresses_text(const asio::ip::tcp::resolver::results_type& r) {
  std::string out;
  std::size_t n = 0;
  for (asio::ip::tcp::resolver::results_type::const_iterator i = r.begin(); i != r.end(); ++i, ++n)
    if (n < 4) out += (out.empty() ? "" : ", ") + text::ip_text(i->endpoint().address());
  if (n > 4) out += ", ...";
  return std::to_string(n) + (n == 1 ? " address (" : " addresses (") + out + ")";
}

class dial_op : public std::enable_shared_from_this<dial_op> {
 public:
  dial_op(asio::io_context& io, const dial_request& req, std::function<void(const dial_result&)> done)
      : req_(req), done_(done), resolver_(io), socket_(io), timer_(io), rx_(4096) {
    ctx_.host = req.host;
    ctx_.port = req.port;
    ctx_.server_name = req.server_name.empty() ? req.host : req.server_name;
    ctx_.ca_file = req.ca_file;
    ctx_.target = text::field_value(req.target.to_string());
    ctx_.user = req.user;
    ctx_.timeout_ms = req.timeout_ms;
  }

  void start() {
    std::shared_ptr<dial_op> self = shared_from_this();
    timer_.expires_after(std::chrono::milliseconds(req_.timeout_ms));
    timer_.async_wait([self](const std::error_code& ec) {
      if (!ec) self->fail(asio::error::timed_out, explain_timeout(self->ctx_, self->step_));
    });
    begin(dial_step::resolve);
    resolver_.async_resolve(req_.host, std::to_string(req_.port),
                            [self](const std::error_code& ec, asio::ip::tcp::resolver::results_type r) {
                              if (ec) return self->fail(ec, explain_resolve(self->ctx_, ec));
                              self->step_done(self->req_.host + ": " + addresses_text(r));
                              self->connect(r);
                            });
  }

 private:
  // -v: each step with its outcome and time (log level debug).
  void begin(dial_step s) {
    step_ = s;
    step_start_ = std::chrono::steady_clock::now();
  }
  void step_done(const std::string& outcome) {
    if (log::enabled(log::level::debug))
      log::debug(std::string(step_text(step_)) + " " + outcome + " in " + ms_since(step_start_));
  }
  std::string server() const {
    const bool v6 = req_.host.find(':') != std::string::npos;
    return (v6 ? "[" + req_.host + "]" : req_.host) + ":" + std::to_string(req_.port);
  }

  void connect(const asio::ip::tcp::resolver::results_type& r) {
    begin(dial_step::tcp_connect);
    std::shared_ptr<dial_op> self = shared_from_this();
    asio::async_connect(socket_, r, [self](const std::error_code& ec, const asio::ip::tcp::endpoint& ep) {
      if (ec) return self->fail(ec, explain_socket(self->ctx_, dial_step::tcp_connect, ec));
      std::error_code ignored;
      self->socket_.set_option(asio::ip::tcp::no_delay(true), ignored);
      // Keep-alive probes notice a vanished server on a quiet forward (ssh sessions idle for
      // hours) and keep NAT state on the way, as ssh's ServerAliveInterval (--keepalive).
      platform::set_keepalive(self->socket_.native_handle(), self->req_.keepalive_s);
      self->step_done("to " + text::endpoint_text(ep) + ": connected");
      self->handshake();
    });
  }

  void handshake() {
    begin(dial_step::tls_handshake);
    stream_ = std::make_shared<transport::tls_stream>(std::move(socket_), req_.tls);
    stream_->engine().set_server_name(ctx_.server_name, req_.check_name);
    if (req_.resume && req_.resume->session) stream_->engine().set_session(req_.resume->session);
    std::shared_ptr<dial_op> self = shared_from_this();
    stream_->async_handshake([self](const std::error_code& ec) {
      const tls::engine& e = self->stream_->engine();
      if (ec) return self->fail(ec, explain_tls(self->ctx_, e.error_code(), e.peer_alert(), ec));
      self->step_done("with " + self->server() + ": " + e.version() + " " + e.cipher() +
                      (e.group().empty() ? "" : " " + e.group()) + (e.resumed() ? ", resumed" : ", new session"));
      self->verify();
    });
  }

  void verify() {
    begin(dial_step::verification);
    const tls::engine& e = stream_->engine();
    std::string message;
    // A resumed session sends no certificate: it was verified when first established.
    if (e.resumed()) message = "skipped: the session was resumed";
    else if (req_.verify && !req_.verify(e.peer_certificate(), message))
      return fail(std::make_error_code(std::errc::permission_denied), message);
    if (message.empty())
      message = !req_.ca_file.empty() ? "chain signed by the CA in " + req_.ca_file +
                                            (req_.check_name ? ", name " + ctx_.server_name + " matches" : "")
                : req_.verify ? "accepted" : "not done (--insecure)";
    step_done("of " + server() + ": " + message);
    if (req_.verify_only) {  // the start-up check of forward and socks
      result_.stream = stream_;
      return finish();
    }
    negotiate();
  }

  void negotiate() {
    begin(dial_step::socks_method);
    std::vector<socks5::method> methods(1, socks5::method::no_auth);
    if (!req_.user.empty()) methods.push_back(socks5::method::user_pass);
    out_ = socks5::encode_greeting(methods);
    // Anonymous: pipeline the request (and the first bytes) behind the greeting, in the
    // flight of the TLS Finished: one round trip less.
    if (req_.user.empty() && !append_request()) {
      bad_request();
      return;
    }
    if (log::enabled(log::level::debug))
      log::debug(std::string("SOCKS greeting to ") + server() + ": offered " +
                 (req_.user.empty() ? "no authentication, request pipelined" : "no authentication, user/password"));
    phase_ = 0;
    send();
  }

  void send() {
    std::shared_ptr<dial_op> self = shared_from_this();
    stream_->async_write(out_.data(), out_.size(), [self](const std::error_code& ec) {
      if (ec) return self->fail(ec, explain_socket(self->ctx_, self->step_, ec));
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
        const tls::engine& e = self->stream_->engine();
        return self->fail(ec, explain_closed_in_socks(self->ctx_, e.error_code(), e.peer_alert()));
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
    char hex[8];
    std::snprintf(hex, sizeof hex, "0x%02x", static_cast<unsigned>(m));
    if (m == static_cast<std::uint8_t>(socks5::method::no_auth)) {
      step_done("with " + server() + ": method " + hex + " (no authentication)");
      begin(dial_step::socks_reply);
      phase_ = 2;
      if (!req_.user.empty()) {
        out_.clear();
        if (!append_request()) return bad_request();
        request_sent();
        send();
        return true;
      }
      request_sent();
      return parse();
    }
    if (m == static_cast<std::uint8_t>(socks5::method::user_pass) && !req_.user.empty()) {
      step_done("with " + server() + ": method " + hex + " (user/password)");
      begin(dial_step::socks_login);
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
    fail(std::make_error_code(std::errc::permission_denied), explain_no_method(ctx_));
    return true;
  }

  void request_sent() {
    if (log::enabled(log::level::debug))
      log::debug(std::string("SOCKS request to ") + server() + ": " + socks5::command_name(static_cast<std::uint8_t>(req_.cmd)) + " " + ctx_.target +
                 (result_.first_bytes_sent ? ", " + std::to_string(result_.first_bytes_sent) + " bytes of data behind it" : ""));
  }

  // Any status but 0x00 is a refusal (RFC 1929); tlsmux servers say in it how long a
  // lockout lasts (docs/protocol.md).
  bool on_auth(std::uint8_t status, std::size_t used) {
    in_.erase(in_.begin(), in_.begin() + used);
    if (status != 0x00) {
      result_.auth_refused = true;
      fail(std::make_error_code(std::errc::permission_denied), explain_login(ctx_, status));
      return true;
    }
    step_done("as " + text::field_value(req_.user) + ": accepted");
    begin(dial_step::socks_reply);
    phase_ = 2;
    out_.clear();
    if (!append_request()) return bad_request();
    request_sent();
    send();
    return true;
  }

  // The request, then for CONNECT the client's first bytes (req_.first_bytes): a server
  // that refuses drops them with the session, one that accepts relays them first.
  bool append_request() {
    if (!socks5::encode_request(out_, req_.cmd, req_.target)) return false;
    if (req_.cmd != socks5::command::connect || !req_.first_bytes) return true;
    std::vector<std::uint8_t> first = req_.first_bytes(max_first_bytes);
    if (first.size() > max_first_bytes) return false;  // the caller's bug: say so, lose nothing silently
    out_.insert(out_.end(), first.begin(), first.end());
    result_.first_bytes_sent = first.size();
    return true;
  }

  bool bad_request() {
    fail(std::make_error_code(std::errc::invalid_argument), "the SOCKS request cannot be encoded");
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
      const std::string hint = refusal_hint(f);
      fail(std::make_error_code(std::errc::connection_refused),
           hint.empty() ? explain_reply(ctx_, rep.code) : explain_reply(ctx_, rep.code, false) + hint);
      return true;
    }
    step_done("from " + server() + ": 0x00 (succeeded), bound " + text::field_value(rep.bnd.to_string()));
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
    // -v and --log-level debug keep the codes the sentence leaves out.
    if (log::enabled(log::level::debug)) {
      // generic: a code this dialer chose itself; the message says it all.
      std::string codes = ec.category() == std::generic_category() ? std::string()
                          : ec.message() + " (" + ec.category().name() + " " + std::to_string(ec.value()) + ")";
      if (stream_ && !stream_->engine().error_string().empty())
        codes += (codes.empty() ? "TLS " : ", TLS ") + stream_->engine().error_string();
      if (result_.socks_reply > 0) {
        char hex[8];
        std::snprintf(hex, sizeof hex, "0x%02x", static_cast<unsigned>(result_.socks_reply & 0xff));
        codes += (codes.empty() ? "SOCKS reply " : ", SOCKS reply ") + std::string(hex);
      }
      if (codes.empty()) codes = message;
      log::debug(std::string(step_text(step_)) + " with " + server() + " failed after " + ms_since(step_start_) + ": " + codes);
    }
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
  dial_context ctx_;
  dial_step step_ = dial_step::resolve;
  std::chrono::steady_clock::time_point step_start_;
  dial_result result_;
};

}  // namespace

void dial(asio::io_context& io, const dial_request& req, std::function<void(const dial_result&)> done) {
  std::make_shared<dial_op>(io, req, done)->start();
}

std::string describe_reply(int code, const std::string& target) {
  dial_context c;
  c.target = target;
  return explain_reply(c, code);
}

}  // namespace client
}  // namespace tlsmux
