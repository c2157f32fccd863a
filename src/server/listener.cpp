// SPDX-License-Identifier: GPL-2.0-or-later
// listener: bind, listen and accept with back-off on descriptor exhaustion.
#include "server/listener.hpp"
#include "socks5/protocol.hpp"
#include "text/ip_text.hpp"

#include "log/logger.hpp"
#include "tlsmux/platform/descriptors.hpp"

#include <asio/error.hpp>
#include <asio/ip/v6_only.hpp>
#include <cstdlib>

namespace tlsmux {
namespace server {

bool parse_listen(const std::string& spec, std::vector<asio::ip::tcp::endpoint>& out) {
  std::string host, port = spec;
  std::string::size_type colon = spec.rfind(':');
  if (colon != std::string::npos) {
    host = spec.substr(0, colon);
    port = spec.substr(colon + 1);
  }
  if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos)
    return false;
  unsigned long p = std::strtoul(port.c_str(), nullptr, 10);
  if (p > 65535) return false;
  if (host.size() >= 2 && host[0] == '[' && host[host.size() - 1] == ']')
    host = host.substr(1, host.size() - 2);
  if (host.empty() || host == "*") {
    out.push_back(asio::ip::tcp::endpoint(asio::ip::address_v4::any(), static_cast<unsigned short>(p)));
    out.push_back(asio::ip::tcp::endpoint(asio::ip::address_v6::any(), static_cast<unsigned short>(p)));
    return true;
  }
  asio::ip::address a;
  if (!text::parse_ip(host, a)) return false;
  out.push_back(asio::ip::tcp::endpoint(a, static_cast<unsigned short>(p)));
  return true;
}

namespace {

// --check never accepts: an owner that refuses everything.
class probe_owner : public listener_owner {
 public:
  explicit probe_owner(asio::io_context& io) : io_(io) {}
  bool admit(asio::ip::tcp::socket&) override { return false; }
  void accepted(asio::ip::tcp::socket) override {}
  asio::io_context& accept_context() override { return io_; }

 private:
  asio::io_context& io_;
};

}  // namespace

bool can_listen(const std::vector<std::string>& specs, std::vector<std::string>& errors) {
  const std::size_t before = errors.size();
  asio::io_context io(1);
  probe_owner owner(io);
  for (std::size_t i = 0; i < specs.size(); ++i) {
    std::vector<asio::ip::tcp::endpoint> eps;
    if (!parse_listen(specs[i], eps)) {
      errors.push_back("bad listen address '" + specs[i] + "'");
      continue;
    }
    for (std::size_t j = 0; j < eps.size(); ++j) {
      listener l(io, owner);
      std::string what;
      std::string spec = socks5::address::from_ip(eps[j].address(), eps[j].port()).to_string();
      if (l.open(spec, what) && !(eps.size() > 1 && eps[j].address().is_v6())) errors.push_back(what);
    }
  }
  return errors.size() == before;
}

listener::listener(asio::io_context& io, listener_owner& owner)
    : acceptor_(io), backoff_(io.get_executor()), owner_(owner), alive_(std::make_shared<bool>(true)) {}

listener::~listener() {
  *alive_ = false;
  close();
}

std::error_code listener::open(const std::string& spec, std::string& what) {
  std::vector<asio::ip::tcp::endpoint> eps;
  if (!parse_listen(spec, eps) || eps.size() != 1) {
    what = "bad listen address '" + spec + "'";
    return std::make_error_code(std::errc::invalid_argument);
  }
  std::error_code ec;
  acceptor_.open(eps[0].protocol(), ec);
  if (!ec) platform::set_close_on_exec(acceptor_.native_handle());
  if (!ec) acceptor_.set_option(asio::ip::tcp::acceptor::reuse_address(true), ec);
  if (!ec && eps[0].address().is_v6()) acceptor_.set_option(asio::ip::v6_only(true), ec);
  if (!ec) acceptor_.bind(eps[0], ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (!ec) endpoint_ = acceptor_.local_endpoint(ec);
  if (ec) {
    what = "cannot listen on " + spec + ": " + ec.message();
    std::error_code ignored;
    acceptor_.close(ignored);
  }
  return ec;
}

std::error_code listener::adopt(platform::socket_handle fd, std::string& what) {
  std::error_code ec;
  acceptor_.assign(platform::socket_family(fd) == 6 ? asio::ip::tcp::v6() : asio::ip::tcp::v4(), fd, ec);
  if (!ec) endpoint_ = acceptor_.local_endpoint(ec);
  if (ec) what = "cannot use descriptor " + std::to_string(fd) + " from the service manager: " + ec.message();
  return ec;
}

void listener::start() { do_accept(); }

void listener::close() {
  std::error_code ignored;
  backoff_.cancel();
  acceptor_.close(ignored);
}

void listener::do_accept() {
  if (!acceptor_.is_open()) return;
  std::shared_ptr<bool> alive = alive_;
  acceptor_.async_accept(owner_.accept_context(), [this, alive](const std::error_code& ec, asio::ip::tcp::socket socket) {
    if (!*alive || ec == asio::error::operation_aborted || !acceptor_.is_open()) return;
    // Out of descriptors: wait for sessions to end instead of spinning on accept().
    if (backoff_.pause(ec, "listener", [this, alive]() {
          if (*alive) do_accept();
        }))
      return;
    if (!ec) {
      backoff_.accepted();
      platform::set_close_on_exec(socket.native_handle());
      if (owner_.admit(socket)) owner_.accepted(std::move(socket));
    }
    do_accept();
  });
}

}  // namespace server
}  // namespace tlsmux
