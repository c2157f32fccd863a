// SPDX-License-Identifier: GPL-2.0-or-later
// An in-memory stream pair for relay tests: what one end writes, the other end reads, through
// a receive buffer of bounded capacity (a socket's window). A write that does not fit stays
// pending until the reader takes bytes out, so a side that stops reading pushes back on the
// writer. Completions are posted to the io_context, as Asio's are; tests drive it with
// poll()/run(), so everything is deterministic.
#ifndef TLSMUX_TESTS_FAKES_MEMORY_STREAM_HPP
#define TLSMUX_TESTS_FAKES_MEMORY_STREAM_HPP

#include "relay/stream.hpp"

#include <asio/error.hpp>
#include <asio/io_context.hpp>
#include <asio/post.hpp>
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <system_error>
#include <utility>

namespace tlsmux_fakes {

/// One end of an in-memory connection. Hand one end to the code under test and drive the
/// other one from the test with the helpers at the bottom.
class memory_stream : public tlsmux::relay::stream, public std::enable_shared_from_this<memory_stream> {
 public:
  memory_stream(asio::io_context& io, std::size_t capacity) : io_(io), capacity_(capacity) {}

  /// Connects two ends; each one receives at most capacity unread bytes.
  static std::pair<std::shared_ptr<memory_stream>, std::shared_ptr<memory_stream> > make_pair(
      asio::io_context& io, std::size_t capacity) {
    std::shared_ptr<memory_stream> x = std::make_shared<memory_stream>(io, capacity);
    std::shared_ptr<memory_stream> y = std::make_shared<memory_stream>(io, capacity);
    x->peer_ = y;
    y->peer_ = x;
    return std::make_pair(x, y);
  }

  // --- relay::stream -----------------------------------------------------------------------
  void read_some(std::uint8_t* buf, std::size_t cap, io_handler h) override {
    ++read_calls_;
    rbuf_ = buf;
    rcap_ = cap;
    rh_ = h;
    serve_read();
  }
  void wait_readable(handler h) override {
    ++wait_calls_;
    wh_ = h;
    serve_read();
  }
  void write(const std::uint8_t* p, std::size_t n, handler h) override {
    if (closed_ || sent_fin_) return post(h, std::error_code(asio::error::bad_descriptor));
    if (write_error_) return post(h, write_error_);
    out_.assign(p, p + n);
    out_done_ = 0;
    out_h_ = h;
    push_out();
  }
  void shutdown_send(handler h) override {
    if (closed_) return post(h, std::error_code(asio::error::bad_descriptor));
    sent_fin_ = true;
    std::shared_ptr<memory_stream> peer = peer_.lock();
    if (peer) peer->on_peer_fin();
    post(h, std::error_code());
  }
  void close() override {
    if (closed_) return;
    closed_ = true;
    abort_pending(asio::error::operation_aborted);
    std::shared_ptr<memory_stream> peer = peer_.lock();
    if (peer) peer->on_peer_closed();
  }

  // --- test side -----------------------------------------------------------------------------
  /// Writes text to the peer (a copy is kept until the write completes).
  void send(const std::string& text) {
    std::shared_ptr<std::string> keep = std::make_shared<std::string>(text);
    std::shared_ptr<memory_stream> self = shared_from_this();
    send_done_ = false;
    write(reinterpret_cast<const std::uint8_t*>(keep->data()), keep->size(),
          [self, keep](const std::error_code& ec) {
            self->send_result_ = ec;
            self->send_done_ = true;
          });
  }
  /// Ends the sending direction (a FIN).
  void send_eof() {
    shutdown_send([](const std::error_code&) {});
  }
  /// Takes every unread byte into received(); returns how many were taken.
  std::size_t drain() {
    std::size_t n = in_.size();
    received_.append(in_.begin(), in_.end());
    in_.clear();
    if (n > 0) wake_peer_writer();
    return n;
  }
  /// Makes the next reads fail with ec (after the bytes already received).
  void fail_reads(std::error_code ec) {
    read_error_ = ec;
    serve_read();
  }
  /// Makes writes fail with ec.
  void fail_writes(std::error_code ec) { write_error_ = ec; }

  const std::string& received() const { return received_; }
  std::size_t unread() const { return in_.size(); }
  std::size_t capacity() const { return capacity_; }
  /// The peer shut down its sending direction or closed, and every byte was read.
  bool at_eof() const { return (peer_fin_ || peer_closed_) && in_.empty(); }
  /// The peer shut down its sending direction (a FIN) before anything else.
  bool peer_sent_eof() const { return peer_fin_; }
  /// The peer closed (both directions).
  bool peer_closed() const { return peer_closed_; }
  bool closed() const { return closed_; }
  bool sent_eof() const { return sent_fin_; }
  bool send_done() const { return send_done_; }
  std::error_code send_result() const { return send_result_; }
  std::size_t read_calls() const { return read_calls_; }
  std::size_t wait_calls() const { return wait_calls_; }
  /// Bytes read_some handed out so far.
  std::size_t bytes_read() const { return bytes_read_; }

 private:
  template <typename H, typename... A>
  void post(H h, A... args) {
    if (h) asio::post(io_, std::bind(h, args...));
  }

  // Completes a pending read or readiness wait if there is something to report.
  void serve_read() {
    bool ready = !in_.empty() || peer_fin_ || peer_closed_ || read_error_ || closed_;
    if (!ready) return;
    if (wh_) {
      handler h;
      h.swap(wh_);
      post(h, std::error_code());
    }
    if (!rh_) return;
    io_handler h;
    h.swap(rh_);
    if (closed_) return post(h, std::error_code(asio::error::operation_aborted), std::size_t(0));
    if (!in_.empty()) {
      std::size_t n = std::min(rcap_, in_.size());
      std::copy(in_.begin(), in_.begin() + n, rbuf_);
      in_.erase(in_.begin(), in_.begin() + n);
      bytes_read_ += n;
      wake_peer_writer();
      return post(h, std::error_code(), n);
    }
    if (read_error_) return post(h, read_error_, std::size_t(0));
    if (peer_closed_ && !peer_fin_) return post(h, std::error_code(asio::error::connection_reset), std::size_t(0));
    post(h, std::error_code(asio::error::eof), std::size_t(0));
  }

  // Moves as much of the pending write as fits into the peer's receive buffer.
  void push_out() {
    if (!out_h_) return;
    std::shared_ptr<memory_stream> peer = peer_.lock();
    if (!peer || peer->closed_) {
      handler h;
      h.swap(out_h_);
      return post(h, std::error_code(asio::error::broken_pipe));
    }
    std::size_t room = peer->capacity_ - std::min(peer->capacity_, peer->in_.size());
    std::size_t n = std::min(room, out_.size() - out_done_);
    peer->in_.insert(peer->in_.end(), out_.begin() + out_done_, out_.begin() + out_done_ + n);
    out_done_ += n;
    if (n > 0) peer->serve_read();
    if (out_done_ < out_.size()) return;
    handler h;
    h.swap(out_h_);
    post(h, std::error_code());
  }
  void wake_peer_writer() {
    std::shared_ptr<memory_stream> peer = peer_.lock();
    if (peer) peer->push_out();
  }
  void on_peer_fin() {
    peer_fin_ = true;
    serve_read();
  }
  void on_peer_closed() {
    peer_closed_ = true;
    if (out_h_) {
      handler h;
      h.swap(out_h_);
      post(h, std::error_code(asio::error::connection_reset));
    }
    serve_read();
  }
  void abort_pending(std::error_code ec) {
    handler w, o;
    io_handler r;
    w.swap(wh_);
    o.swap(out_h_);
    r.swap(rh_);
    post(w, ec);
    post(o, ec);
    post(r, ec, std::size_t(0));
  }

  asio::io_context& io_;
  std::size_t capacity_;
  std::weak_ptr<memory_stream> peer_;
  std::deque<std::uint8_t> in_;  ///< received, not yet read
  std::string received_;         ///< what drain() took
  std::uint8_t* rbuf_ = nullptr;
  std::size_t rcap_ = 0;
  io_handler rh_;
  handler wh_;
  std::string out_;  ///< the pending write
  std::size_t out_done_ = 0;
  handler out_h_;
  bool closed_ = false, sent_fin_ = false, peer_fin_ = false, peer_closed_ = false;
  bool send_done_ = false;
  std::error_code send_result_, read_error_, write_error_;
  std::size_t read_calls_ = 0, wait_calls_ = 0, bytes_read_ = 0;
};

}  // namespace tlsmux_fakes

#endif
