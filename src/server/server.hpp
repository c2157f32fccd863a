// SPDX-License-Identifier: GPL-2.0-or-later
// The daemon: listeners, reload, drain and status, around a session table that keeps the
// limits.
#ifndef TLSMUX_SERVER_SERVER_HPP
#define TLSMUX_SERVER_SERVER_HPP

#include "server/ident_responder.hpp"
#include "server/listener.hpp"
#include "server/local_cache.hpp"
#include "server/name_lookups.hpp"
#include "server/refusal.hpp"
#include "server/session.hpp"
#include "server/session_table.hpp"
#include "server/status_report.hpp"
#include "server/workers.hpp"

#include <asio/io_context.hpp>
#include <asio/steady_timer.hpp>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace tlsmux {
namespace server {

/// The login throttle's file in the state directory under --inetd.
const char* const inetd_throttle_file = "login-throttle";

/// Re-reads the configuration for a reload: fills cfg or appends error messages.
typedef std::function<bool(config::server_config& cfg, std::vector<std::string>& errors)> loader;

/// The TLSMUX server. Listeners, signals, reload and drain run on the loop it is given;
/// with start_threads(N) sessions are spread over N loops, and share one session_table.
class server : public session_owner, public listener_owner {
 public:
  server(asio::io_context& io, loader load);
  ~server();

  /// Binds every listener, loads certificates and logs capacity and exposure warnings.
  /// With `adopted` (sockets a service manager passed, already listening) those are the
  /// listeners and `listen =` is not used. Returns false with errors when nothing can be served.
  bool start(const config::server_config& cfg, std::vector<std::string>& errors,
             const std::vector<platform::socket_handle>& adopted = std::vector<platform::socket_handle>());
  /// Serves exactly one connection (inetd mode); the server stops when it ends.
  bool start_single(const config::server_config& cfg, asio::ip::tcp::socket socket,
                    std::vector<std::string>& errors);
  /// Spreads new sessions over `threads` event loops (this one included); call before the
  /// loop runs. Returns false with a message when a thread cannot be started.
  bool start_threads(std::size_t threads, std::string& error);
  /// Stops and joins the extra loops (after the main loop has returned).
  void stop_threads();
  /// SIGHUP: re-reads configuration, certificates and catalog; sessions keep their snapshot.
  /// False (logged) when the new configuration fails and the running one stays.
  bool reload();
  /// SIGTERM: stops accepting, lets sessions finish for drain-timeout, then closes them;
  /// a second call during the drain closes them at once and ends the loop.
  void shutdown();
  /// SIGUSR2: logs one line per active session.
  void dump_status();
  /// `tlsmux status`: gathers every session on its own loop, then calls done(report) on
  /// this server's loop. Call on that loop.
  void collect_status(std::function<void(const server_status&)> done);
  /// Bound listener endpoints.
  std::vector<asio::ip::tcp::endpoint> endpoints() const;
  /// Number of active sessions.
  std::size_t session_count() const;
  /// The session cap in force.
  std::size_t session_cap() const;
  /// Connections refused by allow-from/deny-from since the start.
  std::uint64_t filtered_connections() const { return filtered_.load(); }

  // session_owner
  policy::address_source& local_addresses() override { return addresses_; }
  void session_closed(session* s) override;
  password_checker& passwords() override { return passwords_; }
  name_lookups& lookups() override { return lookups_; }
  bool session_negotiated(session* s) override;
  identity::ident_registry* idents() override { return ident_ ? &idents_ : nullptr; }
  bool acquire_extra_socket(const client_key& who) override;
  void release_extra_socket(const client_key& who) override;
  // listener_owner
  bool admit(asio::ip::tcp::socket& socket) override;
  void accepted(asio::ip::tcp::socket socket) override;
  asio::io_context& accept_context() override;

 private:
  session_limits plan_limits(const config::server_config& cfg) const;
  void open_listeners(const config::server_config& cfg, std::vector<std::string>& errors);
  void adopt_listeners(const std::vector<platform::socket_handle>& fds, std::vector<std::string>& errors);
  void log_exposure(const snapshot& snap);
  void maybe_finish_drain();
  void stop_sessions();
  void configure_throttle();
  void configure_lookups();
  void drop_startup(const std::shared_ptr<session>& victim, const char* why);
  bool start_ident(const config::server_config& cfg, std::vector<std::string>& errors);
  bool client_filtered(asio::ip::tcp::socket& socket, const asio::ip::address& client);

  asio::io_context& io_;
  identity::ident_registry idents_;  // before the sessions: they leave it when they end
  workers pool_;  // before the session table: sessions go first, their loops after
  name_lookups lookups_;  // after the loops: stops answering before they go
  loader load_;
  std::shared_ptr<const snapshot> snap_;
  std::vector<std::unique_ptr<listener> > listeners_;
  std::vector<std::string> listen_spec_;
  cached_addresses addresses_;
  password_checker passwords_;  ///< its throttle survives reloads
  refuser refusals_;  ///< connections over a limit (docs/protocol.md 1.1)
  session_table<session> table_;  ///< loops in pool_ order; shared by every loop
  asio::steady_timer drain_timer_;
  std::unique_ptr<ident_responder> ident_;  ///< ident = yes: bound at start, kept over reloads
  bool single_ = false;
  bool adopted_ = false;  ///< listeners from the service manager
  std::chrono::steady_clock::time_point started_at_;
  std::atomic<std::uint64_t> accepted_count_{0}, refused_count_{0}, ended_count_{0};
  std::vector<std::string> last_exposure_;  ///< the trust-sensitive port warnings last logged
  bool exposure_logged_ = false;
  std::atomic<std::uint64_t> filtered_{0};  ///< connections refused by allow-from/deny-from
};

}  // namespace server
}  // namespace tlsmux

#endif
