// SPDX-License-Identifier: GPL-2.0-or-later
// The exposure report (`tlsmux server --check --explain`): for every socket that listens on
// this host, who can reach it through tlsmux under a configuration, and by which name. Pure:
// the sockets, the host's addresses, tlsmux's listeners and the password file's users come
// in as values; the app formats the rows (a table, or JSON).
#ifndef TLSMUX_POLICY_EXPOSURE_REPORT_HPP
#define TLSMUX_POLICY_EXPOSURE_REPORT_HPP

#include "policy/rules.hpp"
#include "policy/sensitive_ports.hpp"

#include <asio/ip/tcp.hpp>
#include <cstdint>
#include <string>
#include <vector>

namespace tlsmux {
namespace policy {

/// A socket that listens on this host (platform::listening_sockets()).
struct open_port {
  bool udp = false;
  asio::ip::address address;  ///< unspecified: every address of its family
  std::uint16_t port = 0;
};

/// A user of the password file.
struct known_user {
  std::string name;
  std::vector<std::string> groups;
};

/// What the report needs besides the rules.
struct report_inputs {
  bool anonymous = true;                 ///< `anonymous`
  bool passwords = false;                ///< a passwd-file is set
  std::vector<known_user> users;         ///< its users
  bool certificates = false;             ///< the global client-ca is set
  std::vector<asio::ip::address> own;    ///< the host's interface addresses
  std::vector<asio::ip::tcp::endpoint> listeners;  ///< where tlsmux accepts (same-address)
};

/// Who reaches one socket, and how.
struct exposure {
  open_port socket;
  const sensitive_port* sensitive = nullptr;  ///< the start-up warning's table row, if any
  bool anonymous = false;                     ///< anonymous clients reach it
  std::vector<std::string> users;             ///< password users who reach it
  std::vector<std::string> certificates;      ///< certificate patterns ("*": any from the CA)
  std::vector<std::string> networks;          ///< client networks it is limited to; empty: any
  std::vector<std::string> names;             ///< how: service names and HOST:PORT
  std::string why_not;                        ///< for nobody: why
  bool reachable() const { return anonymous || !users.empty() || !certificates.empty(); }
};

/// One row per socket, in the order given.
std::vector<exposure> exposure_report(const rules& r, const report_inputs& in,
                                      const std::vector<open_port>& sockets);

/// "nobody", or "anonymous; users alice, bob; certificates *.example.org" (+ " from NETS").
std::string who_text(const exposure& e);

}  // namespace policy
}  // namespace tlsmux

#endif
