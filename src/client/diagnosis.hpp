// SPDX-License-Identifier: GPL-2.0-or-later
// What a failed dial means for the user: every error a client can meet (DNS, TCP, TLS,
// verification, SOCKS method, login, reply, timeouts, the server's refusal) becomes one
// sentence with a hint of what to do. The library's codes are not in the sentence: the dialer
// logs them at debug level (`-v`). Pure and table-driven (diagnosis.cpp); tested as a table.
#ifndef TLSMUX_CLIENT_DIAGNOSIS_HPP
#define TLSMUX_CLIENT_DIAGNOSIS_HPP

#include <cstdint>
#include <string>
#include <system_error>

namespace tlsmux {
namespace client {

/// The steps of a dial, in order.
enum class dial_step { resolve, tcp_connect, tls_handshake, verification, socks_method, socks_login, socks_reply };

/// "DNS lookup", "TCP connect", "TLS handshake", "certificate verification", ...
const char* step_text(dial_step s);

/// What the sentences name.
struct dial_context {
  std::string host;           ///< the server as given
  std::uint16_t port = 4430;
  std::string server_name;    ///< the name checked in the certificate (default: host)
  std::string ca_file;        ///< --ca FILE, empty without
  std::string target;         ///< the service asked for, as text
  std::string user;           ///< --user, empty when anonymous
  std::uint32_t timeout_ms = 15000;
};

/// "timed out after 15s in the TLS handshake with HOST:PORT: ..." with what the step's
/// silence suggests.
std::string explain_timeout(const dial_context& c, dial_step s);
/// A failed name lookup of the server (asio's netdb errors, or a system error).
std::string explain_resolve(const dial_context& c, const std::error_code& ec);
/// A socket error at step s (connection refused, unreachable, reset, ...).
std::string explain_socket(const dial_context& c, dial_step s, const std::error_code& ec);
/// A failed TLS handshake: wolfSSL's code (0 when it gave none), the fatal alert the server
/// sent (-1: none) and the socket error under it. The server's refusal (user_canceled)
/// reads "server busy".
std::string explain_tls(const dial_context& c, int tls_code, int peer_alert, const std::error_code& ec);
/// The server's method choice 0xFF (no acceptable method).
std::string explain_no_method(const dial_context& c);
/// An RFC 1929 status other than 0x00 (tlsmux's lockout statuses included).
std::string explain_login(const dial_context& c, std::uint8_t status);
/// A SOCKS reply other than 0x00: "the server refused: ... (SOCKS reply 0x05); hint".
/// Without the generic hint when the caller has a more specific one (refusal_hints.hpp).
std::string explain_reply(const dial_context& c, int reply, bool with_hint = true);
/// --pin does not match the key the server presented.
std::string explain_pin_mismatch(const std::string& expected, const std::string& presented);
/// The server closed the TLS session after the handshake, before its SOCKS answer (a TLS 1.3
/// server judges a client certificate then): tls_code/peer_alert as for explain_tls.
std::string explain_closed_in_socks(const dial_context& c, int tls_code, int peer_alert);

}  // namespace client
}  // namespace tlsmux

#endif
