// SPDX-License-Identifier: GPL-2.0-or-later
// udp_association: UDP datagrams framed inside the TLS stream, local destinations only.
#include "server/udp_association.hpp"

#include "log/logger.hpp"
#include "log/rate_limit.hpp"
#include "text/ip_text.hpp"
#include "policy/address_class.hpp"
#include "tlsmux/platform/descriptors.hpp"

#include <asio/error.hpp>

namespace tlsmux {
namespace server {

namespace {

const std::size_t max_sends_in_flight = 256;       // datagrams toward local services
const std::size_t max_down_bytes = 256 * 1024;     // framed datagrams waiting for TLS
const std::size_t max_resolves_in_flight = 8;
const std::size_t max_peers = 1024;                 // destinations whose answers are accepted
const std::chrono::seconds peer_lifetime(60);       // since the last datagram sent to one

// The reasons an association ends for, as the log has always said them.
const transport::udp_frame_stream::wording client_words(
    "udp frame length invalid (0 or over the maximum)", "eof", "client read: ", "client write: ");

}  // namespace

struct udp_association::endpoint_socket {
  explicit endpoint_socket(const asio::any_io_executor& ex) : socket(ex), buf(65536) {}
  asio::ip::udp::socket socket;
  std::vector<std::uint8_t> buf;
  asio::ip::udp::endpoint from;
};

udp_association::udp_association(std::shared_ptr<transport::tls_stream> tls, socket_budget& budget,
                                 name_lookups& names, const client_key& who, policy::decider& decider,
                                 const policy::session_facts& facts, bool same_address,
                                 const std::vector<asio::ip::tcp::endpoint>& pinned, done_handler done)
    : frames_(tls, client_words), budget_(budget), names_(names), who_(who), decider_(decider), facts_(facts),
      same_address_(same_address), pinned_(pinned), done_(done), peers_(max_peers, peer_lifetime),
      last_activity_(std::chrono::steady_clock::now()) {}

void udp_association::start(const std::vector<std::uint8_t>& pipelined) {
  transport::udp_frame_stream::events on;
  on.frame = [this](const socks5::datagram& d) { handle_datagram(d); };
  on.skipped = [this]() { ++counters_.dropped; };  // malformed header inside a well-sized frame
  on.received = [this]() { last_activity_ = std::chrono::steady_clock::now(); };
  on.ended = [this](const std::string& reason) { finish(reason); };
  frames_.start(shared_from_this(), pipelined, on);
}

void udp_association::handle_datagram(const socks5::datagram& d) {
  if (d.frag != 0) {
    ++counters_.dropped;
    return;
  }
  std::vector<std::uint8_t> payload(d.payload, d.payload + d.size);
  if (!pinned_.empty()) {
    // A pinned association reaches only its catalog service, whatever the frame names.
    asio::ip::udp::endpoint to(pinned_[0].address(), pinned_[0].port());
    bool named = d.addr.type == socks5::atyp::domain;
    if (!named && (policy::canonical(d.addr.ip) != to.address() || d.addr.port != to.port())) {
      ++counters_.denied;
      return;
    }
    return send(to, payload);
  }
  if (d.addr.type == socks5::atyp::domain) return resolve_and_send(d.addr.name, d.addr.port, payload);
  send_checked(policy::canonical(d.addr.ip), d.addr.port, payload);
}

void udp_association::send_checked(const asio::ip::address& a, std::uint16_t port,
                                   std::vector<std::uint8_t> payload) {
  std::string reason;
  if (!decider_.datagram_allowed(a, port, facts_, reason)) {
    ++counters_.denied;
    log::debug("udp datagram to " + text::ip_text(a) + " dropped: " + reason);
    return;
  }
  asio::ip::address to = same_address_ ? policy::canonical(facts_.arrival) : a;
  send(asio::ip::udp::endpoint(to, port), payload);
}

void udp_association::resolve_and_send(const std::string& name, std::uint16_t port,
                                       std::vector<std::uint8_t> payload) {
  if (!policy::is_plain_hostname(name) || lookups_.size() >= max_resolves_in_flight) {
    ++counters_.denied;
    return;
  }
  std::uint64_t id = ++lookup_serial_;
  std::shared_ptr<udp_association> self = shared_from_this();
  std::shared_ptr<lookup> l = names_.start(
      who_, name, frames_.tls().socket().get_executor(),
      [self, id, port, payload](const std::error_code& ec, const std::vector<asio::ip::address>& found) {
        self->lookups_.erase(id);
        if (self->frames_.stopped()) return;
        // Resolved once; the datagram goes to the first local address.
        for (std::size_t i = 0; i < found.size(); ++i) {
          std::string reason;
          asio::ip::address a = policy::canonical(found[i]);
          if (!ec && self->decider_.address_allowed(a, port, reason)) return self->send_checked(a, port, payload);
        }
        ++self->counters_.denied;
      });
  lookups_[id] = l;
}

void udp_association::send(const asio::ip::udp::endpoint& to, std::vector<std::uint8_t> payload) {
  std::shared_ptr<endpoint_socket> s = socket_for(to.address());
  if (!s || sends_in_flight_ >= max_sends_in_flight) {
    ++counters_.dropped;
    return;
  }
  peers_.sent(to, std::chrono::steady_clock::now());
  ++sends_in_flight_;
  std::shared_ptr<std::vector<std::uint8_t> > data = std::make_shared<std::vector<std::uint8_t> >();
  data->swap(payload);
  std::shared_ptr<udp_association> self = shared_from_this();
  s->socket.async_send_to(asio::buffer(*data), to, [self, data](const std::error_code& ec, std::size_t) {
    --self->sends_in_flight_;
    // Counted once the kernel took it: an oversize datagram (EMSGSIZE) is only dropped.
    if (ec) {
      ++self->counters_.dropped;
      return;
    }
    ++self->counters_.up_datagrams;
    self->counters_.up_bytes += data->size();
  });
}

// Loopback destinations are sent from loopback; the host's own addresses from themselves.
// Nothing is ever bound to a wildcard address, so no port opens toward the network.
std::shared_ptr<udp_association::endpoint_socket> udp_association::socket_for(const asio::ip::address& destination) {
  asio::ip::address local = destination;
  if (destination.is_loopback())
    local = destination.is_v4() ? asio::ip::address(asio::ip::address_v4::loopback())
                                : asio::ip::address(asio::ip::address_v6::loopback());
  identity::source_choice src = identity::choose_source(sources_, class_, destination, false, asio::ip::address());
  if (std::string(src.rule) == "class") local = src.address;  // as CONNECT does (docs/security.md 3.9)
  std::map<asio::ip::address, std::shared_ptr<endpoint_socket> >::iterator it = sockets_.find(local);
  if (it != sockets_.end()) return it->second;
  if (!budget_.acquire_extra_socket(who_)) {
    log::limited_warning("udp socket budget", "udp: socket budget exhausted; dropping datagrams to " + text::ip_text(local));
    return std::shared_ptr<endpoint_socket>();
  }
  std::shared_ptr<endpoint_socket> s = std::make_shared<endpoint_socket>(frames_.tls().socket().get_executor());
  std::error_code ec;
  asio::ip::udp::endpoint bind_to(local, 0);
  s->socket.open(bind_to.protocol(), ec);
  if (!ec) platform::set_close_on_exec(s->socket.native_handle());
  if (!ec) s->socket.bind(bind_to, ec);
  if (ec) {
    budget_.release_extra_socket(who_);
    log::limited_warning("udp bind", "udp: cannot bind " + text::ip_text(local) + ": " + ec.message());
    return std::shared_ptr<endpoint_socket>();
  }
  sockets_[local] = s;
  receive(s);
  return s;
}

void udp_association::receive(std::shared_ptr<endpoint_socket> s) {
  std::shared_ptr<udp_association> self = shared_from_this();
  s->socket.async_receive_from(asio::buffer(s->buf), s->from, [self, s](const std::error_code& ec, std::size_t n) {
    if (self->frames_.stopped() || ec == asio::error::operation_aborted) return;
    asio::ip::udp::endpoint from(policy::canonical(s->from.address()), s->from.port());
    if (!ec) {
      if (self->peers_.accepts(from, std::chrono::steady_clock::now())) self->queue_down(from, s->buf.data(), n);
      else ++self->counters_.denied;  // only services this client has written to may answer
    }
    self->receive(s);
  });
}

void udp_association::queue_down(const asio::ip::udp::endpoint& from, const std::uint8_t* p, std::size_t n) {
  if (frames_.pending().size() + n + 32 > max_down_bytes ||
      !socks5::append_udp_frame(frames_.pending(), socks5::address::from_ip(from.address(), from.port()), p, n)) {
    ++counters_.dropped;
    return;
  }
  ++counters_.down_datagrams;
  counters_.down_bytes += n;
  last_activity_ = std::chrono::steady_clock::now();
  frames_.flush();
}

void udp_association::stop(const std::string& reason) { finish(reason); }

void udp_association::finish(const std::string& reason) {
  if (!frames_.stop()) return;
  std::error_code ignored;
  for (std::map<asio::ip::address, std::shared_ptr<endpoint_socket> >::iterator it = sockets_.begin();
       it != sockets_.end(); ++it) {
    it->second->socket.close(ignored);
    budget_.release_extra_socket(who_);
  }
  sockets_.clear();
  // Lookups still waiting are abandoned: their answers would go nowhere, and a client that
  // has left must not keep the resolver busy for others.
  std::map<std::uint64_t, std::shared_ptr<lookup> > pending;
  pending.swap(lookups_);
  for (std::map<std::uint64_t, std::shared_ptr<lookup> >::iterator it = pending.begin(); it != pending.end(); ++it)
    it->second->abandon();
  done_handler done;
  done.swap(done_);
  if (done) done(reason);
}

}  // namespace server
}  // namespace tlsmux
