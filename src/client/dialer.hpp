// SPDX-License-Identifier: GPL-2.0-or-later
// The TLSMUX dialer: TCP connect, TLS handshake, server verification, SOCKS5 negotiation,
// returning an established stream to the requested service. Every client command,
// `tlsmux bench` and the tests share it.
#ifndef TLSMUX_CLIENT_DIALER_HPP
#define TLSMUX_CLIENT_DIALER_HPP

#include "socks5/client_codec.hpp"
#include "tls/context.hpp"
#include "transport/tls_stream.hpp"

#include <asio/ip/tcp.hpp>
#include <asio/steady_timer.hpp>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace tlsmux {
namespace client {

/// Decides whether a server certificate is acceptable (pin, known_hosts, ...).
/// Returns true to continue; otherwise sets a message for the user. On success it may set
/// the message to how the key was accepted ("pin matches --pin"), logged with -v.
typedef std::function<bool(const std::vector<std::uint8_t>& cert_der, std::string& message)>
    verifier;

/// A saved TLS session shared by the dials that resume it (tlsmux bench --resume).
struct session_slot {
  std::shared_ptr<WOLFSSL_SESSION> session;  ///< the latest session; null before the first
};

/// What to dial.
struct dial_request {
  std::shared_ptr<tls::context> tls;  ///< a client context
  std::string host;                   ///< TLSMUX server name or address
  std::uint16_t port = 4430;
  std::string server_name;            ///< SNI / name check; defaults to host
  bool check_name = false;            ///< verify the certificate name (with --ca)
  std::string ca_file;                ///< --ca FILE, named in messages
  verifier verify;                    ///< extra check of the server certificate (pin, TOFU)
  std::string user, password;         ///< RFC 1929 credentials; empty: anonymous only
  bool client_cert = false;           ///< the context carries a client certificate (--cert)
  socks5::command cmd = socks5::command::connect;
  socks5::address target;             ///< the service on the server
  std::uint32_t timeout_ms = 15000;   ///< whole dial: connect + TLS + SOCKS
  unsigned keepalive_s = 120;         ///< TCP keepalive of the TLS leg and the local legs; 0: off
  std::shared_ptr<session_slot> resume;  ///< optional: offer this session, keep the new one
  bool verify_only = false;           ///< stop once the server is verified (start-up check)
  /// CONNECT only, optional: called once as the request is written, with the most bytes
  /// it may return (max_first_bytes); the first application bytes it returns go right
  /// behind the request, in the same flight, which saves a round trip when the client
  /// speaks first. A server that refuses the request never passes them on.
  std::function<std::vector<std::uint8_t>(std::size_t max)> first_bytes;
};

/// The most first bytes sent behind a request: what every tlsmux server keeps of a client's
/// input beyond its request while it decides (its negotiation limit).
const std::size_t max_first_bytes = 1024;

/// Outcome of a dial.
struct dial_result {
  std::error_code ec;                     ///< set on failure
  std::string message;                    ///< user-facing description of a failure
  int socks_reply = -1;                   ///< REP byte when the server answered
  bool auth_refused = false;              ///< the server wanted credentials or refused them
  socks5::address bound;                  ///< BND of the reply
  std::shared_ptr<transport::tls_stream> stream;  ///< established on success
  std::vector<std::uint8_t> leftover;     ///< bytes after the reply (service data)
  std::size_t first_bytes_sent = 0;       ///< first bytes that went behind the request
};

/// Dials once; done is called exactly once.
void dial(asio::io_context& io, const dial_request& req,
          std::function<void(const dial_result&)> done);

/// "the server refused: 10.0.0.1:22 is not exposed (not allowed by ruleset) (SOCKS reply
/// 0x02); ask for a service ..." and the like (client/diagnosis.hpp).
std::string describe_reply(int code, const std::string& target);

}  // namespace client
}  // namespace tlsmux

#endif
