// SPDX-License-Identifier: GPL-2.0-or-later
// The client half of UDP ASSOCIATE for `tlsmux socks`: a real RFC 1928 UDP relay socket on
// loopback for the local application, translated to and from TLSMUX's in-stream frames.
// Only the requesting application's address may use the relay; it ends with the
// application's TCP control connection or with the TLS stream.
#ifndef TLSMUX_CLIENT_UDP_RELAY_HPP
#define TLSMUX_CLIENT_UDP_RELAY_HPP

#include "relay/stream.hpp"
#include "transport/tls_stream.hpp"
#include "transport/udp_frame_stream.hpp"

#include <asio/ip/udp.hpp>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace tlsmux {
namespace client {

/// One application's UDP association.
class udp_relay : public std::enable_shared_from_this<udp_relay> {
 public:
  typedef std::function<void(const std::string& reason)> done_handler;

  /// control: the application's TCP connection; app: its address (and port when it
  /// announced one in the request, else 0); tls: the established TLSMUX session.
  udp_relay(std::shared_ptr<relay::stream> control, std::shared_ptr<transport::tls_stream> tls,
            const asio::ip::udp::endpoint& app, done_handler done);

  /// Binds the relay socket next to local (a loopback address); false with error set.
  bool open(const asio::ip::address& local, std::string& error);
  /// The address the application must send to (BND of the reply).
  asio::ip::udp::endpoint endpoint() const;
  /// Starts relaying; leftover holds frame bytes that arrived with the reply.
  void start(const std::vector<std::uint8_t>& leftover);
  /// Ends the association.
  void stop(const std::string& reason);

  std::uint64_t datagrams_up() const { return up_; }
  std::uint64_t datagrams_down() const { return down_; }
  std::uint64_t dropped() const { return dropped_; }

 private:
  void watch_control();
  void receive_app();
  void handle_frame(const socks5::datagram& d);
  void finish(const std::string& reason);

  std::shared_ptr<relay::stream> control_;
  transport::udp_frame_stream frames_;
  asio::ip::udp::endpoint app_;
  done_handler done_;
  asio::ip::udp::socket socket_;
  asio::ip::udp::endpoint from_;
  std::vector<std::uint8_t> udp_buf_, out_packet_;
  std::uint8_t control_byte_ = 0;
    std::uint64_t up_ = 0, down_ = 0, dropped_ = 0;
};

}  // namespace client
}  // namespace tlsmux

#endif
