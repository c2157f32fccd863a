// SPDX-License-Identifier: GPL-2.0-or-later
// stdio_tunnel: dial, then splice stdio with the service.
#include "client/stdio_tunnel.hpp"

#include "tlsmux/platform/files.hpp"
#include "tlsmux/platform/terminal.hpp"
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

// What stdin already holds when the SOCKS request goes out (an ssh banner, an HTTP request)
// travels with it, in the TLS Finished flight; nothing waits for more. Not from a terminal:
// a person types there, and the trust-on-first-use question reads it during the dial.
void stdio_tunnel::start(done_handler done) {
  done_ = done;
  if (!platform::stdin_is_tty())
    req_.first_bytes = [](std::size_t max) {
      std::vector<std::uint8_t> first(max);
      first.resize(platform::read_stdin_ready(first.data(), max));
      return first;
    };
  dial(io_, req_, [this](const dial_result& r) {
    if (r.ec) return done_(false, r.message);
    pump(r);
  });
}

// Bytes the server sent right after its SOCKS reply go to stdout first.
void stdio_tunnel::pump(const dial_result& r) {
  std::shared_ptr<transport::stdio_stream> stdio = std::make_shared<transport::stdio_stream>(io_);
  done_handler done = done_;
  splice_ = std::make_shared<relay::splice>(stdio, r.stream, stdio_buffer, [done](const relay::splice_outcome& o) {
    done(o.clean() || reader_left(o), o.clean() || reader_left(o) ? std::string() : relay::describe(o));
  });
  // The service closing ends the tunnel even while stdin stays open (a terminal).
  splice_->finish_when_b_closes();
  splice_->start(std::vector<std::uint8_t>(), r.leftover);
}

}  // namespace client
}  // namespace tlsmux
