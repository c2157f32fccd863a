// SPDX-License-Identifier: GPL-2.0-or-later
// splice: the two-way relay with backpressure and half-close.
#include "relay/splice.hpp"

#include <asio/error.hpp>

namespace tlsmux {
namespace relay {

splice::splice(std::shared_ptr<stream> a, std::shared_ptr<stream> b, std::size_t buffer_size,
               done_handler done)
    : done_(done), last_activity_(std::chrono::steady_clock::now()) {
  dir_[0].from = a;
  dir_[0].to = b;
  dir_[0].name = "client";
  dir_[1].from = b;
  dir_[1].to = a;
  dir_[1].name = "service";
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
    dir_[d].buf.assign(first[d]->begin(), first[d]->end());
    write(d, first[d]->size());
  }
}

// A direction holds its buffer only while data keeps coming: after a short read it lets
// the buffer go and waits for readability first, so idle sessions cost no relay memory.
void splice::read(int d) {
  if (finished_) return;
  if (!dir_[d].buf.empty()) return read_into_buffer(d);
  std::shared_ptr<splice> self = shared_from_this();
  dir_[d].from->wait_readable([self, d](const std::error_code&) {
    if (self->finished_) return;
    self->dir_[d].buf.resize(self->dir_[d].size);  // errors surface from the read itself
    self->read_into_buffer(d);
  });
}

void splice::read_into_buffer(int d) {
  std::shared_ptr<splice> self = shared_from_this();
  direction& dr = dir_[d];
  if (dr.buf.size() < dr.size) dr.buf.resize(dr.size);
  dr.from->read_some(dr.buf.data(), dr.buf.size(),
                     [self, d](const std::error_code& ec, std::size_t n) {
                       if (self->finished_) return;
                       if (n > 0) {
                         self->write(d, n);
                         return;
                       }
                       if (ec == asio::error::eof) {
                         self->end_direction(d);
                       } else {
                         self->finish(std::string(self->dir_[d].name) + " read: " +
                                      (ec ? ec.message() : std::string("no data")));
                       }
                     });
}

void splice::write(int d, std::size_t n) {
  last_activity_ = std::chrono::steady_clock::now();
  std::shared_ptr<splice> self = shared_from_this();
  direction& dr = dir_[d];
  dr.to->write(dr.buf.data(), n, [self, d, n](const std::error_code& ec) {
    if (self->finished_) return;
    if (ec) {
      self->finish(std::string(self->dir_[1 - d].name) + " write: " + ec.message());
      return;
    }
    self->dir_[d].bytes += n;
    if (n < self->dir_[d].size) std::vector<std::uint8_t>().swap(self->dir_[d].buf);
    self->read(d);
  });
}

// A clean EOF on one side becomes a half-close on the other.
void splice::end_direction(int d) {
  if (d == 1 && finish_on_b_eof_) {
    dir_[1].to->shutdown_send([](const std::error_code&) {});
    finish("eof");
    return;
  }
  std::shared_ptr<splice> self = shared_from_this();
  dir_[d].to->shutdown_send([self, d](const std::error_code&) {
    if (self->finished_) return;
    self->dir_[d].done = true;
    if (self->dir_[0].done && self->dir_[1].done) self->finish("eof");
  });
}

void splice::stop(const std::string& reason) { finish(reason); }

void splice::finish(const std::string& reason) {
  if (finished_) return;
  finished_ = true;
  dir_[0].from->close();
  dir_[1].from->close();
  done_handler done;
  done.swap(done_);
  if (done) done(reason);
}

}  // namespace relay
}  // namespace tlsmux
