// SPDX-License-Identifier: GPL-2.0-or-later
// udp_relay: RFC 1928 UDP relay on loopback <-> TLSMUX frames inside TLS.
#include "client/udp_relay.hpp"

#include "socks5/udp_frame.hpp"

#include <asio/error.hpp>

namespace tlsmux {
namespace client {

namespace {
const std::size_t max_pending = 256 * 1024;  // framed datagrams waiting for TLS
}  // namespace

udp_relay::udp_relay(std::shared_ptr<relay::stream> control, std::shared_ptr<transport::tls_stream> tls,
                     const asio::ip::udp::endpoint& app, done_handler done)
    : control_(control), tls_(tls), app_(app), done_(done), socket_(tls->socket().get_executor()),
      udp_buf_(65536), tls_buf_(16384 + 512) {}

bool udp_relay::open(const asio::ip::address& local, std::string& error) {
  std::error_code ec;
  asio::ip::udp::endpoint ep(local, 0);
  socket_.open(ep.protocol(), ec);
  if (!ec) socket_.bind(ep, ec);
  if (ec) error = "cannot open the UDP relay on " + local.to_string() + ": " + ec.message();
  return !ec;
}

asio::ip::udp::endpoint udp_relay::endpoint() const {
  std::error_code ec;
  return socket_.local_endpoint(ec);
}

void udp_relay::start(const std::vector<std::uint8_t>& leftover) {
  in_ = leftover;
  watch_control();
  receive_app();
  read_tls();
}

// RFC 1928: the association ends when the TCP connection that asked for it closes.
void udp_relay::watch_control() {
  std::shared_ptr<udp_relay> self = shared_from_this();
  control_->read_some(&control_byte_, 1, [self](const std::error_code& ec, std::size_t) {
    if (self->finished_) return;
    if (ec) return self->finish("eof");
    self->watch_control();  // the application should send nothing here; ignore it
  });
}

void udp_relay::receive_app() {
  std::shared_ptr<udp_relay> self = shared_from_this();
  socket_.async_receive_from(asio::buffer(udp_buf_), from_, [self](const std::error_code& ec, std::size_t n) {
    if (self->finished_ || ec == asio::error::operation_aborted) return;
    // Only the requesting application: same address, and its port once known.
    bool from_app = !ec && self->from_.address() == self->app_.address() &&
                    (self->app_.port() == 0 || self->from_.port() == self->app_.port());
    socks5::datagram d;
    if (from_app && socks5::parse_udp_header(self->udp_buf_.data(), n, d) && d.frag == 0 &&
        self->pending_.size() + n + 8 <= max_pending &&
        socks5::append_udp_frame(self->pending_, d.addr, d.payload, d.size)) {
      if (self->app_.port() == 0) self->app_.port(self->from_.port());
      ++self->up_;
      self->flush_tls();
    } else if (!ec) {
      ++self->dropped_;
    }
    self->receive_app();
  });
}

void udp_relay::flush_tls() {
  if (writing_ || pending_.empty() || finished_) return;
  writing_ = true;
  inflight_.swap(pending_);
  pending_.clear();
  std::shared_ptr<udp_relay> self = shared_from_this();
  tls_->async_write(inflight_.data(), inflight_.size(), [self](const std::error_code& ec) {
    self->writing_ = false;
    if (self->finished_) return;
    if (ec) return self->finish("server write: " + ec.message());
    self->flush_tls();
  });
}

void udp_relay::read_tls() {
  std::size_t pos = 0;
  while (pos < in_.size()) {
    std::size_t used = 0;
    socks5::datagram d;
    socks5::parse_status st = socks5::parse_udp_frame(in_.data() + pos, in_.size() - pos, used, d);
    if (st == socks5::parse_status::need_more) break;
    if (st == socks5::parse_status::bad && used == 0) return finish("the server sent a malformed UDP frame");
    if (st == socks5::parse_status::ok && app_.port() != 0) {
      out_packet_.clear();
      socks5::append_udp_packet(out_packet_, d.addr, d.payload, d.size);
      std::error_code ignored;
      socket_.send_to(asio::buffer(out_packet_), app_, 0, ignored);  // loopback: never blocks long
      ++down_;
    } else {
      ++dropped_;
    }
    pos += used;
  }
  in_.erase(in_.begin(), in_.begin() + pos);
  std::shared_ptr<udp_relay> self = shared_from_this();
  tls_->async_read_some(tls_buf_.data(), tls_buf_.size(), [self](const std::error_code& ec, std::size_t n) {
    if (self->finished_) return;
    if (ec) return self->finish(ec == asio::error::eof ? "server closed" : "server read: " + ec.message());
    self->in_.insert(self->in_.end(), self->tls_buf_.begin(), self->tls_buf_.begin() + n);
    self->read_tls();
  });
}

void udp_relay::stop(const std::string& reason) { finish(reason); }

void udp_relay::finish(const std::string& reason) {
  if (finished_) return;
  finished_ = true;
  std::error_code ignored;
  socket_.close(ignored);
  control_->close();
  tls_->close();
  done_handler done;
  done.swap(done_);
  if (done) done(reason);
}

}  // namespace client
}  // namespace tlsmux
