// SPDX-License-Identifier: GPL-2.0-or-later
// first_run: generate the zero-config identity when it is missing.
#include "server/first_run.hpp"

#include "log/logger.hpp"
#include "tls/keygen.hpp"
#include "tlsmux/platform/files.hpp"
#include "tlsmux/platform/process.hpp"

#include <vector>

namespace tlsmux {
namespace server {

bool ensure_identity(const config::server_config& cfg, bool default_identity, std::string& error) {
  if (!default_identity || platform::file_exists(cfg.cert) || platform::file_exists(cfg.key))
    return true;
  std::error_code ec = platform::make_private_dir(cfg.state_dir);
  if (ec) {
    error = "cannot create state directory " + cfg.state_dir + ": " + ec.message();
    return false;
  }
  std::string host = platform::host_name(), key_pem, cert_pem;
  std::vector<std::string> dns(1, host), ips;
  if (host != "localhost") dns.push_back("localhost");
  ips.push_back("127.0.0.1");
  ips.push_back("::1");
  if (!tls::generate_self_signed(host, dns, ips, 3650, key_pem, cert_pem, error)) return false;
  ec = platform::write_private_file(cfg.key, key_pem);
  if (!ec) ec = platform::write_file(cfg.cert, cert_pem);
  if (ec) {
    error = "cannot write " + cfg.key + " / " + cfg.cert + ": " + ec.message();
    return false;
  }
  log::notice("generated a new ECDSA P-256 key and self-signed certificate in " + cfg.state_dir);
  return true;
}

}  // namespace server
}  // namespace tlsmux
