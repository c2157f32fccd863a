// SPDX-License-Identifier: GPL-2.0-or-later
// One immutable snapshot of everything a session needs from the configuration. A reload
// builds a new snapshot; sessions keep the one they started with.
#ifndef TLSMUX_SERVER_SNAPSHOT_HPP
#define TLSMUX_SERVER_SNAPSHOT_HPP

#include "auth/password_file.hpp"
#include "config/server_config.hpp"
#include "server/client_key.hpp"
#include "tls/ca_check.hpp"
#include "tls/context.hpp"

#include <memory>
#include <string>
#include <vector>

namespace tlsmux {
namespace server {

/// A configuration snapshot, shared read-only by the sessions that started under it.
struct snapshot {
  config::server_config cfg;                     ///< rules.own_ports filled in
  std::shared_ptr<tls::context> tls;
  std::shared_ptr<auth::password_db> passwords;  ///< null when no passwd-file
  std::string next_pin;                          ///< pin of next-cert; empty when none
  std::shared_ptr<tls::issuer_check> issuers;     ///< client-ca files; null when none
};

/// The distinct client-ca files of the services, in catalog order.
std::vector<std::string> service_ca_files(const config::server_config& cfg);

/// The client networks the limits count in (`client-prefix-v4`, `client-prefix-v6`).
policy::prefix_lengths client_prefixes(const config::server_config& cfg);
/// Whom a connection from `client` counts against under this snapshot.
client_key client_of(const snapshot& snap, const asio::ip::address& client);

/// Builds a snapshot: loads certificates, key and password file. Returns null with errors
/// (one message each, naming the file) when something cannot be loaded.
std::shared_ptr<const snapshot> load_snapshot(const config::server_config& cfg,
                                              const std::vector<std::uint16_t>& own_ports,
                                              std::vector<std::string>& errors);

}  // namespace server
}  // namespace tlsmux

#endif
