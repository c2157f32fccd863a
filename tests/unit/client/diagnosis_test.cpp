// SPDX-License-Identifier: GPL-2.0-or-later
// Unit tests: every client error becomes a sentence with a hint (client/diagnosis.hpp), as a
// table of what happened and the sentence the user reads.
#include "client/diagnosis.hpp"

#include <CppUTest/TestHarness.h>
#include <asio/error.hpp>

using namespace tlsmux;
using namespace tlsmux::client;

namespace {

dial_context context() {
  dial_context c;
  c.host = "mux.example";
  c.port = 4430;
  c.server_name = "mux.example";
  c.ca_file = "/etc/ca.pem";
  c.target = "127.0.0.1:25";
  c.user = "alice";
  c.timeout_ms = 15000;
  return c;
}

struct row {
  const char* what;
  std::string got;
  const char* want;
};

void check(const row* rows, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i)
    STRCMP_EQUAL_TEXT(rows[i].want, rows[i].got.c_str(), rows[i].what);
}

}  // namespace

TEST_GROUP(diagnosis) {};

TEST(diagnosis, tls_failures) {
  const dial_context c = context();
  const std::error_code eof = asio::error::eof;
  const row rows[] = {
      {"-341", explain_tls(c, -341, -1, eof),
       "TLS handshake with mux.example:4430 failed: not a TLS server (is 4430 a TLSMUX port?)"},
      {"-311", explain_tls(c, -311, -1, eof),
       "TLS handshake with mux.example:4430 failed: not a TLS server (is 4430 a TLSMUX port?)"},
      {"-326", explain_tls(c, -326, -1, eof),
       "TLS handshake with mux.example:4430 failed: not a TLS server (is 4430 a TLSMUX port?)"},
      {"-188", explain_tls(c, -188, -1, eof),
       "TLS handshake with mux.example:4430 failed: its certificate is not signed by the CA in --ca "
       "/etc/ca.pem; give the CA that signed the server's certificate, or use --pin"},
      {"-322", explain_tls(c, -322, -1, eof),
       "TLS handshake with mux.example:4430 failed: its certificate is not issued for the name "
       "mux.example; connect by the name in the certificate, or give it with --server-name NAME"},
      {"-151", explain_tls(c, -151, -1, eof),
       "TLS handshake with mux.example:4430 failed: its certificate has expired; renew it on the "
       "server (or check this machine's clock)"},
      {"-150", explain_tls(c, -150, -1, eof),
       "TLS handshake with mux.example:4430 failed: its certificate is not valid yet; check the "
       "clocks of this machine and of the server"},
      {"busy", explain_tls(c, -313, 90, eof),
       "server busy (mux.example:4430 refused: connection limit reached), try again later"},
      {"certificate_required", explain_tls(c, -313, 116, eof),
       "TLS handshake with mux.example:4430 failed: the server requires a client certificate; "
       "give --cert FILE and --key FILE"},
      {"protocol_version", explain_tls(c, -313, 70, eof),
       "TLS handshake with mux.example:4430 failed: no TLS version in common; the server may "
       "accept TLS 1.3 only (try --tls-profile modern) or this client may be too old"},
      {"closed", explain_tls(c, 0, -1, eof),
       "the connection closed before the handshake ended: a network problem, or "
       "mux.example:4430 is not a TLSMUX server"},
      {"reset", explain_tls(c, -308, -1, asio::error::connection_reset),
       "connection to mux.example:4430 reset in the TLS handshake: a firewall, or the server "
       "dropped it (see its log)"},
      {"unknown code", explain_tls(c, -999, -1, eof),
       "TLS handshake with mux.example:4430 failed (TLS error -999); run with -v for the details"},
  };
  check(rows, sizeof rows / sizeof rows[0]);
}

TEST(diagnosis, network_failures) {
  dial_context c = context();
  const row rows[] = {
      {"refused", explain_socket(c, dial_step::tcp_connect, asio::error::connection_refused),
       "connection refused by mux.example:4430: nothing listens on port 4430 (is the server "
       "running, and is 4430 its port?)"},
      {"net unreachable", explain_socket(c, dial_step::tcp_connect, asio::error::network_unreachable),
       "network unreachable for mux.example:4430: check this machine's network connection and routes"},
      {"host unreachable", explain_socket(c, dial_step::tcp_connect, asio::error::host_unreachable),
       "host unreachable: mux.example:4430 is down, or a firewall rejects port 4430"},
      {"dns", explain_resolve(c, asio::error::host_not_found),
       "cannot resolve mux.example: no such host; check the spelling, or give the server's address"},
      {"dns again", explain_resolve(c, asio::error::host_not_found_try_again),
       "cannot resolve mux.example: the DNS server did not answer; check /etc/resolv.conf, or try again"},
      {"timeout tcp", explain_timeout(c, dial_step::tcp_connect),
       "timed out after 15s in the TCP connect to mux.example:4430: the host does not answer: it "
       "is down, or a firewall drops packets to port 4430 (raise --timeout if it is only slow)"},
      {"timeout tls", explain_timeout(c, dial_step::tls_handshake),
       "timed out after 15s in the TLS handshake with mux.example:4430: mux.example:4430 accepted "
       "the connection but sent no TLS answer: not a TLSMUX port, or a very loaded server (raise "
       "--timeout if it is only slow)"},
      {"timeout socks", explain_timeout(c, dial_step::socks_reply),
       "timed out after 15s waiting for the SOCKS reply from mux.example:4430: the server did not "
       "answer the request: 127.0.0.1:25 may be slow to accept (raise --timeout if it is only slow)"},
  };
  check(rows, sizeof rows / sizeof rows[0]);
  c.host = "::1";
  c.timeout_ms = 1500;
  STRCMP_EQUAL("timed out after 1500ms in the TCP connect to [::1]:4430: the host does not answer: "
               "it is down, or a firewall drops packets to port 4430 (raise --timeout if it is only slow)",
               explain_timeout(c, dial_step::tcp_connect).c_str());
}

TEST(diagnosis, socks_replies_and_logins) {
  const dial_context c = context();
  const row rows[] = {
      {"0x01", explain_reply(c, 0x01),
       "the server refused: general failure reaching 127.0.0.1:25 (SOCKS reply 0x01); see the server's log"},
      {"0x02", explain_reply(c, 0x02),
       "the server refused: 127.0.0.1:25 is not exposed (not allowed by ruleset) (SOCKS reply 0x02); "
       "ask for a service the server exposes (a [service] name), or log in (--user, --cert) if it "
       "needs a login"},
      {"0x03", explain_reply(c, 0x03),
       "the server refused: network unreachable for 127.0.0.1:25 (SOCKS reply 0x03); the server has no route to it"},
      {"0x04", explain_reply(c, 0x04),
       "the server refused: host unreachable: 127.0.0.1:25 (SOCKS reply 0x04); the server cannot "
       "resolve or reach it; check the name"},
      {"0x05", explain_reply(c, 0x05),
       "the server refused: connection refused by 127.0.0.1:25 (nothing listens there) (SOCKS reply "
       "0x05); start the service on the server, or check its port"},
      {"0x06", explain_reply(c, 0x06),
       "the server refused: timed out connecting to 127.0.0.1:25 (SOCKS reply 0x06); the service on "
       "the server does not answer"},
      {"0x07", explain_reply(c, 0x07),
       "the server refused: command not supported (SOCKS reply 0x07); the server has this command "
       "(UDP or BIND) turned off"},
      {"0x08", explain_reply(c, 0x08),
       "the server refused: address type not supported (SOCKS reply 0x08); give the service as a "
       "name or an IPv4/IPv6 address"},
      {"0x02 bare", explain_reply(c, 0x02, false),
       "the server refused: 127.0.0.1:25 is not exposed (not allowed by ruleset) (SOCKS reply 0x02)"},
      {"0x09", explain_reply(c, 0x09),
       "the server refused with an unknown reply (SOCKS reply 0x09); is it a TLSMUX server?"},
      {"login", explain_login(c, 0x01),
       "the server rejected user 'alice' or its password; check --user and the password "
       "(--password-file or $TLSMUX_PASSWORD)"},
      {"lockout seconds", explain_login(c, 0x81 + 29),
       "the server refused user 'alice' unchecked: locked out for 30 s after too many failed "
       "logins; wait that long, or ask the server's admin"},
      {"lockout minutes", explain_login(c, 0xBD),
       "the server refused user 'alice' unchecked: locked out for 120 s after too many failed "
       "logins; wait that long, or ask the server's admin"},
      {"pin", explain_pin_mismatch("sha256:AAAA", "sha256:BBBB"),
       "server key mismatch: expected sha256:AAAA, the server presented sha256:BBBB; if its key "
       "was replaced on purpose, use the new pin (`tlsmux fingerprint` of its certificate), else "
       "do not connect: this may be an attack"},
      {"no method", explain_no_method(dial_context()),
       "the server requires authentication: give --user NAME (with --password-file or "
       "$TLSMUX_PASSWORD), or --cert and --key"},
  };
  check(rows, sizeof rows / sizeof rows[0]);
}
