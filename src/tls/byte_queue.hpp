// SPDX-License-Identifier: GPL-2.0-or-later
// A FIFO of bytes in one heap block, for ciphertext between a socket and wolfSSL. Unlike
// std::vector it never zero-fills: space() hands out room at the back that a socket read
// fills directly, so received bytes are copied once (into wolfSSL), not three times.
#ifndef TLSMUX_TLS_BYTE_QUEUE_HPP
#define TLSMUX_TLS_BYTE_QUEUE_HPP

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>

namespace tlsmux {
namespace tls {

class byte_queue {
 public:
  const std::uint8_t* data() const { return buf_.get() + head_; }
  std::size_t size() const { return tail_ - head_; }
  bool empty() const { return head_ == tail_; }

  /// Drops n bytes from the front (n <= size()). Never moves memory or the back, so a
  /// pointer from space() stays valid until commit() while wolfSSL consumes.
  void consume(std::size_t n) { head_ += n; }

  /// Room for n more bytes at the back; valid until the next space(), append() or release().
  std::uint8_t* space(std::size_t n) {
    if (head_ == tail_) head_ = tail_ = 0;
    if (cap_ - tail_ < n) make_room(n);
    return buf_.get() + tail_;
  }
  /// Makes n bytes written into space() part of the queue.
  void commit(std::size_t n) { tail_ += n; }

  void append(const std::uint8_t* p, std::size_t n) {
    if (n == 0) return;
    std::memcpy(space(n), p, n);
    commit(n);
  }

  /// Frees the block when the queue is empty (idle sessions keep no buffer).
  void release() {
    if (!empty()) return;
    buf_.reset();
    cap_ = head_ = tail_ = 0;
  }

  std::size_t capacity() const { return cap_; }

 private:
  void make_room(std::size_t n) {
    const std::size_t live = size();
    if (cap_ - live >= n) {  // slide the live bytes down: no allocation
      std::memmove(buf_.get(), buf_.get() + head_, live);
    } else {
      std::size_t want = cap_ < 1024 ? 1024 : cap_;
      while (want - live < n) want *= 2;
      std::unique_ptr<std::uint8_t[]> next(new std::uint8_t[want]);
      if (live > 0) std::memcpy(next.get(), buf_.get() + head_, live);
      buf_.swap(next);
      cap_ = want;
    }
    head_ = 0;
    tail_ = live;
  }

  std::unique_ptr<std::uint8_t[]> buf_;
  std::size_t cap_ = 0, head_ = 0, tail_ = 0;
};

}  // namespace tls
}  // namespace tlsmux

#endif
