// SPDX-License-Identifier: GPL-2.0-or-later
// The destination decision: may this request reach something, and exactly where.
// Pure logic; addresses and name resolution come in through the two interfaces below so
// tests can inject fakes. A name is resolved once; only the checked addresses are returned.
#ifndef TLSMUX_POLICY_DECIDER_HPP
#define TLSMUX_POLICY_DECIDER_HPP

#include "policy/rules.hpp"
#include "socks5/server_codec.hpp"

#include <asio/ip/tcp.hpp>
#include <functional>
#include <memory>
#include <system_error>
#include <vector>

namespace tlsmux {
namespace policy {

/// The host's own interface addresses (production: platform::local_addresses, cached).
class address_source {
 public:
  virtual ~address_source() {}
  /// Current unicast addresses of the host's interfaces (loopback may be included).
  virtual std::vector<asio::ip::address> addresses() = 0;
};

/// Name resolution (production: asio's resolver). May complete inline or later.
class resolver {
 public:
  typedef std::function<void(const std::error_code&, const std::vector<asio::ip::address>&)>
      handler;
  virtual ~resolver() {}
  /// Resolves name to its addresses, once; calls done exactly once.
  virtual void resolve(const std::string& name, handler done) = 0;
};

/// How the session authenticated, and where its TLS connection arrived.
struct session_facts {
  asio::ip::address arrival;  ///< local address of the accepted TLS connection
  asio::ip::address client;   ///< the client's address (a service's allow-from)
  bool password = false;      ///< authenticated with RFC 1929
  bool certificate = false;   ///< authenticated with a TLS client certificate
  std::string user;                     ///< password: the user name
  std::vector<std::string> groups;      ///< password: the user's groups (password file)
  std::vector<std::string> cert_names;  ///< certificate: subject CN and SANs
  bool cert_global = true;              ///< certificate: chains to the global client-ca
  std::vector<std::string> cert_cas;    ///< certificate: the services' client-ca files it chains to
};

/// The decision.
struct verdict {
  bool allowed = false;
  socks5::reply_code code = socks5::reply_code::not_allowed;  ///< reply when not allowed
  std::string reason;                                      ///< short text for the log line
  std::vector<asio::ip::tcp::endpoint> targets;            ///< checked; connect in order
  const service* svc = nullptr;                            ///< catalog entry, if one matched
  bool has_source = false;
  asio::ip::address source;                                ///< bind here before connect
};

/// Decides requests against rules. Keeps references: rules and sources must outlive it.
class decider {
 public:
  decider(const rules& r, address_source& local, resolver& names);

  /// Decides where req (any command) may go; calls done exactly once, maybe inline.
  /// Every denial is code 0x02 except a failed resolution (0x04) and a disabled or unknown
  /// command (0x07). BIND is checked like CONNECT (targets are the permitted peers).
  /// UDP ASSOCIATE naming a catalog service (by name or exact address) is pinned to it;
  /// otherwise its DST is ignored (targets stay empty, check datagrams with
  /// datagram_allowed()), and in catalog mode it is refused.
  void decide(const socks5::request& req, const session_facts& facts,
              std::function<void(const verdict&)> done);

  /// Checks one resolved or literal destination address against the rules (no catalog).
  /// Used for UDP datagrams and BIND peers as well. Sets reason when it returns false.
  bool address_allowed(const asio::ip::address& a, std::uint16_t port, std::string& reason);

  /// address_allowed() plus the catalog for one UDP datagram: in catalog mode only an exact
  /// catalog entry with udp = yes; in every mode a matching entry's auth and udp flag apply.
  bool datagram_allowed(const asio::ip::address& a, std::uint16_t port,
                        const session_facts& facts, std::string& reason);

 private:
  // (implementation helpers are free functions in decider.cpp)
  const rules& rules_;
  address_source& local_;
  resolver& names_;
};

}  // namespace policy
}  // namespace tlsmux

#endif
