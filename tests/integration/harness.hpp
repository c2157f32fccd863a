// SPDX-License-Identifier: GPL-2.0-or-later
// In-process loopback harness: a tlsmux server, local services and a TLSMUX client, all on
// one io_context run by the test thread with a deadline, so a hang fails the test.
#ifndef TLSMUX_TESTS_INTEGRATION_HARNESS_HPP
#define TLSMUX_TESTS_INTEGRATION_HARNESS_HPP

#include "client/dialer.hpp"
#include "config/server_config.hpp"
#include "server/server.hpp"

#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace tlsmux {
namespace test {

/// A server configuration on 127.0.0.1:0 with the test certificate.
config::server_config test_config();

/// Runs io until done() is true or the deadline passes; returns done().
bool run_until(asio::io_context& io, std::function<bool()> done, int ms = 10000);

/// A TCP echo service on 127.0.0.1:0 that answers EOF with EOF (half-close aware).
class echo_service {
 public:
  explicit echo_service(asio::io_context& io);
  std::uint16_t port() const { return acceptor_.local_endpoint().port(); }
  std::size_t connections() const { return connections_; }

 private:
  void accept();
  asio::ip::tcp::acceptor acceptor_;
  std::size_t connections_ = 0;
};

/// A running server plus the loader used on reload.
struct server_fixture {
  asio::io_context io;
  config::server_config cfg = test_config();
  config::server_config next;  ///< what a reload loads
  std::unique_ptr<server::server> srv;
  std::vector<std::string> errors;

  /// Starts the server with cfg (and cfg.threads loops); false (errors set) on failure.
  bool start();
  std::uint16_t port() const;
};

/// The result of a synchronous dial through the fixture's server.
struct dialed {
  client::dial_result result;
  bool done = false;
};

/// Dials target through the server and runs the loop until the dial ends.
dialed dial_sync(server_fixture& f, const socks5::address& target, socks5::command cmd,
                 const std::string& user = "", const std::string& password = "");
/// The same through whatever listens on 127.0.0.1:port.
dialed dial_sync(asio::io_context& io, std::uint16_t port, const socks5::address& target, socks5::command cmd,
                 const std::string& user = "", const std::string& password = "");

/// The same with first application bytes sent behind the request (dial_request::first_bytes).
dialed dial_sync_first(server_fixture& f, const socks5::address& target, const std::vector<std::uint8_t>& first,
                       const std::string& user = "", const std::string& password = "");

/// Writes data through stream, half-closes, reads until EOF; returns what came back.
bool echo_round_trip(asio::io_context& io, std::shared_ptr<transport::tls_stream> stream,
                     const std::vector<std::uint8_t>& data, std::vector<std::uint8_t>& back,
                     int ms = 20000);

/// echo_round_trip on several streams at once; back[i] is what came back on streams[i].
bool echo_round_trips(asio::io_context& io, const std::vector<std::shared_ptr<transport::tls_stream> >& streams,
                      const std::vector<std::vector<std::uint8_t> >& data,
                      std::vector<std::vector<std::uint8_t> >& back, int ms = 20000);

/// Log lines captured during a test (the harness installs the capturing sink). Sessions on
/// other threads (`threads` > 1) add lines while the test reads them: all under the mutex.
class log_capture {
 public:
  /// True when some captured line contains text.
  bool contains(const std::string& text) const;
  /// Lines containing text.
  std::vector<std::string> matching(const std::string& text) const;
  void add(const std::string& line);
  void clear();

 private:
  mutable std::mutex mutex_;
  std::vector<std::string> lines_;
};
/// The capture installed by the server fixture (cleared when a fixture starts).
log_capture& capture();

/// Deterministic pseudo-random bytes.
std::vector<std::uint8_t> pattern(std::size_t n, std::uint32_t seed);

}  // namespace test
}  // namespace tlsmux

#endif
