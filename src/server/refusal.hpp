// SPDX-License-Identifier: GPL-2.0-or-later
// The refusal of a connection over a limit (docs/protocol.md 1.1): a client that starts TLS
// gets a plaintext fatal user_canceled alert, so it can say "server busy" rather than
// "network broken". The server waits a bounded time for the ClientHello, answers, closes its
// sending side and reads until the client closes (so the close is a FIN, never a reset that
// could overtake the alert). At most a few refusals wait at once; beyond them a connection is
// answered with what has arrived and closed at once, as under a flood.
#ifndef TLSMUX_SERVER_REFUSAL_HPP
#define TLSMUX_SERVER_REFUSAL_HPP

#include <asio/ip/tcp.hpp>
#include <atomic>
#include <cstddef>
#include <memory>

namespace tlsmux {
namespace server {

/// How long a refused connection may wait in total (for its ClientHello, then the client's
/// close). How many may wait at once is session_limits::refusals_waiting.
const unsigned refusal_wait_ms = 2000;

/// Refuses connections; shared by every loop (the count is atomic).
class refuser {
 public:
  refuser() : waiting_(std::make_shared<std::atomic<std::size_t> >(0)) {}
  /// Takes the socket and refuses it on its own executor; it waits only while fewer than
  /// `max_waiting` refusals do.
  void refuse(asio::ip::tcp::socket socket, std::size_t max_waiting);
  /// Refusals waiting now.
  std::size_t waiting() const { return *waiting_; }

 private:
  std::shared_ptr<std::atomic<std::size_t> > waiting_;
};

}  // namespace server
}  // namespace tlsmux

#endif
