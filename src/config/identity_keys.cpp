// SPDX-License-Identifier: GPL-2.0-or-later
// The keys that pass a session's identity on to local services: source-CLASS[-v6], ident,
// ident-listen (tlsmux.conf(5), docs/security.md).
#include "config/server_config.hpp"

#include "config/value_syntax.hpp"
#include "text/escape.hpp"
#include "text/ip_text.hpp"

namespace tlsmux {
namespace config {

namespace {

const identity::id_class classes[] = {identity::id_class::anonymous, identity::id_class::password,
                                      identity::id_class::certificate};

std::vector<std::string> make_keys() {
  std::vector<std::string> keys;
  for (std::size_t i = 0; i < identity::id_class_count; ++i) {
    keys.push_back(std::string("source-") + identity::class_key(classes[i]));
    keys.push_back(std::string("source-") + identity::class_key(classes[i]) + "-v6");
  }
  keys.push_back("ident");
  keys.push_back("ident-listen");
  return keys;
}

// "none" unsets; otherwise an address of the key's family.
bool set_source(const std::string& value, bool v6, identity::class_source& out, std::string& why) {
  identity::class_source fresh;
  if (value == "none") {
    out = fresh;
    return true;
  }
  asio::ip::address a;
  if (!text::parse_ip(value, a) || a.is_v6() != v6 || a.is_unspecified() || a.is_multicast()) {
    why = std::string("expected none or a unicast ") + (v6 ? "IPv6" : "IPv4") + " address, not " + text::quote(value);
    return false;
  }
  fresh.set = true;
  fresh.address = a;
  out = fresh;
  return true;
}

}  // namespace

const std::vector<std::string>& identity_keys() {
  static const std::vector<std::string> keys = make_keys();
  return keys;
}

bool apply_identity_key(const std::string& key, const std::string& value, server_config& cfg,
                        std::string& why) {
  if (key == "ident") {
    if (!parse_bool(value, cfg.ident)) why = "expected yes or no, not " + text::quote(value);
    return true;
  }
  if (key == "ident-listen") {
    if (valid_listen(value)) cfg.ident_listen = value;
    else why = "expected ADDR:PORT, [ADDR]:PORT, *:PORT or PORT, not " + text::quote(value);
    return true;
  }
  for (std::size_t i = 0; i < identity::id_class_count; ++i) {
    const std::string base = std::string("source-") + identity::class_key(classes[i]);
    if (key == base || key == base + "-v6") {
      bool v6 = key != base;
      set_source(value, v6, cfg.sources.at(classes[i], v6), why);
      return true;
    }
  }
  return false;
}

}  // namespace config
}  // namespace tlsmux
