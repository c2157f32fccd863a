// SPDX-License-Identifier: GPL-2.0-or-later
// udp_frame_stream: UDP frames over the TLS stream, read and written for both halves.
#include "transport/udp_frame_stream.hpp"

#include <asio/error.hpp>

namespace tlsmux {
namespace transport {

udp_frame_stream::udp_frame_stream(std::shared_ptr<tls_stream> tls, const wording& words)
    : tls_(tls), words_(words), rx_(16384 + 512) {}

void udp_frame_stream::start(const std::shared_ptr<void>& owner, const std::vector<std::uint8_t>& leftover,
                             const events& on) {
  owner_ = owner;
  on_ = on;
  in_ = leftover;
  if (consume_frames()) read();
}

void udp_frame_stream::read() {
  std::shared_ptr<void> keep = owner_.lock();  // the owner is running: it is alive
  tls_->async_read_some(rx_.data(), rx_.size(), [this, keep](const std::error_code& ec, std::size_t n) {
    if (stopped_) return;
    if (ec) return on_.ended(ec == asio::error::eof ? words_.eof : words_.read + ec.message());
    in_.insert(in_.end(), rx_.begin(), rx_.begin() + n);
    if (on_.received) on_.received();
    if (!stopped_ && consume_frames()) read();
  });
}

// Handles every complete frame in in_; false when the stream must end (or has ended).
bool udp_frame_stream::consume_frames() {
  std::size_t pos = 0;
  while (pos < in_.size() && !stopped_) {
    std::size_t used = 0;
    socks5::datagram d;
    socks5::parse_status st = socks5::parse_udp_frame(in_.data() + pos, in_.size() - pos, used, d);
    if (st == socks5::parse_status::need_more) break;
    if (st == socks5::parse_status::bad && used == 0) {
      on_.ended(words_.malformed);
      return false;
    }
    if (st == socks5::parse_status::bad) on_.skipped();
    else on_.frame(d);
    pos += used;
  }
  if (stopped_) return false;
  in_.erase(in_.begin(), in_.begin() + pos);
  return true;
}

void udp_frame_stream::flush() {
  if (writing_ || pending_.empty() || stopped_) return;
  writing_ = true;
  inflight_.swap(pending_);
  pending_.clear();
  std::shared_ptr<void> keep = owner_.lock();  // the owner is running: it is alive
  tls_->async_write(inflight_.data(), inflight_.size(), [this, keep](const std::error_code& ec) {
    writing_ = false;
    inflight_.clear();
    if (stopped_) return;
    if (ec) return on_.ended(words_.write + ec.message());
    flush();
  });
}

bool udp_frame_stream::stop() {
  if (stopped_) return false;
  stopped_ = true;
  return true;
}

}  // namespace transport
}  // namespace tlsmux
