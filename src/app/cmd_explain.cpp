// SPDX-License-Identifier: GPL-2.0-or-later
// `tlsmux server --check --explain [--json]`: the exposure report of this host now.
#include "app/explain.hpp"

#include "auth/password_file.hpp"
#include "policy/exposure_report.hpp"
#include "server/listener.hpp"
#include "text/ip_text.hpp"
#include "tlsmux/platform/listening_sockets.hpp"
#include "tlsmux/platform/local_addresses.hpp"
#include "text/escape.hpp"

#include <cstdio>

namespace tlsmux {
namespace app {

namespace {

std::string json_list(const std::vector<std::string>& v) {
  std::string out = "[";
  for (std::size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + text::json_string(v[i]);
  return out + "]";
}

std::string joined(const std::vector<std::string>& v) {
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + v[i];
  return out.empty() ? "-" : out;
}

std::string address_of(const policy::open_port& p) {
  if (p.address.is_unspecified()) return p.address.is_v4() ? "*" : "[::]";
  return p.address.is_v6() ? "[" + text::ip_text(p.address) + "]" : text::ip_text(p.address);
}

std::string sensitive_of(const policy::exposure& e) {
  if (!e.sensitive) return "";
  const std::string what = e.sensitive->what;
  return what.substr(0, what.find(" ("));
}

void print_json(const std::vector<policy::exposure>& rows, const std::string& mode) {
  std::printf("{\"expose\": %s, \"ports\": [", text::json_string(mode).c_str());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const policy::exposure& e = rows[i];
    std::printf("%s\n  {\"proto\": \"%s\", \"address\": %s, \"port\": %u, \"sensitive\": %s, \"reachable\": %s, "
                "\"anonymous\": %s, \"users\": %s, \"certificates\": %s, \"networks\": %s, \"names\": %s, "
                "\"why_not\": %s}",
                i ? "," : "", e.socket.udp ? "udp" : "tcp", text::json_string(text::ip_text(e.socket.address)).c_str(),
                static_cast<unsigned>(e.socket.port),
                e.sensitive ? text::json_string(e.sensitive->what).c_str() : "null", e.reachable() ? "true" : "false",
                e.anonymous ? "true" : "false", json_list(e.users).c_str(), json_list(e.certificates).c_str(),
                json_list(e.networks).c_str(), json_list(e.names).c_str(),
                e.why_not.empty() ? "null" : text::json_string(e.why_not).c_str());
  }
  std::printf("\n]}\n");
}

void print_table(const std::vector<policy::exposure>& rows, const std::string& mode) {
  std::printf("exposure report (expose = %s): every port that listens on this host now\n", mode.c_str());
  std::printf("%-5s %-28s %-5s %-2s %-40s %s\n", "PROTO", "ADDRESS", "PORT", "!", "WHO (through tlsmux)", "BY NAME");
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const policy::exposure& e = rows[i];
    const std::string who = e.reachable() ? policy::who_text(e) : "nobody (" + e.why_not + ")";
    std::printf("%-5s %-28s %-5u %-2s %-40s %s\n", e.socket.udp ? "udp" : "tcp", address_of(e.socket).c_str(),
                static_cast<unsigned>(e.socket.port), e.sensitive ? "!" : "", who.c_str(), joined(e.names).c_str());
  }
  bool any_sensitive = false;
  for (std::size_t i = 0; i < rows.size(); ++i) any_sensitive = any_sensitive || (rows[i].sensitive && rows[i].reachable());
  std::printf("! = trust-sensitive port (it may trust connections from this host)%s\n",
              any_sensitive ? "; some are reachable: see the rows marked !" : "");
  for (std::size_t i = 0; i < rows.size(); ++i)
    if (rows[i].sensitive && rows[i].reachable())
      std::printf("  port %u: %s\n", static_cast<unsigned>(rows[i].socket.port), sensitive_of(rows[i]).c_str());
}

}  // namespace

int explain_exposure(const config::server_config& cfg, bool json) {
  std::vector<platform::listening_socket> sockets;
  std::string what;
  std::error_code ec = platform::listening_sockets(sockets, what);
  if (ec) {
    std::fprintf(stderr, "tlsmux: cannot list the listening sockets: %s: %s\n", what.c_str(), ec.message().c_str());
    return exit_start;
  }
  policy::report_inputs in;
  in.anonymous = cfg.anonymous;
  in.certificates = !cfg.client_ca.empty();
  std::vector<asio::ip::address> own;
  if (!platform::local_addresses(own, what)) in.own = own;
  policy::rules r = cfg.rules;
  for (std::size_t i = 0; i < cfg.listen.size(); ++i) {
    std::vector<asio::ip::tcp::endpoint> eps;
    if (!server::parse_listen(cfg.listen[i], eps)) continue;
    for (std::size_t j = 0; j < eps.size(); ++j) {
      in.listeners.push_back(eps[j]);
      r.own_ports.push_back(eps[j].port());
    }
  }
  if (!cfg.passwd_file.empty()) {
    auth::password_db db;
    std::vector<std::string> errors;
    if (!db.load_file(cfg.passwd_file, errors)) {
      for (std::size_t i = 0; i < errors.size(); ++i) std::fprintf(stderr, "tlsmux: %s\n", errors[i].c_str());
      return exit_config;
    }
    in.passwords = true;
    std::vector<std::string> names = db.names();
    for (std::size_t i = 0; i < names.size(); ++i) {
      policy::known_user u;
      u.name = names[i];
      u.groups = db.groups(names[i]);
      in.users.push_back(u);
    }
  }
  std::vector<policy::open_port> ports;
  for (std::size_t i = 0; i < sockets.size(); ++i) {
    policy::open_port p;
    p.udp = sockets[i].udp;
    p.address = sockets[i].address;
    p.port = sockets[i].port;
    ports.push_back(p);
  }
  const std::vector<policy::exposure> rows = policy::exposure_report(r, in, ports);
  const std::string mode = policy::expose_name(r.expose);
  if (json) print_json(rows, mode);
  else print_table(rows, mode);
  return exit_ok;
}

}  // namespace app
}  // namespace tlsmux
