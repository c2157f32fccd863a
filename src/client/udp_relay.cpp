// SPDX-License-Identifier: GPL-2.0-or-later
// udp_relay: RFC 1928 UDP relay on loopback <-> TLSMUX frames inside TLS.
#include "client/udp_relay.hpp"

#include "socks5/udp_frame.hpp"

#include <asio/error.hpp>

namespace tlsmux {
namespace client {

namespace {
const std::size_t max_pending = 256 * 1024;  // framed datagrams waiting for TLS

// The reasons an association ends for, as the log has always said them.
const transport::udp_frame_stream::wording server_words(
    "the server sent a malformed UDP frame", "server closed", "server read: ", "server write: ");
}  // namespace

udp_relay::udp_relay(std::shared_ptr<relay::stream> control, std::shared_ptr<transport::tls_stream> tls,
                     const asio::ip::udp::endpoint& app, done_handler done)
    : control_(control), frames_(tls, server_words), app_(app), done_(done),
      socket_(tls->socket().get_executor()), udp_buf_(65536) {}

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
  watch_control();
  receive_app();
  transport::udp_frame_stream::events on;
  on.frame = [this](const socks5::datagram& d) { handle_frame(d); };
  on.skipped = [this]() { ++dropped_; };
  on.ended = [this](const std::string& reason) { finish(reason); };
  frames_.start(shared_from_this(), leftover, on);
}

// RFC 1928: the association ends when the TCP connection that asked for it closes.
void udp_relay::watch_control() {
  std::shared_ptr<udp_relay> self = shared_from_this();
  control_->read_some(&control_byte_, 1, [self](const std::error_code& ec, std::size_t) {
    if (self->frames_.stopped()) return;
    if (ec) return self->finish("eof");
    self->watch_control();  // the application should send nothing here; ignore it
  });
}

void udp_relay::receive_app() {
  std::shared_ptr<udp_relay> self = shared_from_this();
  socket_.async_receive_from(asio::buffer(udp_buf_), from_, [self](const std::error_code& ec, std::size_t n) {
    if (self->frames_.stopped() || ec == asio::error::operation_aborted) return;
    // Only the requesting application: same address, and its port once known.
    bool from_app = !ec && self->from_.address() == self->app_.address() &&
                    (self->app_.port() == 0 || self->from_.port() == self->app_.port());
    socks5::datagram d;
    if (from_app && socks5::parse_udp_header(self->udp_buf_.data(), n, d) && d.frag == 0 &&
        self->frames_.pending().size() + n + 8 <= max_pending &&
        socks5::append_udp_frame(self->frames_.pending(), d.addr, d.payload, d.size)) {
      if (self->app_.port() == 0) self->app_.port(self->from_.port());
      ++self->up_;
      self->frames_.flush();
    } else if (!ec) {
      ++self->dropped_;
    }
    self->receive_app();
  });
}

void udp_relay::handle_frame(const socks5::datagram& d) {
  if (app_.port() == 0) {
    ++dropped_;
    return;
  }
  out_packet_.clear();
  socks5::append_udp_packet(out_packet_, d.addr, d.payload, d.size);
  std::error_code ignored;
  socket_.send_to(asio::buffer(out_packet_), app_, 0, ignored);  // loopback: never blocks long
  ++down_;
}

void udp_relay::stop(const std::string& reason) { finish(reason); }

void udp_relay::finish(const std::string& reason) {
  if (!frames_.stop()) return;
  std::error_code ignored;
  socket_.close(ignored);
  control_->close();
  frames_.tls().close();
  done_handler done;
  done.swap(done_);
  if (done) done(reason);
}

}  // namespace client
}  // namespace tlsmux
