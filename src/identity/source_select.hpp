// SPDX-License-Identifier: GPL-2.0-or-later
// Which local address a session connects to a local service from, by how the client
// authenticated (docs/security.md, "Identity for local services"). Pure policy.
#ifndef TLSMUX_IDENTITY_SOURCE_SELECT_HPP
#define TLSMUX_IDENTITY_SOURCE_SELECT_HPP

#include <asio/ip/address.hpp>
#include <string>

namespace tlsmux {
namespace identity {

/// How a session authenticated.
enum class id_class { anonymous = 0, password = 1, certificate = 2 };
const std::size_t id_class_count = 3;

/// "anonymous", "user", "cert": the middle of the keys source-CLASS and source-CLASS-v6.
const char* class_key(id_class c);

/// One configured source address.
struct class_source {
  bool set = false;
  asio::ip::address address;
  bool is_default = false;  ///< the built-in default, not the administrator's choice
};

/// source-anonymous, source-user, source-cert and their -v6 variants.
struct source_table {
  class_source v4[id_class_count], v6[id_class_count];
  class_source& at(id_class c, bool v6) { return v6 ? this->v6[static_cast<int>(c)] : v4[static_cast<int>(c)]; }
  const class_source& at(id_class c, bool v6) const {
    return v6 ? this->v6[static_cast<int>(c)] : v4[static_cast<int>(c)];
  }
};

/// The built-in defaults: anonymous sessions come from 127.0.0.2, every other entry is unset.
source_table default_sources();

/// Where a connection to a local service comes from.
struct source_choice {
  bool bind = false;          ///< false: the kernel picks (127.0.0.1 or ::1 for loopback)
  asio::ip::address address;  ///< bind here (port 0) before connecting
  const char* rule = "";      ///< "service", "class", "target" or "kernel"
};

/// Chooses the source of a connection from class c to target, in this order: the catalog
/// service's own `source` (has_service_source); the class's source of the target's family
/// (IPv4-mapped when the target is); for a non-loopback target, the target address itself
/// (the host's own address: a removed address then fails before a packet is sent); else
/// none, and the kernel picks.
source_choice choose_source(const source_table& t, id_class c, const asio::ip::address& target,
                            bool has_service_source, const asio::ip::address& service_source);

}  // namespace identity
}  // namespace tlsmux

#endif
