// SPDX-License-Identifier: GPL-2.0-or-later
// make_runtime: load what a configuration names into a session-ready snapshot.
#include "server/runtime.hpp"

namespace tlsmux {
namespace server {

std::shared_ptr<const runtime> make_runtime(const config::server_config& cfg,
                                            const std::vector<std::uint16_t>& own_ports,
                                            std::vector<std::string>& errors) {
  std::shared_ptr<runtime> rt = std::make_shared<runtime>();
  rt->cfg = cfg;
  rt->cfg.rules.own_ports = own_ports;

  tls::settings ts;
  ts.profile = cfg.tls_profile;
  ts.cert_file = cfg.cert;
  ts.key_file = cfg.key;
  ts.ca_file = cfg.client_ca;
  ts.require_peer_cert = cfg.require_client_cert;
  std::string err;
  rt->tls = tls::context::make_server(ts, err);
  if (!rt->tls) errors.push_back(err);

  if (!cfg.passwd_file.empty()) {
    rt->passwords = std::make_shared<auth::password_db>();
    std::vector<std::string> perr;
    if (!rt->passwords->load_file(cfg.passwd_file, perr))
      errors.insert(errors.end(), perr.begin(), perr.end());
  }
  if (!errors.empty()) return std::shared_ptr<const runtime>();
  return rt;
}

}  // namespace server
}  // namespace tlsmux
