// SPDX-License-Identifier: GPL-2.0-or-later
// stdio_tunnel: dial, then splice stdio with the service.
#include "client/stdio_tunnel.hpp"

#include "transport/stdio_stream.hpp"

#include <cstdint>
#include <vector>

namespace tlsmux {
namespace client {

namespace {
const std::size_t stdio_buffer = 65536;

// The program reading our stdout closed it (`tlsmux connect ... | head -c1`): as for cat, a
// normal end, not an error.
bool reader_left(const relay::splice_outcome& o) {
  return o.end == relay::splice_end::write_failed && o.side == relay::splice_side::a &&
         o.ec == std::errc::broken_pipe;
}

}  // namespace

// stdin is read while the dial runs: what is there by the time the SOCKS request goes out
// (an ssh banner, an HTTP request) travels with it, in the TLS Finished flight.
void stdio_tunnel::start(done_handler done) {
  done_ = done;
  stdio_ = std::make_shared<prefetch_stream>(io_, std::make_shared<transport::stdio_stream>(io_), max_first_bytes);
  stdio_->start();
  std::shared_ptr<prefetch_stream> stdio = stdio_;
  req_.first_bytes = [stdio](std::size_t max) { return stdio->take(max); };
  dial(io_, req_, [this](const dial_result& r) {
    if (r.ec) return done_(false, r.message);
    pump(r);
  });
}

// Bytes the server sent right after its SOCKS reply go to stdout first.
void stdio_tunnel::pump(const dial_result& r) {
  done_handler done = done_;
  splice_ = std::make_shared<relay::splice>(stdio_, r.stream, stdio_buffer, [done](const relay::splice_outcome& o) {
    done(o.clean() || reader_left(o), o.clean() || reader_left(o) ? std::string() : relay::describe(o));
  });
  // The service closing ends the tunnel even while stdin stays open (a terminal).
  splice_->finish_when_b_closes();
  splice_->start(std::vector<std::uint8_t>(), r.leftover);
}

}  // namespace client
}  // namespace tlsmux
