// SPDX-License-Identifier: GPL-2.0-or-later
// splice: the two-way relay with backpressure and half-close.
#include "relay/splice.hpp"

#include <asio/error.hpp>
#include <algorithm>
#include <cstring>

namespace tlsmux {
namespace relay {

namespace {
// A read of less than one TLS record's worth means the direction is interactive or going
// quiet: its buffer is freed and the next read waits for readability first. Bulk transfers
// read more than this and keep their buffer.
const std::size_t busy_read = 16384;
}  // namespace

const char* end_name(splice_end e) {
  switch (e) {
    case splice_end::eof: return "eof";
    case splice_end::read_failed: return "read";
    case splice_end::write_failed: return "write";
    case splice_end::stopped: return "stopped";
  }
  return "?";
}

std::string describe(const splice_outcome& o) {
  if (o.end == splice_end::eof || o.end == splice_end::stopped) return end_name(o.end);
  std::string who = o.side == splice_side::a ? "client " : "service ";
  return who + end_name(o.end) + ": " + (o.ec ? o.ec.message() : std::string("no data"));
}

splice::splice(std::shared_ptr<stream> a, std::shared_ptr<stream> b, std::size_t buffer_size,
               done_handler done)
    : done_(done), last_activity_(std::chrono::steady_clock::now()) {
  dir_[0].from = a;
  dir_[0].to = b;
  dir_[1].from = b;
  dir_[1].to = a;
  dir_[0].size = buffer_size;
  dir_[1].size = buffer_size;
}

void splice::start(const std::vector<std::uint8_t>& first_a_to_b,
                   const std::vector<std::uint8_t>& first_b_to_a) {
  const std::vector<std::uint8_t>* first[2] = {&first_a_to_b, &first_b_to_a};
  for (int d = 0; d < 2; ++d) {
    if (first[d]->empty()) {
      read(d);
      continue;
    }
    // Pipelined bytes (at most what a negotiation read) fit the buffer, or get one of their own.
    dir_[d].size = std::max(dir_[d].size, first[d]->size());
    dir_[d].buf.reset(new std::uint8_t[dir_[d].size]);
    std::memcpy(dir_[d].buf.get(), first[d]->data(), first[d]->size());
    write(d, first[d]->size());
  }
}

// A direction holds its buffer only while data keeps coming: after a short read it lets
// the buffer go and waits for readability first, so idle sessions cost no relay memory.
void splice::read(int d) {
  if (finished_) return;
  if (dir_[d].buf) return read_into_buffer(d);
  std::shared_ptr<splice> self = shared_from_this();
  dir_[d].from->wait_readable([self, d](const std::error_code&) {
    if (self->finished_) return;
    self->read_into_buffer(d);  // errors surface from the read itself
  });
}

void splice::read_into_buffer(int d) {
  std::shared_ptr<splice> self = shared_from_this();
  direction& dr = dir_[d];
  if (!dr.buf) dr.buf.reset(new std::uint8_t[dr.size]);
  dr.from->read_some(dr.buf.get(), dr.size,
                     [self, d](const std::error_code& ec, std::size_t n) {
                       if (self->finished_) return;
                       if (n > 0) {
                         self->write(d, n);
                         return;
                       }
                       if (ec == asio::error::eof) {
                         self->end_direction(d);
                       } else {
                         self->fail(splice_end::read_failed, d, ec);
                       }
                     });
}

void splice::write(int d, std::size_t n) {
  last_activity_ = std::chrono::steady_clock::now();
  std::shared_ptr<splice> self = shared_from_this();
  direction& dr = dir_[d];
  dr.to->write(dr.buf.get(), n, [self, d, n](const std::error_code& ec) {
    if (self->finished_) return;
    if (ec) {
      self->fail(splice_end::write_failed, 1 - d, ec);
      return;
    }
    self->dir_[d].bytes += n;
    if (n < std::min<std::size_t>(self->dir_[d].size, busy_read)) self->dir_[d].buf.reset();
    self->read(d);
  });
}

// A clean EOF on one side becomes a half-close on the other.
void splice::end_direction(int d) {
  if (d == 1 && finish_on_b_eof_) {
    dir_[1].to->shutdown_send([](const std::error_code&) {});
    finish(splice_outcome());
    return;
  }
  std::shared_ptr<splice> self = shared_from_this();
  dir_[d].to->shutdown_send([self, d](const std::error_code&) {
    if (self->finished_) return;
    self->dir_[d].done = true;
    if (self->dir_[0].done && self->dir_[1].done) self->finish(splice_outcome());
  });
}

void splice::stop() {
  splice_outcome o;
  o.end = splice_end::stopped;
  finish(o);
}

// Stream d (0: a, 1: b) failed.
void splice::fail(splice_end e, int d, const std::error_code& ec) {
  splice_outcome o;
  o.end = e;
  o.side = d == 0 ? splice_side::a : splice_side::b;
  o.ec = ec;
  finish(o);
}

void splice::finish(const splice_outcome& o) {
  if (finished_) return;
  finished_ = true;
  dir_[0].from->close();
  dir_[1].from->close();
  done_handler done;
  done.swap(done_);
  if (done) done(o);
}

}  // namespace relay
}  // namespace tlsmux
