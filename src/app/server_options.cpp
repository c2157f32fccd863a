// SPDX-License-Identifier: GPL-2.0-or-later
// The options of `tlsmux server`: its switches and every configuration key, with what
// --help says about each.
#include "app/commands.hpp"

#include "config/server_config.hpp"

namespace tlsmux {
namespace app {

namespace {

// What --help says about each configuration key (tlsmux.conf(5) has the whole story).
struct server_key_doc {
  const char* key;
  const char* value;
  const char* default_value;
  const char* help;
};

const server_key_doc key_docs[] = {
    {"listen", "ADDR:PORT", "*:4430", "address to listen on (repeatable)"},
    {"cert", "FILE", "STATE-DIR/server.crt", "certificate chain (PEM), with key"},
    {"key", "FILE", "STATE-DIR/server.key", "private key (PEM), with cert"},
    {"next-cert", "FILE", "", "the next certificate, announced to clients (with next-key)"},
    {"next-key", "FILE", "", "the next private key (with next-cert)"},
    {"service-list", "yes|no", "yes", "list the catalog to clients (tlsmux list)"},
    {"state-dir", "DIR", "/var/lib/tlsmux or ~/.tlsmux", "zero-config identity and state"},
    {"tls-profile", "intermediate|modern", "intermediate", "TLS 1.2+1.3, or 1.3 only"},
    {"cipher-preference", "auto|aes-gcm|chacha20", "auto",
     "AEAD put first; auto: ChaCha20 without AES hardware or for clients listing it first"},
    {"anonymous", "yes|no", "yes", "offer SOCKS method 0x00 (no login)"},
    {"passwd-file", "FILE", "", "users for password login (tlsmux passwd)"},
    {"client-ca", "FILE", "", "CA for TLS client certificates"},
    {"require-client-cert", "yes|no", "no", "refuse clients without a certificate"},
    {"crl", "FILE", "", "revoked client certificates (PEM or DER CRL), reread on SIGHUP"},
    {"allow-from", "NETS", "", "only clients in these networks connect (CIDR list)"},
    {"deny-from", "NETS", "", "clients in these networks are refused (wins over allow-from)"},
    {"expose", "same-address|local|catalog", "same-address", "what clients may reach"},
    {"udp", "yes|no", "no", "serve UDP ASSOCIATE"},
    {"bind", "yes|no", "no", "serve BIND"},
    {"service", "\"NAME port=P ...\"", "", "a [service NAME] section (repeatable)"},
    {"log-file", "FILE", "stderr", "append the log to FILE (reopened on SIGUSR1)"},
    {"syslog", "yes|no", "no", "log to the system log"},
    {"log-level", "LEVEL", "info", "error, warning, notice, info or debug"},
    {"pid-file", "FILE", "", "write the process id"},
    {"user", "NAME", "", "drop to this user after binding"},
    {"group", "NAME", "", "drop to this group after binding"},
    {"chroot", "DIR", "", "chroot after binding"},
    {"max-sessions", "N", "from the descriptor limit", "concurrent sessions"},
    {"max-sessions-per-client", "N", "64", "concurrent sessions per client network"},
    {"max-startups", "N", "256", "connections not yet through TLS and SOCKS"},
    {"max-startups-per-client", "N", "32", "the same, per client network"},
    {"client-prefix-v4", "BITS", "32", "IPv4 network that counts as one client"},
    {"client-prefix-v6", "BITS", "64", "IPv6 network that counts as one client"},
    {"auth-max-failures", "N", "5", "failed logins per address prefix before a lockout"},
    {"auth-user-max-failures", "N", "10", "failed logins per user before a lockout"},
    {"auth-lockout", "DURATION", "60s", "lockout after the last failure"},
    {"handshake-timeout", "DURATION", "10s", "accept to the end of the TLS handshake"},
    {"negotiation-timeout", "DURATION", "10s", "handshake to the SOCKS request"},
    {"bind-timeout", "DURATION", "60s", "BIND: wait for the peer"},
    {"connect-timeout", "DURATION", "10s", "resolve and connect to the service"},
    {"idle-timeout", "DURATION", "0", "relay without traffic; 0: never (as ssh)"},
    {"keepalive", "DURATION", "2m", "TCP keepalive on both legs: first probe after this idle; 0: off"},
    {"drain-timeout", "DURATION", "30s", "SIGTERM: how long sessions may finish"},
    {"buffer-size", "BYTES", "65536", "relay buffer per direction"},
    {"daemon", "yes|no", "no", "as --daemon"},
    {"threads", "N", "1", "event loops"},
    {"source-anonymous", "ADDR|none", "127.0.0.2", "anonymous sessions connect to services from here"},
    {"source-anonymous-v6", "ADDR|none", "none", "the same, to IPv6 services"},
    {"source-user", "ADDR|none", "none", "password users connect from here"},
    {"source-user-v6", "ADDR|none", "none", "the same, to IPv6 services"},
    {"source-cert", "ADDR|none", "none", "certificate users connect from here"},
    {"source-cert-v6", "ADDR|none", "none", "the same, to IPv6 services"},
    {"ident", "yes|no", "no", "answer RFC 1413 ident queries of local services"},
    {"ident-listen", "ADDR:PORT", "*:113", "where the ident responder listens"},
};

const server_key_doc* find_key_doc(const std::string& key) {
  for (std::size_t i = 0; i < sizeof key_docs / sizeof key_docs[0]; ++i)
    if (key == key_docs[i].key) return &key_docs[i];
  return nullptr;
}

}  // namespace

config::option_table server_options() {
  config::option_table t;
  config::add_option(t, "config", 'c', "FILE", "", "read the configuration file (reread on SIGHUP)");
  config::add_option(t, "check", 0, "", "", "check the configuration and the listen (and ident) addresses, then exit");
  config::add_option(t, "explain", 0, "", "", "with --check: who can reach each port of this host, and how");
  config::add_option(t, "json", 0, "", "", "with --explain: the report as JSON");
  config::add_option(t, "daemon", 0, "", "", "detach once listening; start-up errors are printed here");
  config::add_option(t, "inetd", 0, "", "", "serve the one connection on standard input");
  // Every configuration key is an option: the table follows the configuration's own list.
  const std::vector<std::string>& keys = config::server_keys();
  for (std::size_t i = 0; i < keys.size(); ++i) {
    bool listed = false;
    for (std::size_t j = 0; j < t.size(); ++j) listed |= t[j].name == keys[i];
    if (listed) continue;  // `daemon` is a switch on the command line
    const server_key_doc* d = find_key_doc(keys[i]);
    config::add_option(t, keys[i], 0, d ? d->value : "VALUE", d ? d->default_value : "",
                       d ? d->help : "see tlsmux.conf(5)");
  }
  return t;
}

}  // namespace app
}  // namespace tlsmux
