// SPDX-License-Identifier: GPL-2.0-or-later
// One client connection on the server: TLS handshake -> SOCKS5 negotiation -> policy ->
// connect to the local service -> reply -> relay -> one log line. Each phase has an
// absolute deadline; the relay has an idle timeout.
#ifndef TLSMUX_SERVER_SESSION_HPP
#define TLSMUX_SERVER_SESSION_HPP

#include "identity/ident_registry.hpp"
#include "identity/source_select.hpp"
#include "policy/decider.hpp"
#include "relay/splice.hpp"
#include "transport/tcp_stream.hpp"
#include "transport/tls_stream.hpp"
#include "server/bind_listener.hpp"
#include "server/name_lookups.hpp"
#include "server/password_check.hpp"
#include "server/snapshot.hpp"
#include "server/status_report.hpp"
#include "server/session_record.hpp"
#include "server/udp_association.hpp"
#include "socks5/negotiator.hpp"

#include <asio/ip/tcp.hpp>
#include <asio/steady_timer.hpp>
#include <chrono>
#include <memory>
#include <string>

namespace tlsmux {
namespace server {

class session;

/// 0.0.0.0:0, the BND of replies that bind nothing.
socks5::address no_address();

/// What a session needs from the server that owns it.
class session_owner : public socket_budget {
 public:
  virtual ~session_owner() {}
  /// The host's interface addresses (cached).
  virtual policy::address_source& local_addresses() = 0;
  /// Called once when the session has ended and logged.
  virtual void session_closed(session* s) = 0;
  /// Checks RFC 1929 passwords off the event loops, behind the login throttle.
  virtual password_checker& passwords() = 0;
  /// Name lookups, bounded server-wide and per client.
  virtual name_lookups& lookups() = 0;
  /// Called once when TLS and the SOCKS negotiation are done: the session leaves the
  /// startup budget. False when the server has already chosen to drop it.
  virtual bool session_negotiated(session* s) = 0;
  /// The connections the ident responder answers for; null when it does not run.
  virtual identity::ident_registry* idents() = 0;
};

/// A server session. Create with make_shared, then start().
class session : public std::enable_shared_from_this<session> {
 public:
  session(asio::ip::tcp::socket socket, std::shared_ptr<const snapshot> snap, session_owner& owner);
  ~session();

  /// Starts the handshake; the session keeps itself alive until it ends.
  void start();
  /// Ends the session now (shutdown after the drain timeout).
  void stop(const std::string& reason);
  /// Whom the session counts against in the server's limits.
  client_key client() const { return who_; }
  /// The loop the session runs on; every call but this one must be made there.
  asio::any_io_executor executor() { return service_.get_executor(); }
  /// A one-line description for the SIGUSR2 status dump.
  std::string describe() const;
  /// The session as `tlsmux status` shows it.
  session_status status() const;

 private:
  class name_resolver;

  void arm_deadline(std::uint32_t ms, const char* what);
  void on_deadline(const char* what);
  void on_handshake(const std::error_code& ec);
  void learn_certificate(const std::vector<std::uint8_t>& der);
  void read_negotiation();
  void on_negotiation_data(const std::error_code& ec, std::size_t n);
  void advance_negotiation();
  void check_password();
  void on_password_checked(const password_verdict& v);
  void negotiation_failed();
  void on_request();
  void on_verdict(const policy::verdict& v);
  void connect_next();
  std::string same_address_note() const;
  void on_connect(const std::error_code& ec);
  identity::id_class id_class() const;
  void send_proxy_header(std::function<void()> next);
  void send_reply(socks5::reply_code code, const socks5::address& bnd, std::function<void()> next);
  policy::session_facts facts() const;
  void start_udp();
  void send_help();
  void start_bind();
  void on_bind_accept(const std::error_code& ec);
  void bind_timed_out();
  void start_relay();
  void check_idle();
  void finish(const std::string& reason);
  session_traffic traffic() const;

  std::shared_ptr<const snapshot> snap_;
  session_owner& owner_;
  asio::ip::tcp::endpoint client_, arrival_;
  client_key who_;  ///< the client's network, as the limits count it
  std::shared_ptr<transport::tls_stream> tls_;
  asio::ip::tcp::socket service_;
  asio::steady_timer deadline_, idle_;
  std::shared_ptr<name_resolver> resolver_;
  std::unique_ptr<policy::decider> decider_;
  std::unique_ptr<socks5::negotiator> negotiator_;
  std::vector<std::uint8_t> neg_in_, neg_out_, rx_, proxy_out_;
  policy::verdict verdict_;
  std::size_t target_index_ = 0;
  std::error_code last_connect_error_;
  std::shared_ptr<relay::splice> splice_;
  std::shared_ptr<udp_association> udp_;
  bind_listener bind_;
  std::chrono::steady_clock::time_point started_;
  session_record record_;   ///< phase and the facts of the log line
  identity::ident_registry::token ident_token_ = 0;  ///< this session's entry for ident
  std::vector<std::string> cert_names_, cert_cas_;  ///< the client certificate, for the policy
  bool cert_global_ = false;
  bool finished_ = false;
};

}  // namespace server
}  // namespace tlsmux

#endif
