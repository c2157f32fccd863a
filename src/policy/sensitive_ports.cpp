// SPDX-License-Identifier: GPL-2.0-or-later
// The table of localhost-trusting services and the start-up exposure warnings.
#include "policy/sensitive_ports.hpp"

#include <algorithm>

namespace tlsmux {
namespace policy {

namespace {

// A port is covered when catalog entries on that port exist and all of them require an
// identity: the decider then applies their auth on every local address.
bool protected_by_catalog(const rules& r, std::uint16_t port) {
  bool any_entry = false;
  for (std::size_t i = 0; i < r.catalog.size(); ++i) {
    if (r.catalog[i].port != port) continue;
    if (r.catalog[i].auth == service_auth::any) return false;
    any_entry = true;
  }
  return any_entry;
}

// The listening ports, sorted, once each, without tlsmux's own.
std::vector<std::uint16_t> candidates(const rules& r, std::vector<std::uint16_t> ports) {
  std::sort(ports.begin(), ports.end());
  ports.erase(std::unique(ports.begin(), ports.end()), ports.end());
  std::vector<std::uint16_t> out;
  for (std::size_t i = 0; i < ports.size(); ++i)
    if (std::find(r.own_ports.begin(), r.own_ports.end(), ports[i]) == r.own_ports.end())
      out.push_back(ports[i]);
  return out;
}

}  // namespace

const sensitive_port* find_sensitive(std::uint16_t port) {
  const std::vector<sensitive_port>& t = sensitive_ports();
  for (std::size_t i = 0; i < t.size(); ++i)
    if (port >= t[i].first && port <= t[i].last) return &t[i];
  return nullptr;
}

const std::vector<sensitive_port>& sensitive_ports() {
  static const std::vector<sensitive_port> table = {
      {25, 25, "smtp (may relay mail for localhost)"},
      {79, 79, "finger"},
      {111, 111, "rpcbind"},
      {135, 135, "msrpc"},
      {139, 139, "netbios-ssn (smb)"},
      {445, 445, "smb"},
      {631, 631, "cups (administration from localhost)"},
      {1080, 1080, "socks (proxy to the network)"},
      {2375, 2376, "docker api (root on the host)"},
      {3128, 3128, "squid (proxy to the network)"},
      {3306, 3306, "mysql"},
      {5432, 5432, "postgresql (trust authentication for localhost)"},
      {5900, 5909, "vnc (often without password on localhost)"},
      {6000, 6063, "x11"},
      {6379, 6379, "redis (no authentication by default)"},
      {8080, 8080, "http proxy"},
      {9050, 9050, "tor socks (proxy to the network)"},
      {11211, 11211, "memcached (no authentication)"},
      {27017, 27017, "mongodb (no authentication by default)"},
  };
  return table;
}

// Where anonymous sessions come from in the open modes. Without source-anonymous, a
// connection to one of the host's own addresses leaves from that address, so the service
// cannot tell a tunnelled client from the host itself.
std::string source_warning(const rules& r, const std::string& v4, const std::string& v6) {
  const std::string mode = std::string("expose = ") + expose_name(r.expose) + ": ";
  const std::string fix = "set source-anonymous" + std::string(v4.empty() ? "" : "-v6") +
                          " to an address they do not trust, use expose = catalog, or auth = "
                          "password|certificate on their ports";
  if (v4.empty() && v6.empty())
    return mode + "connections to this host's own addresses come from that address, so local services see anonymous "
           "remote clients as this host itself (Postfix mynetworks, PostgreSQL samehost and other host-based "
           "trust accept them); use expose = catalog with [service] entries whose source address they do not "
           "trust (source = 127.0.0.2, with mynetworks = 127.0.0.1/32), or auth = password|certificate on their ports";
  std::string line = mode + "anonymous sessions connect to local services from " +
                     (v4.empty() ? std::string() : v4 + " (source-anonymous)") +
                     (!v4.empty() && !v6.empty() ? " and " : "") +
                     (v6.empty() ? std::string() : v6 + " (source-anonymous-v6)");
  if (!v4.empty())
    line += "; services that trust all of 127.0.0.0/8 (Postfix's default mynetworks) still accept them: narrow "
            "that trust to 127.0.0.1/32";
  if (v6.empty() || v4.empty())
    line += std::string("; connections to this host's own ") + (v4.empty() ? "IPv4" : "IPv6") +
            " addresses come from that address, so local services see them as this host itself: " + fix;
  return line;
}

std::vector<std::string> exposure_warnings(const rules& r, bool anonymous_enabled,
                                           const std::vector<std::uint16_t>& listening,
                                           const std::string& anonymous_v4, const std::string& anonymous_v6) {
  std::vector<std::string> out;
  if (!anonymous_enabled) return out;
  const std::vector<std::uint16_t> ports = candidates(r, listening);
  const std::string mode = std::string("expose = ") + expose_name(r.expose) + ": ";
  for (std::size_t p = 0; p < ports.size(); ++p) {
    const sensitive_port* row = find_sensitive(ports[p]);
    if (!row) continue;
    const std::string port = "port " + std::to_string(ports[p]) + " (" + row->what + ")";
    if (r.expose != expose_mode::catalog) {
      if (!protected_by_catalog(r, ports[p]))
        out.push_back(mode + "anonymous clients reach " + port + ", which listens on this host");
      continue;
    }
    for (std::size_t i = 0; i < r.catalog.size(); ++i) {
      const service& s = r.catalog[i];
      if (s.port == ports[p] && s.auth == service_auth::any)
        out.push_back("service '" + s.name + "' exposes " + port + " to anonymous clients");
    }
  }
  if (r.expose == expose_mode::catalog) return out;
  if (!out.empty())
    out.push_back(mode + "protect these ports with [service] entries (auth = password|certificate) or use expose = catalog");
  out.push_back(source_warning(r, anonymous_v4, anonymous_v6));
  return out;
}

}  // namespace policy
}  // namespace tlsmux
