// SPDX-License-Identifier: GPL-2.0-or-later
// load_snapshot: load what a configuration names into a session-ready snapshot.
#include "server/snapshot.hpp"

#include "log/logger.hpp"
#include "text/ip_text.hpp"
#include "tls/pin.hpp"

#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>

namespace tlsmux {
namespace server {

namespace {

// Each source-CLASS address must be one this host can bind. On Linux all of 127.0.0.0/8 is
// local; elsewhere often only 127.0.0.1 is, until an alias is added. The built-in default
// then falls back (with a warning) to the old behaviour; an address the administrator
// chose is an error.
void check_sources(identity::source_table& t, std::vector<std::string>& errors) {
  static const identity::id_class classes[] = {identity::id_class::anonymous, identity::id_class::password,
                                               identity::id_class::certificate};
  asio::io_context io(1);
  for (std::size_t i = 0; i < identity::id_class_count; ++i)
    for (int v6 = 0; v6 < 2; ++v6) {
      identity::class_source& s = t.at(classes[i], v6 != 0);
      if (!s.set) continue;
      asio::ip::tcp::socket probe(io);
      std::error_code ec;
      probe.open(s.address.is_v6() ? asio::ip::tcp::v6() : asio::ip::tcp::v4(), ec);
      if (!ec) probe.bind(asio::ip::tcp::endpoint(s.address, 0), ec);
      if (!ec) continue;
      const std::string key = std::string("source-") + identity::class_key(classes[i]) + (v6 ? "-v6" : "");
      const std::string what = key + " " + text::ip_text(s.address) + " cannot be used: " + ec.message();
      if (!s.is_default) {
        errors.push_back(what + " (add that address to an interface, or set " + key + " = none)");
        continue;
      }
      log::warning(what + "; these sessions connect from the host's own address, which local "
                   "services may trust: add the address to the loopback interface or set " + key);
      s = identity::class_source();
    }
}

}  // namespace

policy::prefix_lengths client_prefixes(const config::server_config& cfg) {
  policy::prefix_lengths p;
  p.v4 = static_cast<unsigned>(cfg.client_prefix_v4);
  p.v6 = static_cast<unsigned>(cfg.client_prefix_v6);
  return p;
}

client_key client_of(const snapshot& snap, const asio::ip::address& client) {
  return client_key::of(client, client_prefixes(snap.cfg));
}

std::vector<std::string> service_ca_files(const config::server_config& cfg) {
  std::vector<std::string> files;
  for (std::size_t i = 0; i < cfg.rules.catalog.size(); ++i) {
    const std::string& f = cfg.rules.catalog[i].client_ca;
    bool seen = f.empty() || f == cfg.client_ca;
    for (std::size_t j = 0; j < files.size(); ++j) seen = seen || files[j] == f;
    if (!seen) files.push_back(f);
  }
  return files;
}

std::shared_ptr<const snapshot> load_snapshot(const config::server_config& cfg,
                                              const std::vector<std::uint16_t>& own_ports,
                                              std::vector<std::string>& errors) {
  std::shared_ptr<snapshot> snap = std::make_shared<snapshot>();
  snap->cfg = cfg;
  snap->cfg.rules.own_ports = own_ports;
  check_sources(snap->cfg.sources, errors);

  tls::settings ts;
  ts.profile = cfg.tls_profile;
  tls::parse_aead_setting(cfg.cipher_preference, ts.cipher_preference);  // checked by the config
  ts.cert_file = cfg.cert;
  ts.key_file = cfg.key;
  ts.ca_file = cfg.client_ca;
  ts.extra_ca_files = service_ca_files(cfg);
  ts.crl_file = cfg.crl;
  ts.require_peer_cert = cfg.require_client_cert;
  std::string err;
  snap->tls = tls::context::make_server(ts, err);
  if (!snap->tls) errors.push_back(err);
  // Which CA a certificate chains to, when some service has a client-ca of its own.
  if (snap->tls && !ts.extra_ca_files.empty()) {
    std::vector<std::string> files = ts.extra_ca_files;
    if (!cfg.client_ca.empty()) files.insert(files.begin(), cfg.client_ca);
    snap->issuers = std::make_shared<tls::issuer_check>();
    if (!snap->issuers->load(files, err)) errors.push_back(err);
  }

  // The next identity is loaded as a server context would load it (key matches certificate),
  // so that clients are never told about a key the server could not present.
  if (!cfg.next_cert.empty()) {
    tls::settings next = ts;
    next.cert_file = cfg.next_cert;
    next.key_file = cfg.next_key;
    if (!tls::context::make_server(next, err)) errors.push_back("next-cert/next-key: " + err);
    else snap->next_pin = tls::spki_pin_of_pem_file(cfg.next_cert, err);
    if (errors.empty() && snap->next_pin.empty()) errors.push_back("next-cert: " + err);
  }
  if (!cfg.passwd_file.empty()) {
    snap->passwords = std::make_shared<auth::password_db>();
    std::vector<std::string> perr;
    if (!snap->passwords->load_file(cfg.passwd_file, perr))
      errors.insert(errors.end(), perr.begin(), perr.end());
  }
  if (!errors.empty()) return std::shared_ptr<const snapshot>();
  return snap;
}

}  // namespace server
}  // namespace tlsmux
