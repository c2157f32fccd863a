// SPDX-License-Identifier: GPL-2.0-or-later
// The session's debug lines.
#include "server/session_debug.hpp"

#include "text/ip_text.hpp"
#include "text/log_fields.hpp"

#include <cstdio>

namespace tlsmux {
namespace server {

namespace {

const char* auth_name(policy::service_auth a) {
  switch (a) {
    case policy::service_auth::any: return "any";
    case policy::service_auth::password: return "password";
    case policy::service_auth::certificate: return "certificate";
  }
  return "any";
}

std::string targets_text(const policy::verdict& v) {
  std::string out;
  for (std::size_t i = 0; i < v.targets.size(); ++i)
    out += (i ? "," : "") + text::endpoint_text(v.targets[i]);
  return out.empty() ? "-" : out;
}

// The rule that decided: a catalog entry, else the exposure mode.
std::string rule_text(const policy::rules& r, const policy::verdict& v) {
  if (v.svc != nullptr) return "service " + v.svc->name;
  return std::string("expose ") + policy::expose_name(r.expose);
}

}  // namespace

std::string tls_debug_line(const std::string& client, const tls::engine& e) {
  const std::string group = e.group();
  text::field_line line("tls");
  line.add("client", client)
      .add("version", e.version())
      .add("suite", e.cipher())
      .add("group", group.empty() ? "-" : group)
      .add("resumed", e.resumed() ? "yes" : "no");
  return line.str();
}

std::string policy_debug_line(const decision_facts& f, const policy::rules& r, const policy::verdict& v) {
  text::field_line line("policy");
  line.add("client", f.client).add("command", f.command).add("request", f.request);
  if (!v.allowed) {
    char rep[8];
    std::snprintf(rep, sizeof rep, "0x%02x", static_cast<unsigned>(v.code));
    line.add("verdict", "denied").add("rep", rep).add_quoted("reason", v.reason);
  } else {
    line.add("verdict", "allowed").add_quoted("rule", rule_text(r, v));
    // same-address: every request goes to the address the connection arrived on.
    if (v.svc == nullptr && r.expose == policy::expose_mode::same_address)
      line.add_quoted("rewrite", f.request + " -> the arrival address " + text::ip_text(f.arrival));
    line.add("targets", targets_text(v));
    if (v.has_source) line.add("source", text::ip_text(v.source));
  }
  line.add("auth-required", v.svc != nullptr ? auth_name(v.svc->auth) : "any").add("auth", f.auth);
  return line.str();
}

}  // namespace server
}  // namespace tlsmux
