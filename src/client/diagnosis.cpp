// SPDX-License-Identifier: GPL-2.0-or-later
// The tables of client errors and their hints. Sentences name things with {server}
// (HOST:PORT), {host}, {port}, {name}, {ca}, {target}, {user}, {timeout}, {step}.
#include "client/diagnosis.hpp"

#include "socks5/client_codec.hpp"

#include <asio/error.hpp>
#include <cstdio>

namespace tlsmux {
namespace client {

namespace {

struct code_text {
  int code;
  const char* text;
};

// wolfSSL's codes a client meets in a handshake (wolfssl/error-ssl.h, wolfcrypt/error-crypt.h).
const code_text tls_codes[] = {
    {-341, "not a TLS server (is {port} a TLSMUX port?)"},                     // LENGTH_ERROR
    {-311, "not a TLS server (is {port} a TLSMUX port?)"},                     // UNKNOWN_RECORD_TYPE
    {-326, "not a TLS server (is {port} a TLSMUX port?)"},                     // VERSION_ERROR
    {-306, "not a TLS server (is {port} a TLSMUX port?)"},                     // PARSE_ERROR
    {-188, "its certificate is not signed by the CA in --ca {ca}; give the CA that signed the "
           "server's certificate, or use --pin"},                               // ASN_NO_SIGNER_E
    {-155, "its certificate's signature does not verify with the CA in --ca {ca}; give the CA "
           "that signed it, or use --pin"},                                     // ASN_SIG_CONFIRM_E
    {-275, "its certificate is self-signed, not issued by the CA in --ca {ca}; use --pin with "
           "the pin the server prints at start"},                               // ASN_SELF_SIGNED_E
    {-322, "its certificate is not issued for the name {name}; connect by the name in the "
           "certificate, or give it with --server-name NAME"},                 // DOMAIN_NAME_MISMATCH
    {-325, "its certificate is not issued for the address {name}; connect by the name in the "
           "certificate, or give it with --server-name NAME"},                 // IPADDR_MISMATCH
    {-151, "its certificate has expired; renew it on the server (or check this machine's clock)"},
    {-150, "its certificate is not valid yet; check the clocks of this machine and of the server"},
    {-501, "no cipher suite in common; check --tls-profile and the server's tls-profile"},
    {-500, "no cipher suite in common; check --tls-profile and the server's tls-profile"},
    {-345, "the server sent no certificate; is {port} a TLSMUX port?"},      // NO_PEER_CERT
};

// Fatal alerts a server sends in a handshake (RFC 8446 6.2).
const code_text alerts[] = {
    {116, "the server requires a client certificate; give --cert FILE and --key FILE"},
    {48, "the server does not trust the client certificate; give one signed by the CA in the "
         "server's client-ca"},
    {42, "the server rejected the client certificate; give one signed by the CA in the "
         "server's client-ca"},
    {43, "the server rejected the client certificate (unsupported type); use an ECDSA or RSA "
         "certificate"},
    {44, "the server rejected the client certificate: it is revoked"},
    {45, "the server rejected the client certificate: it has expired; renew it"},
    {46, "the server rejected the client certificate; give one signed by the CA in the "
         "server's client-ca"},
    {70, "no TLS version in common; the server may accept TLS 1.3 only (try --tls-profile "
         "modern) or this client may be too old"},
    {40, "no TLS parameters in common; check --tls-profile and the server's tls-profile"},
    {71, "no TLS parameters in common; check --tls-profile and the server's tls-profile"},
    {112, "the server does not know the name {name}; give its name with --server-name NAME"},
    {80, "the server failed during the handshake; see the server's log"},
};

// Socket errors, the same whatever the step. Asio's own system category does not map to
// std::errc, so the table holds Asio's codes (errno values or WSA codes, by platform).
struct errc_text {
  asio::error::basic_errors code;
  const char* text;
};
const errc_text socket_errors[] = {
    {asio::error::connection_refused, "connection refused by {server}: nothing listens on port {port} "
                                    "(is the server running, and is {port} its port?)"},
    {asio::error::network_unreachable, "network unreachable for {server}: check this machine's "
                                     "network connection and routes"},
    {asio::error::host_unreachable, "host unreachable: {server} is down, or a firewall rejects port "
                                  "{port}"},
    {asio::error::connection_reset, "connection to {server} reset in the {step}: a firewall, or the "
                                  "server dropped it (see its log)"},
    {asio::error::connection_aborted, "connection to {server} aborted in the {step}: a network "
                                    "problem; try again"},
    {asio::error::access_denied, "not permitted to connect to {server}: a local firewall rule "
                                   "forbids it"},
    {asio::error::timed_out, "timed out in the {step} with {server}: the host does not answer (down, "
                           "or a firewall drops packets to port {port})"},
    {asio::error::broken_pipe, "connection to {server} broken in the {step}: a network problem, or "
                             "the server dropped it (see its log)"},
};

// What each step's silence suggests.
const char* const timeout_hints[] = {
    "the DNS server does not answer; check /etc/resolv.conf or give an address",
    "the host does not answer: it is down, or a firewall drops packets to port {port}",
    "{server} accepted the connection but sent no TLS answer: not a TLSMUX port, or a very loaded server",
    "the certificate check did not finish",
    "the server did not answer the SOCKS greeting; see the server's log",
    "the server did not answer the login; its password checks may be overloaded",
    "the server did not answer the request: {target} may be slow to accept",
};

struct reply_text {
  int code;
  const char* what;
  const char* hint;
};
// SOCKS replies (RFC 1928 6) as a tlsmux server means them (docs/protocol.md).
const reply_text replies[] = {
    {0x01, "general failure reaching {target}", "see the server's log"},
    {0x02, "{target} is not exposed (not allowed by ruleset)",
     "ask for a service the server exposes (a [service] name), or log in (--user, --cert) if "
     "it needs a login"},
    {0x03, "network unreachable for {target}", "the server has no route to it"},
    {0x04, "host unreachable: {target}", "the server cannot resolve or reach it; check the name"},
    {0x05, "connection refused by {target} (nothing listens there)",
     "start the service on the server, or check its port"},
    {0x06, "timed out connecting to {target}", "the service on the server does not answer"},
    {0x07, "command not supported", "the server has this command (UDP or BIND) turned off"},
    {0x08, "address type not supported", "give the service as a name or an IPv4/IPv6 address"},
};

std::string replace_all(std::string s, const std::string& key, const std::string& value) {
  for (std::string::size_type at = s.find(key); at != std::string::npos; at = s.find(key, at + value.size()))
    s.replace(at, key.size(), value);
  return s;
}

std::string server_text(const dial_context& c) {
  const bool v6 = c.host.find(':') != std::string::npos;
  return (v6 ? "[" + c.host + "]" : c.host) + ":" + std::to_string(c.port);
}

std::string fill(const dial_context& c, const std::string& text, dial_step s) {
  std::string out = replace_all(text, "{server}", server_text(c));
  out = replace_all(out, "{host}", c.host);
  out = replace_all(out, "{port}", std::to_string(c.port));
  out = replace_all(out, "{name}", c.server_name.empty() ? c.host : c.server_name);
  out = replace_all(out, "{ca}", c.ca_file.empty() ? "FILE" : c.ca_file);
  out = replace_all(out, "{target}", c.target.empty() ? "the service" : c.target);
  out = replace_all(out, "{user}", c.user);
  return replace_all(out, "{step}", step_text(s));
}

const char* find_code(const code_text* table, std::size_t n, int code) {
  for (std::size_t i = 0; i < n; ++i)
    if (table[i].code == code) return table[i].text;
  return nullptr;
}

const char* find_errc(const std::error_code& ec) {
  for (std::size_t i = 0; i < sizeof socket_errors / sizeof socket_errors[0]; ++i)
    if (ec == asio::error::make_error_code(socket_errors[i].code) ||
        (ec.category() == std::generic_category() && ec.value() == static_cast<int>(socket_errors[i].code)))
      return socket_errors[i].text;
  return nullptr;
}

}  // namespace

const char* step_text(dial_step s) {
  switch (s) {
    case dial_step::resolve: return "DNS lookup";
    case dial_step::tcp_connect: return "TCP connect";
    case dial_step::tls_handshake: return "TLS handshake";
    case dial_step::verification: return "certificate verification";
    case dial_step::socks_method: return "SOCKS greeting";
    case dial_step::socks_login: return "SOCKS login";
    case dial_step::socks_reply: return "SOCKS reply";
  }
  return "dial";
}

std::string explain_timeout(const dial_context& c, dial_step s) {
  const std::uint32_t ms = c.timeout_ms;
  const std::string after = ms % 1000 == 0 ? std::to_string(ms / 1000) + "s" : std::to_string(ms) + "ms";
  const std::string where = s == dial_step::resolve ? "in the DNS lookup of " + c.host
                            : s == dial_step::tcp_connect ? "in the TCP connect to " + server_text(c)
                            : s == dial_step::socks_reply ? "waiting for the SOCKS reply from " + server_text(c)
                            : std::string("in the ") + step_text(s) + " with " + server_text(c);
  return "timed out after " + after + " " + where + ": " +
         fill(c, timeout_hints[static_cast<int>(s)], s) + " (raise --timeout if it is only slow)";
}

std::string explain_resolve(const dial_context& c, const std::error_code& ec) {
  std::string why;
  if (ec == asio::error::host_not_found)
    why = "no such host; check the spelling, or give the server's address";
  else if (ec == asio::error::host_not_found_try_again)
    why = "the DNS server did not answer; check /etc/resolv.conf, or try again";
  else if (ec == asio::error::no_data)
    why = "the name has no address; give the server's address";
  else if (ec == asio::error::service_not_found)
    why = "bad port";
  else
    why = ec.message() + "; check the name and this machine's DNS settings";
  return "cannot resolve " + c.host + ": " + why;
}

std::string explain_socket(const dial_context& c, dial_step s, const std::error_code& ec) {
  if (const char* t = find_errc(ec)) return fill(c, t, s);
  if (ec == asio::error::eof)
    return fill(c, "{server} closed the connection in the {step}: see the server's log", s);
  return fill(c, std::string("cannot reach {server} in the {step}: ") + ec.message(), s);
}

std::string explain_tls(const dial_context& c, int tls_code, int peer_alert, const std::error_code& ec) {
  const dial_step s = dial_step::tls_handshake;
  if (peer_alert == 90)  // user_canceled: the server's refusal over a limit (docs/protocol.md 1.1)
    return "server busy (" + server_text(c) + " refused: connection limit reached), try again later";
  const char* t = find_code(alerts, sizeof alerts / sizeof alerts[0], peer_alert);
  if (t == nullptr) t = find_code(tls_codes, sizeof tls_codes / sizeof tls_codes[0], tls_code);
  if (t != nullptr) return fill(c, std::string("TLS handshake with {server} failed: ") + t, s);
  if (tls_code == 0 || tls_code == -308) {  // no TLS error: the socket ended it
    if (ec && ec != asio::error::eof && find_errc(ec) != nullptr) return explain_socket(c, s, ec);
    return fill(c, "the connection closed before the handshake ended: a network problem, or "
                   "{server} is not a TLSMUX server", s);
  }
  char code[16];
  std::snprintf(code, sizeof code, "%d", tls_code);
  return fill(c, std::string("TLS handshake with {server} failed (TLS error ") + code +
                     "); run with -v for the details",
              s);
}

std::string explain_no_method(const dial_context& c) {
  return c.user.empty() ? "the server requires authentication: give --user NAME (with "
                          "--password-file or $TLSMUX_PASSWORD), or --cert and --key"
                        : "the server accepts none of the offered authentication methods: try "
                          "--cert and --key";
}

std::string explain_login(const dial_context& c, std::uint8_t status) {
  // tlsmux's lockout statuses 0x81-0xFE say how long the lockout lasts (docs/protocol.md).
  const std::uint32_t locked = socks5::lockout_seconds(status);
  if (locked > 0)
    return "the server refused user '" + c.user + "' unchecked: locked out for " +
           std::to_string(locked) + " s after too many failed logins; wait that long, or ask "
           "the server's admin";
  return "the server rejected user '" + c.user + "' or its password; check --user and the "
         "password (--password-file or $TLSMUX_PASSWORD)";
}

std::string explain_reply(const dial_context& c, int reply, bool with_hint) {
  char hex[16];
  std::snprintf(hex, sizeof hex, "0x%02x", static_cast<unsigned>(reply & 0xff));
  for (std::size_t i = 0; i < sizeof replies / sizeof replies[0]; ++i)
    if (replies[i].code == reply)
      return fill(c, std::string("the server refused: ") + replies[i].what + " (SOCKS reply " + hex + ")" +
                         (with_hint ? std::string("; ") + replies[i].hint : std::string()),
                  dial_step::socks_reply);
  return std::string("the server refused with an unknown reply (SOCKS reply ") + hex +
         "); is it a TLSMUX server?";
}

std::string explain_pin_mismatch(const std::string& expected, const std::string& presented) {
  return "server key mismatch: expected " + expected + ", the server presented " + presented +
         "; if its key was replaced on purpose, use the new pin (`tlsmux fingerprint` of its "
         "certificate), else do not connect: this may be an attack";
}

std::string explain_closed_in_socks(const dial_context& c, int tls_code, int peer_alert) {
  if (peer_alert >= 0 && peer_alert != 0) {
    const char* t = find_code(alerts, sizeof alerts / sizeof alerts[0], peer_alert);
    if (t != nullptr) return fill(c, std::string("the server closed the connection: ") + t, dial_step::socks_method);
  }
  if (tls_code != 0)
    return "the server closed the connection during negotiation; if it requires a client "
           "certificate, give --cert and --key";
  return fill(c, "the server closed the connection during negotiation: see the server's log",
              dial_step::socks_method);
}

}  // namespace client
}  // namespace tlsmux
