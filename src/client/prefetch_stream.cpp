// SPDX-License-Identifier: GPL-2.0-or-later
// prefetch_stream: the first read of a stream started ahead of its consumer.
#include "client/prefetch_stream.hpp"

#include <asio/post.hpp>
#include <algorithm>
#include <cstring>

namespace tlsmux {
namespace client {

prefetch_stream::prefetch_stream(asio::io_context& io, std::shared_ptr<relay::stream> inner, std::size_t cap)
    : io_(io), inner_(inner), buf_(std::make_shared<std::vector<std::uint8_t> >(cap)) {}

void prefetch_stream::start() {
  if (pending_ || done_ || buf_->empty()) return;
  pending_ = true;
  std::shared_ptr<prefetch_stream> self = shared_from_this();
  std::shared_ptr<std::vector<std::uint8_t> > keep = buf_;  // alive while the read may write
  inner_->read_some(buf_->data(), buf_->size(), [self, keep](const std::error_code& ec, std::size_t n) {
    self->on_read(ec, n);
  });
}

std::vector<std::uint8_t> prefetch_stream::take(std::size_t max) {
  std::vector<std::uint8_t> out;
  if (!done_ || ec_ || wait_read_ || wait_readable_ || pos_ >= got_) return out;
  const std::size_t n = std::min(max, got_ - pos_);
  out.assign(buf_->begin() + static_cast<std::ptrdiff_t>(pos_), buf_->begin() + static_cast<std::ptrdiff_t>(pos_ + n));
  consumed(n);
  return out;
}

// Once every prefetched byte is handed out, the buffer goes (a forward may idle for hours).
void prefetch_stream::consumed(std::size_t n) {
  pos_ += n;
  if (pos_ >= got_) buf_.reset();
}

void prefetch_stream::on_read(const std::error_code& ec, std::size_t n) {
  pending_ = false;
  done_ = true;
  got_ = ec ? 0 : n;
  ec_ = ec;
  if (got_ == 0) buf_.reset();
  deliver();
}

// Hands the prefetched outcome to a waiting read_some or wait_readable.
void prefetch_stream::deliver() {
  if (wait_readable_) {
    handler h;
    h.swap(wait_readable_);
    h(std::error_code());
  }
  if (!wait_read_) return;
  io_handler h;
  h.swap(wait_read_);
  read_some(wait_buf_, wait_cap_, h);
}

void prefetch_stream::read_some(std::uint8_t* buf, std::size_t cap, io_handler h) {
  if (pending_) {  // the prefetch read is in flight: its bytes come first
    wait_buf_ = buf;
    wait_cap_ = cap;
    wait_read_ = h;
    return;
  }
  if (done_ && pos_ < got_) {
    const std::size_t n = std::min(cap, got_ - pos_);
    std::memcpy(buf, buf_->data() + pos_, n);
    consumed(n);
    asio::post(io_, [h, n]() { h(std::error_code(), n); });
    return;
  }
  if (done_ && ec_) {  // its end of stream or error, once
    std::error_code ec = ec_;
    ec_ = std::error_code();
    asio::post(io_, [h, ec]() { h(ec, 0); });
    return;
  }
  inner_->read_some(buf, cap, h);
}

void prefetch_stream::wait_readable(handler h) {
  if (pending_) {
    wait_readable_ = h;
    return;
  }
  if (done_ && (pos_ < got_ || ec_)) {
    asio::post(io_, [h]() { h(std::error_code()); });
    return;
  }
  inner_->wait_readable(h);
}

}  // namespace client
}  // namespace tlsmux
