// SPDX-License-Identifier: GPL-2.0-or-later
// tls_stream: Asio glue for the sans-I/O TLS engine.
#include "transport/tls_stream.hpp"

#include <asio/error.hpp>
#include <asio/post.hpp>
#include <asio/write.hpp>

namespace tlsmux {
namespace transport {

namespace {

// One full TLS record per recv at first; up to four while a transfer runs: fewer system
// calls, and fewer records that straddle two reads (wolfSSL then has to move the partial
// one). Handshakes and interactive sessions never touch the larger buffer.
const std::size_t record_read_size = 16384 + 512;
const std::size_t bulk_read_size = 4 * record_read_size;
// A read of at least a full record means a transfer is under way: keep the buffer and read
// again at once. A smaller one means the peer is interactive or quiet: free it and wait.
const std::size_t busy_read = 16384;

class tls_category_impl : public std::error_category {
 public:
  const char* name() const noexcept override { return "tls"; }
  std::string message(int ev) const override {
    switch (static_cast<tls_errc>(ev)) {
      case tls_errc::handshake_failed: return "TLS handshake failed";
      case tls_errc::protocol_error: return "TLS protocol error";
      case tls_errc::truncated: return "connection closed without close_notify";
    }
    return "unknown TLS error";
  }
};

}  // namespace

const std::error_category& tls_category() {
  static tls_category_impl instance;
  return instance;
}

std::error_code make_error_code(tls_errc e) {
  return std::error_code(static_cast<int>(e), tls_category());
}

tls_stream::tls_stream(asio::ip::tcp::socket socket, std::shared_ptr<tls::context> ctx)
    : socket_(std::move(socket)), engine_(ctx) {
  // Reads after readability and writes are first tried at once (see read_socket_now and
  // start_socket_write); they must never block.
  std::error_code ignored;
  socket_.non_blocking(true, ignored);
}

void tls_stream::async_handshake(handler h) {
  hs_handler_ = h;
  pump();
}

void tls_stream::async_read_some(std::uint8_t* buf, std::size_t cap, io_handler h) {
  rd_handler_ = h;
  rd_buf_ = buf;
  rd_cap_ = cap;
  pump();
}

void tls_stream::async_write(const std::uint8_t* p, std::size_t n, handler h) {
  if (!error_ && engine_.write(p, n) != tls::status::ok)
    error_ = make_error_code(tls_errc::protocol_error);
  wr_handler_ = h;
  pump();
}

void tls_stream::async_shutdown(handler h) {
  if (!error_) engine_.close();
  sd_handler_ = h;
  pump();
}

void tls_stream::close() {
  std::error_code ignored;
  // A failed handshake leaves its alert in the engine; send it (best effort, never
  // blocking) so the peer learns why, e.g. protocol_version for a TLS 1.1 client.
  if (!writing_ && engine_.output_size() > 0 && socket_.is_open()) {
    socket_.send(asio::buffer(engine_.output(), engine_.output_size()), 0, ignored);
    engine_.consume_output(engine_.output_size());
  }
  socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
  fail_all(asio::error::operation_aborted);
}

// Inside a socket completion the handler runs after pump() returns (never inside the
// initiating call); otherwise it goes through the event loop.
void tls_stream::deliver(std::function<void()> fn) {
  if (in_io_) {
    ready_.push_back(fn);
    return;
  }
  asio::post(socket_.get_executor(), fn);
}

void tls_stream::complete(handler& h, const std::error_code& ec) {
  if (!h) return;
  handler done;
  done.swap(h);
  deliver([done, ec]() { done(ec); });
}

void tls_stream::fail_all(const std::error_code& ec) {
  if (!error_) error_ = ec;
  complete(hs_handler_, error_);
  complete(wr_handler_, error_);
  complete(sd_handler_, error_);
  if (rd_handler_) {
    io_handler done;
    done.swap(rd_handler_);
    std::error_code e = error_;
    deliver([done, e]() { done(e, 0); });
  }
}

// The tail of every socket completion: pump, then run what became ready. Handlers run here
// may start new operations; their completions join the queue (a loop, not recursion).
void tls_stream::after_io() {
  std::shared_ptr<tls_stream> self = shared_from_this();
  in_io_ = true;
  pump();
  while (!ready_.empty()) {
    std::vector<std::function<void()> > batch;
    batch.swap(ready_);
    for (std::size_t i = 0; i < batch.size(); ++i) batch[i]();
  }
  in_io_ = false;
}

// The one place that decides what the socket does next.
void tls_stream::pump() {
  if (error_) {
    fail_all(error_);
    return;
  }
  bool progressed = true;
  while (progressed) {
    progressed = false;
    need_input_ = false;
    if (hs_handler_) progressed |= step_handshake();
    if (rd_handler_ && engine_.established()) progressed |= step_read();
    if (error_) {
      fail_all(error_);
      return;
    }
    if (!progressed && need_input_) progressed = read_ready_input();
  }
  if (engine_.output_size() > 0 && !writing_) start_socket_write();
  if (error_) {
    fail_all(error_);
    return;
  }
  if (!writing_ && engine_.output_size() == 0) {
    complete(wr_handler_, std::error_code());
    if (sd_handler_) {
      std::error_code ignored;
      socket_.shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
      complete(sd_handler_, std::error_code());
    }
  }
  if (need_input_) start_socket_read();
}

bool tls_stream::step_handshake() {
  tls::status st = engine_.handshake();
  if (st == tls::status::ok) {
    complete(hs_handler_, std::error_code());
    return true;
  }
  if (st == tls::status::want_input) {
    if (socket_eof_) error_ = make_error_code(tls_errc::handshake_failed);
    need_input_ = true;
    return false;
  }
  error_ = make_error_code(tls_errc::handshake_failed);
  return false;
}

bool tls_stream::step_read() {
  std::size_t got = 0;
  tls::status st = engine_.read(rd_buf_, rd_cap_, got);
  std::error_code ec;
  if (st == tls::status::ok && got > 0) {
    // Gather the records already received into the caller's buffer: one larger write
    // downstream instead of one per 16 KiB record. What stops the loop (want_input, close,
    // error) is seen again by the next read.
    std::size_t more = 0;
    while (got < rd_cap_ && engine_.has_buffered_input() &&
           engine_.read(rd_buf_ + got, rd_cap_ - got, more) == tls::status::ok && more > 0)
      got += more;
    ec = std::error_code();
  } else if (st == tls::status::closed) {
    ec = asio::error::eof;
  } else if (st == tls::status::want_input) {
    if (!socket_eof_) {
      need_input_ = true;
      return false;
    }
    truncated_ = true;
    ec = asio::error::eof;
  } else {
    error_ = make_error_code(tls_errc::protocol_error);
    return false;
  }
  io_handler done;
  done.swap(rd_handler_);
  deliver([done, ec, got]() { done(ec, got); });
  return true;
}

void tls_stream::wait_readable(handler h) {
  // A read that gathered several records may already have met close_notify or an error;
  // the next read reports it, so it must not wait for the socket.
  if (engine_.has_buffered_input() || engine_.peer_closed() || engine_.failed() || socket_eof_ ||
      error_) {
    std::error_code ec = error_;
    asio::post(socket_.get_executor(), [h, ec]() { h(ec); });
    return;
  }
  std::shared_ptr<tls_stream> self = shared_from_this();
  socket_.async_wait(asio::ip::tcp::socket::wait_read, [self, h](const std::error_code& ec) {
    if (!ec) self->readable_ = true;  // the read that follows takes the data at once
    h(ec);
  });
}

// While records keep arriving the socket is read again at once, straight into the engine's
// input: pump() tries that first without the reactor while the last read filled its buffer;
// otherwise through the reactor (Asio's own read skips the recv that a socket it saw
// drained would fail). After a short read (less than a record) the engine frees its idle
// buffers and the next read first waits for readability, holding no buffer.
void tls_stream::start_socket_read() {
  if (reading_ || socket_eof_) return;
  reading_ = true;
  if (peer_busy_) return read_socket();
  // About to wait for a quiet peer: whatever was received has been consumed, so let go of
  // the buffers (the engine keeps a partial record, if any).
  if (!writing_) std::vector<std::uint8_t>().swap(tx_);
  engine_.release_idle_buffers();
  std::shared_ptr<tls_stream> self = shared_from_this();
  socket_.async_wait(asio::ip::tcp::socket::wait_read, [self](const std::error_code& ec) {
    if (ec) {
      self->reading_ = false;
      if (!self->error_) self->error_ = ec;
      return self->after_io();
    }
    self->read_socket_now();
  });
}

// The socket has been reported readable: read at once instead of starting another reactor
// operation (Asio's select reactor interrupts its select() for every operation it starts,
// so this saves a pipe write, a read and a select per message on interactive sessions).
void tls_stream::read_socket_now() {
  if (!read_into_engine()) return read_socket();  // readiness was spurious
  reading_ = false;
  after_io();
}

// Input the engine wants, on a socket that wait_readable found readable or that the last
// read left with more to come (it filled its buffer): read it here, without a reactor
// operation. False when there was nothing to read.
bool tls_stream::read_ready_input() {
  if (reading_ || socket_eof_) return false;
  if (!readable_ && (!peer_busy_ || drained_)) return false;
  return read_into_engine();
}

// One non-blocking read into the engine's input; false (nothing noted) when it would block.
bool tls_stream::read_into_engine() {
  const std::size_t size = peer_busy_ ? bulk_read_size : record_read_size;
  std::uint8_t* space = engine_.input_space(size);
  std::error_code ec;
  std::size_t n = socket_.read_some(asio::buffer(space, size), ec);
  if (ec == asio::error::would_block || ec == asio::error::try_again) {
    engine_.input_received(0);
    readable_ = false;
    drained_ = true;
    return false;
  }
  note_socket_read(ec, n);
  drained_ = n < size;  // less than asked for: the socket had no more
  return true;
}

void tls_stream::read_socket() {
  std::shared_ptr<tls_stream> self = shared_from_this();
  const std::size_t size = peer_busy_ ? bulk_read_size : record_read_size;
  std::uint8_t* space = engine_.input_space(size);
  socket_.async_read_some(asio::buffer(space, size), [self, size](const std::error_code& ec, std::size_t n) {
    self->socket_read_done(ec, n, size);
  });
}

void tls_stream::socket_read_done(const std::error_code& ec, std::size_t n, std::size_t asked) {
  reading_ = false;
  note_socket_read(ec, n);
  drained_ = n < asked;
  after_io();
}

void tls_stream::note_socket_read(const std::error_code& ec, std::size_t n) {
  readable_ = false;
  engine_.input_received(n);
  bytes_in_ += n;
  peer_busy_ = n >= busy_read;
  if (ec == asio::error::eof) socket_eof_ = true;
  else if (ec && !error_) error_ = ec;
}

void tls_stream::start_socket_write() {
  if (writing_) return;
  // Try at once: a socket with room in its send buffer (the usual case) takes it all, and
  // the reactor is not involved. What is left goes out asynchronously.
  std::error_code ec;
  std::size_t n = socket_.write_some(asio::buffer(engine_.output(), engine_.output_size()), ec);
  if (ec == asio::error::would_block || ec == asio::error::try_again) {
    ec = std::error_code();
  } else if (ec) {
    if (!error_) error_ = ec;
    return;
  }
  bytes_out_ += n;
  engine_.consume_output(n);
  if (engine_.output_size() == 0) return;
  writing_ = true;
  // The engine may append ciphertext (alerts, key updates) while this write is in flight,
  // so the socket writes from a buffer of its own (swapped out of the engine, not copied).
  engine_.take_output(tx_);
  std::shared_ptr<tls_stream> self = shared_from_this();
  asio::async_write(socket_, asio::buffer(tx_), [self](const std::error_code& ec, std::size_t n) {
    self->writing_ = false;
    self->bytes_out_ += n;
    self->tx_.clear();
    if (ec && !self->error_) self->error_ = ec;
    self->after_io();
  });
}

}  // namespace transport
}  // namespace tlsmux
