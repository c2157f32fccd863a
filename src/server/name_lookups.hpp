// SPDX-License-Identifier: GPL-2.0-or-later
// Name lookups of the server (CONNECT and UDP datagram names), in parallel up to a bound
// with a share per client (issue 13, finding 4). Literals and names of the hosts file are
// answered at once, without the network; other names go to a small pool of threads that
// call getaddrinfo(), which cannot be interrupted. A session or association that ends
// abandons its lookups: queued ones are dropped, running ones are no longer answered, but
// they count against their client's share until getaddrinfo() returns, so a client that
// opens and closes sessions cannot take every thread either.
#ifndef TLSMUX_SERVER_NAME_LOOKUPS_HPP
#define TLSMUX_SERVER_NAME_LOOKUPS_HPP

#include "server/client_key.hpp"
#include "server/hosts_table.hpp"

#include <asio/any_io_executor.hpp>
#include <asio/ip/address.hpp>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <system_error>
#include <vector>

namespace tlsmux {
namespace server {

/// The bounds (tlsmux.conf: max-lookups, max-lookups-per-client).
struct lookup_limits {
  std::size_t threads = 16;    ///< lookups that wait on the network at once, all clients
  std::size_t per_client = 4;  ///< of those, queued or running, per client
};

/// One lookup in progress; abandon() (or destroying every copy) drops its answer.
class lookup {
 public:
  virtual ~lookup() {}
  /// The handler will not run; it is released on the calling thread or soon after.
  virtual void abandon() = 0;
};

/// The server's lookups. Thread-safe; handlers run on the executor given to start().
class name_lookups {
 public:
  typedef std::function<void(const std::error_code& ec, const std::vector<asio::ip::address>& addresses)> handler;

  /// A blocking lookup on the network (production: getaddrinfo through Asio).
  typedef std::function<std::error_code(const std::string& name, std::vector<asio::ip::address>& out)> blocking_lookup;

  /// hosts_path: the hosts file, read now and again at most every few seconds.
  /// network: the blocking lookup the threads run; empty: getaddrinfo (tests inject one).
  explicit name_lookups(const std::string& hosts_path, blocking_lookup network = blocking_lookup());
  /// Threads still blocked in getaddrinfo() are left to finish on their own; their answers
  /// are dropped.
  ~name_lookups();

  void configure(const lookup_limits& l);
  /// Re-reads the hosts file now (reload).
  void reload_hosts();
  /// Looks `name` up for client `who`; `done` runs on `ex` (never inline). A client over
  /// its share, or a full queue, gets resource_unavailable_try_again at once.
  std::shared_ptr<lookup> start(const client_key& who, const std::string& name,
                                const asio::any_io_executor& ex, handler done);

  struct state;

 private:
  bool answer_locally(const std::string& name, const asio::any_io_executor& ex,
                      std::vector<asio::ip::address>& out);

  std::shared_ptr<state> state_;
  std::string hosts_path_;
  std::mutex hosts_mutex_;
  hosts_table hosts_;
  std::chrono::steady_clock::time_point hosts_read_;
};

}  // namespace server
}  // namespace tlsmux

#endif
