// SPDX-License-Identifier: GPL-2.0-or-later
// The UDP-over-TLS mechanics both halves of UDP ASSOCIATE share (docs/protocol.md): frames
// read from the TLS stream and parsed as they complete, and framed datagrams queued for it
// with one write in flight. What a datagram means, and what ends an association, stays
// with its owner (client::udp_relay, server::udp_association).
#ifndef TLSMUX_TRANSPORT_UDP_FRAME_STREAM_HPP
#define TLSMUX_TRANSPORT_UDP_FRAME_STREAM_HPP

#include "socks5/udp_frame.hpp"
#include "transport/tls_stream.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace tlsmux {
namespace transport {

/// A member of its owner: each pending operation holds the owner (given to start()), and
/// with it this stream, alive.
class udp_frame_stream {
 public:
  /// The reasons given to `ended`, as the owner's log says them.
  struct wording {
    wording(const char* malformed_frame, const char* closed, const char* read_error, const char* write_error)
        : malformed(malformed_frame), eof(closed), read(read_error), write(write_error) {}
    std::string malformed;  ///< a frame of invalid length: the stream cannot go on
    std::string eof;        ///< the peer closed the stream
    std::string read;       ///< prefix of a read error's message
    std::string write;      ///< prefix of a write error's message
  };
  struct events {
    std::function<void(const socks5::datagram&)> frame;  ///< a well-formed frame
    std::function<void()> skipped;   ///< a malformed header inside a well-sized frame
    std::function<void()> received;  ///< bytes arrived from the TLS stream
    std::function<void(const std::string& reason)> ended;  ///< the stream failed
  };

  udp_frame_stream(std::shared_ptr<tls_stream> tls, const wording& words);

  /// Handles the frames in leftover (bytes that came with the request or reply), then reads.
  void start(const std::shared_ptr<void>& owner, const std::vector<std::uint8_t>& leftover, const events& on);
  /// Framed datagrams waiting for the TLS stream; append, then flush().
  std::vector<std::uint8_t>& pending() { return pending_; }
  void flush();
  /// No event is delivered after it; false when it was already stopped.
  bool stop();
  bool stopped() const { return stopped_; }
  tls_stream& tls() { return *tls_; }

 private:
  bool consume_frames();
  void read();

  std::shared_ptr<tls_stream> tls_;
  wording words_;
  events on_;
  std::weak_ptr<void> owner_;
  std::vector<std::uint8_t> rx_, in_, pending_, inflight_;
  bool writing_ = false, stopped_ = false;
};

}  // namespace transport
}  // namespace tlsmux

#endif
