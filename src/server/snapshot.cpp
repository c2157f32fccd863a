// SPDX-License-Identifier: GPL-2.0-or-later
// load_snapshot: load what a configuration names into a session-ready snapshot.
#include "server/snapshot.hpp"

namespace tlsmux {
namespace server {

policy::prefix_lengths client_prefixes(const config::server_config& cfg) {
  policy::prefix_lengths p;
  p.v4 = static_cast<unsigned>(cfg.client_prefix_v4);
  p.v6 = static_cast<unsigned>(cfg.client_prefix_v6);
  return p;
}

client_key client_of(const snapshot& snap, const asio::ip::address& client) {
  return client_key::of(client, client_prefixes(snap.cfg));
}

std::shared_ptr<const snapshot> load_snapshot(const config::server_config& cfg,
                                              const std::vector<std::uint16_t>& own_ports,
                                              std::vector<std::string>& errors) {
  std::shared_ptr<snapshot> snap = std::make_shared<snapshot>();
  snap->cfg = cfg;
  snap->cfg.rules.own_ports = own_ports;

  tls::settings ts;
  ts.profile = cfg.tls_profile;
  ts.cert_file = cfg.cert;
  ts.key_file = cfg.key;
  ts.ca_file = cfg.client_ca;
  ts.require_peer_cert = cfg.require_client_cert;
  std::string err;
  snap->tls = tls::context::make_server(ts, err);
  if (!snap->tls) errors.push_back(err);

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
