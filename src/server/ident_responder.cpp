// SPDX-License-Identifier: GPL-2.0-or-later
// ident_responder: accept, read one query line under a deadline, answer from the registry.
#include "server/ident_responder.hpp"

#include "identity/ident_query.hpp"
#include "log/logger.hpp"
#include "server/listener.hpp"
#include "socks5/protocol.hpp"
#include "text/ip_text.hpp"
#include "tlsmux/platform/descriptors.hpp"

#include <asio/ip/v6_only.hpp>
#include <asio/steady_timer.hpp>
#include <asio/write.hpp>

namespace tlsmux {
namespace server {

namespace {

std::string endpoint_name(const asio::ip::tcp::endpoint& ep) {
  return socks5::address::from_ip(ep.address(), ep.port()).to_string();
}

std::string bind_failure(const asio::ip::tcp::endpoint& ep, const std::error_code& ec) {
  std::string what = "ident-listen " + endpoint_name(ep) + ": " + ec.message();
  if (ec == asio::error::address_in_use)
    return what + " (another ident server is running there?); the responder is not started: "
                  "stop that one, set ident = no, or choose another ident-listen";
  if (ec == asio::error::access_denied)
    return what + " (ports below 1024 need privileges: start tlsmux as root, it binds before "
                  "dropping them, or choose a port above 1023)";
  return what;
}

}  // namespace

// One query connection: read until a line, answer, close. Holds itself alive through its
// handlers; the shared counter frees its slot when it goes.
class ident_responder::connection : public std::enable_shared_from_this<connection> {
 public:
  connection(asio::ip::tcp::socket s, const identity::ident_registry& reg,
             const std::shared_ptr<std::size_t>& active)
      : socket_(std::move(s)), timer_(socket_.get_executor()), registry_(reg), active_(active) {
    ++*active_;
  }
  ~connection() { --*active_; }

  void start() {
    std::shared_ptr<connection> self = shared_from_this();
    timer_.expires_after(std::chrono::milliseconds(ident_read_timeout_ms));
    timer_.async_wait([self](const std::error_code& ec) {
      if (!ec) self->close();
    });
    read();
  }

 private:
  void read() {
    std::shared_ptr<connection> self = shared_from_this();
    socket_.async_read_some(asio::buffer(buf_), [self](const std::error_code& ec, std::size_t n) {
      if (ec) return self->close();
      self->on_data(n);
    });
  }

  void on_data(std::size_t n) {
    std::size_t used = 0;
    identity::ident_query_parser::status st = parser_.feed(buf_, n, used);
    typedef identity::ident_query_parser::status status;
    if (st == status::need_more) return read();
    if (st == status::bad) return close();
    const std::string& s = parser_.server_text();
    const std::string& c = parser_.client_text();
    if (st == status::invalid_port) return reply(identity::ident_error_reply(s, c, "INVALID-PORT"));
    std::error_code ec;
    asio::ip::tcp::endpoint local = socket_.local_endpoint(ec), peer = socket_.remote_endpoint(ec);
    std::string who;
    bool found = !ec && registry_.find(local.address(), parser_.port_on_server(), peer.address(),
                                       parser_.port_on_client(), who);
    log::debug("ident: query " + s + "," + c + " from " + text::ip_text(peer.address()) + ": " +
               (found ? who : "NO-USER"));
    reply(found ? identity::ident_userid_reply(s, c, who) : identity::ident_error_reply(s, c, "NO-USER"));
  }

  void reply(const std::string& line) {
    out_ = line;
    std::shared_ptr<connection> self = shared_from_this();
    asio::async_write(socket_, asio::buffer(out_), [self](const std::error_code&, std::size_t) {
      std::error_code ignored;
      self->socket_.shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
      self->close();
    });
  }

  void close() {
    std::error_code ignored;
    timer_.cancel();
    socket_.close(ignored);
  }

  asio::ip::tcp::socket socket_;
  asio::steady_timer timer_;
  const identity::ident_registry& registry_;
  std::shared_ptr<std::size_t> active_;
  identity::ident_query_parser parser_;
  std::uint8_t buf_[identity::ident_max_line];
  std::string out_;
};

ident_responder::ident_responder(asio::io_context& io, const identity::ident_registry& registry)
    : io_(io), registry_(registry), active_(std::make_shared<std::size_t>(0)), alive_(std::make_shared<bool>(true)) {}

ident_responder::~ident_responder() { stop(); }

bool ident_responder::open(const std::string& spec, std::vector<std::string>& errors) {
  std::vector<asio::ip::tcp::endpoint> eps;
  if (!parse_listen(spec, eps)) {
    errors.push_back("bad ident-listen address '" + spec + "'");
    return false;
  }
  const std::size_t before = errors.size();
  for (std::size_t i = 0; i < eps.size(); ++i) {
    std::unique_ptr<asio::ip::tcp::acceptor> a(new asio::ip::tcp::acceptor(io_));
    std::error_code ec;
    a->open(eps[i].protocol(), ec);
    if (!ec) platform::set_close_on_exec(a->native_handle());
    if (!ec) a->set_option(asio::ip::tcp::acceptor::reuse_address(true), ec);
    if (!ec && eps[i].address().is_v6()) a->set_option(asio::ip::v6_only(true), ec);
    if (!ec) a->bind(eps[i], ec);
    if (!ec) a->listen(asio::socket_base::max_listen_connections, ec);
    if (!ec) {
      acceptors_.push_back(std::move(a));
      continue;
    }
    // "*:113" on a host without IPv6 still answers on IPv4.
    bool optional_v6 = eps.size() > 1 && eps[i].address().is_v6() && ec != asio::error::address_in_use;
    if (optional_v6) log::warning(bind_failure(eps[i], ec));
    else errors.push_back(bind_failure(eps[i], ec));
  }
  if (errors.size() != before) acceptors_.clear();
  return errors.size() == before && !acceptors_.empty();
}

void ident_responder::start() {
  for (std::size_t i = 0; i < acceptors_.size(); ++i) {
    log::notice("ident responder on " + endpoint_name(acceptors_[i]->local_endpoint()));
    accept(i);
  }
}

void ident_responder::accept(std::size_t i) {
  asio::ip::tcp::acceptor& a = *acceptors_[i];
  std::shared_ptr<std::size_t> active = active_;
  a.async_accept([this, i, active](const std::error_code& ec, asio::ip::tcp::socket s) {
    if (ec == asio::error::operation_aborted) return;
    if (ec) {  // out of descriptors, say: try again in a moment rather than spin
      std::shared_ptr<asio::steady_timer> pause = std::make_shared<asio::steady_timer>(io_);
      pause->expires_after(std::chrono::milliseconds(100));
      std::weak_ptr<bool> alive = alive_;  // the responder may be gone by then
      pause->async_wait([this, i, pause, alive](const std::error_code& wec) {
        if (!wec && !alive.expired() && acceptors_[i]->is_open()) accept(i);
      });
      return;
    }
    {
      platform::set_close_on_exec(s.native_handle());
      if (*active >= ident_max_connections) {
        log::debug("ident: connection cap reached; closing a query connection");
        std::error_code ignored;
        s.close(ignored);
      } else {
        std::make_shared<connection>(std::move(s), registry_, active)->start();
      }
    }
    accept(i);
  });
}

void ident_responder::stop() {
  for (std::size_t i = 0; i < acceptors_.size(); ++i) {
    std::error_code ignored;
    acceptors_[i]->close(ignored);
  }
}

std::vector<asio::ip::tcp::endpoint> ident_responder::endpoints() const {
  std::vector<asio::ip::tcp::endpoint> out;
  std::error_code ec;
  for (std::size_t i = 0; i < acceptors_.size(); ++i) out.push_back(acceptors_[i]->local_endpoint(ec));
  return out;
}

}  // namespace server
}  // namespace tlsmux
