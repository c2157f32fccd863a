// SPDX-License-Identifier: GPL-2.0-or-later
// The server's SOCKS5 negotiation as a pure state machine: greeting -> [RFC 1929 auth] ->
// request. It consumes client bytes, appends the bytes to send, and ends in exactly one of
// "request ready" or "failed". It never does I/O and never blocks.
#ifndef TLSMUX_SOCKS5_NEGOTIATOR_HPP
#define TLSMUX_SOCKS5_NEGOTIATOR_HPP

#include "socks5/server_codec.hpp"

#include <functional>
#include <string>

namespace tlsmux {
namespace socks5 {

/// Which methods the server offers for this session.
struct method_policy {
  bool anonymous = true;      ///< offer 0x00 (the draft makes it mandatory by default)
  bool password = false;      ///< offer 0x02 (a password file is configured)
  bool certificate = false;   ///< the TLS layer authenticated a client certificate
  std::string cert_identity;  ///< that certificate's identity, when certificate is true
};

/// Checks RFC 1929 credentials; returns true and may set identity (default: the user name).
typedef std::function<bool(const credentials&, std::string& identity)> password_check;

/// Server-side negotiation state machine.
class negotiator {
 public:
  /// Outcome of feed(). check_password comes only from a negotiator made without a
  /// password_check: the caller checks pending_credentials() (for example on another
  /// thread) and answers with password_checked(); feed() consumes nothing until then.
  enum class state { need_more, check_password, request_ready, failed };
  /// How the session authenticated.
  enum class auth { none, anonymous, password, certificate };

  /// With an empty check, RFC 1929 credentials are checked by the caller (check_password).
  negotiator(const method_policy& policy, password_check check);
  ~negotiator();

  /// Consumes bytes from p[0..n); sets used to the bytes taken. Appends replies to out.
  /// After request_ready, request() holds the request and bytes after it stay unconsumed
  /// (pipelined payload). After failed, out holds any final reply and reason() says why;
  /// the caller flushes out and closes. Once finished, further calls consume nothing.
  state feed(const std::uint8_t* p, std::size_t n, std::size_t& used, bytes& out);

  /// The credentials to check (valid after check_password).
  const credentials& pending_credentials() const { return pending_; }
  /// The caller's verdict on pending_credentials(): RFC 1929 status 0x00 lets the session
  /// on (identity: empty for the user name); any other status is sent and the negotiation
  /// fails with `note` added to its reason. Appends the status message to out. The password
  /// is wiped. Then feed() again with the bytes not yet used.
  state password_checked(std::uint8_t status, const std::string& identity, const std::string& note,
                         bytes& out);

  /// The parsed request (valid after request_ready).
  const request& get_request() const { return request_; }
  /// How the client authenticated (valid after request_ready).
  auth authenticated_by() const { return auth_; }
  /// "anonymous", the password user name, or the certificate identity.
  const std::string& identity() const { return identity_; }
  /// Short reason for a failure, for the session's log line; may hold the peer's raw user
  /// name, so it is printed only as an escaped log field.
  const std::string& reason() const { return reason_; }
  /// The REP byte of a failure reply the negotiator wrote (0x01, 0x08), or -1.
  int reply_sent() const { return reply_sent_; }

 private:
  enum class phase { greeting, userpass, checking, request, done };

  state on_greeting(const std::uint8_t* p, std::size_t n, std::size_t& used, bytes& out);
  state on_userpass(const std::uint8_t* p, std::size_t n, std::size_t& used, bytes& out);
  state on_request(const std::uint8_t* p, std::size_t n, std::size_t& used, bytes& out);
  state fail(const std::string& why);

  method_policy policy_;
  password_check check_;
  phase phase_ = phase::greeting;
  state final_ = state::need_more;
  credentials pending_;
  request request_;
  auth auth_ = auth::none;
  std::string identity_;
  std::string reason_;
  int reply_sent_ = -1;
};

}  // namespace socks5
}  // namespace tlsmux

#endif
