// SPDX-License-Identifier: GPL-2.0-or-later
// first_run: generate the zero-config identity when it is missing, once, under a lock.
//
// Under inetd or systemd Accept=yes the first connections start several processes at once.
// Each takes the lock file `keygen.lock` in the state directory and looks again once it
// holds it: one process generates, the others find the pair. The key is renamed into place
// before the certificate, both under the lock, so a certificate never names a key that is
// not there; a pair left incomplete by a crash is made again.
#include "server/first_run.hpp"

#include "log/logger.hpp"
#include "tls/keygen.hpp"
#include "tlsmux/platform/file_lock.hpp"
#include "tlsmux/platform/files.hpp"
#include "tlsmux/platform/host.hpp"

#include <vector>

namespace tlsmux {
namespace server {

namespace {

bool generate(const config::server_config& cfg, std::string& error) {
  std::string host = platform::host_name(), key_pem, cert_pem;
  std::vector<std::string> dns(1, host), ips;
  if (host != "localhost") dns.push_back("localhost");
  ips.push_back("127.0.0.1");
  ips.push_back("::1");
  if (!tls::generate_self_signed(host, dns, ips, 3650, key_pem, cert_pem, error)) return false;
  std::error_code ec = platform::write_private_file(cfg.key, key_pem);
  if (!ec) ec = platform::write_file(cfg.cert, cert_pem);
  if (ec) {
    error = "cannot write " + cfg.key + " / " + cfg.cert + ": " + ec.message();
    return false;
  }
  log::notice("generated a new ECDSA P-256 key and self-signed certificate in " + cfg.state_dir);
  return true;
}

}  // namespace

bool ensure_identity(const config::server_config& cfg, bool default_identity, std::string& error) {
  if (!default_identity || (platform::file_exists(cfg.cert) && platform::file_exists(cfg.key)))
    return true;
  std::error_code ec = platform::make_private_dir(cfg.state_dir);
  if (ec) {
    error = "cannot create state directory " + cfg.state_dir + ": " + ec.message();
    return false;
  }
  const std::string lock_path = platform::join_path(cfg.state_dir, keygen_lock_file);
  platform::shared_file lock;
  ec = lock.open(lock_path);
  if (!ec) ec = lock.lock();
  if (ec) {
    error = "cannot lock " + lock_path + ": " + ec.message();
    return false;
  }
  const bool cert = platform::file_exists(cfg.cert), key = platform::file_exists(cfg.key);
  if (cert && key) return true;  // made by another process while this one waited
  if (cert || key)
    log::warning("the key pair in " + cfg.state_dir + " is incomplete (" + (key ? cfg.cert : cfg.key) +
                 " is missing); making a new one");
  return generate(cfg, error);
}

}  // namespace server
}  // namespace tlsmux
