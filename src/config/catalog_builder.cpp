// SPDX-License-Identifier: GPL-2.0-or-later
// Service catalog from the configuration: per-key syntax, duplicates and required keys.
#include "config/catalog_builder.hpp"

#include "config/server_config.hpp"
#include "config/value_syntax.hpp"
#include "text/escape.hpp"
#include "text/ip_text.hpp"

#include <sstream>

namespace tlsmux {
namespace config {

namespace {

void fail(const entry& e, const std::string& message, std::vector<error>& errors) {
  error err;
  err.file = e.file;
  err.line = e.line;
  err.message = message;
  errors.push_back(err);
}

// Applies one service key; returns the error text, empty on success.
std::string set_key(policy::service& s, bool& port_set, const std::string& key,
                    const std::string& value) {
  std::uint64_t n = 0;
  if (key == "port") {
    if (!parse_number(value, 1, 65535, n)) return "port must be 1-65535, not " + text::quote(value);
    s.port = static_cast<std::uint16_t>(n);
    port_set = true;
  } else if (key == "address") {
    if (!text::parse_ip(value, s.address)) return "address must be an IP address, not " + text::quote(value);
  } else if (key == "source") {
    if (!text::parse_ip(value, s.source)) return "source must be an IP address, not " + text::quote(value);
    s.has_source = true;
  } else if (key == "proxy-protocol") {
    if (!identity::parse_proxy_version(value, s.proxy))
      return "proxy-protocol must be none, v1 or v2, not " + text::quote(value);
  } else if (key == "auth") {
    if (!policy::parse_service_auth(value, s.auth))
      return "auth must be any, password or certificate, not " + text::quote(value);
  } else if (key == "allow-from") {
    std::string why;
    if (!policy::parse_network_list(value, s.allow_from, why)) return "allow-from: " + why;
  } else if (key == "allow-users" || key == "allow-groups" || key == "allow-cert") {
    std::vector<std::string> names = policy::split_names(value);
    if (names.empty()) return key + " needs one or more names";
    (key == "allow-users" ? s.allow_users : key == "allow-groups" ? s.allow_groups : s.allow_cert) = names;
  } else if (key == "client-ca") {
    if (value.empty()) return "client-ca needs a file";
    s.client_ca = value;
  } else if (key == "udp") {
    if (!parse_bool(value, s.udp)) return "udp must be yes or no, not " + text::quote(value);
  } else if (key == "bind") {
    if (!parse_bool(value, s.bind)) return "bind must be yes or no, not " + text::quote(value);
  } else {
    return "unknown key " + text::quote(key);
  }
  return std::string();
}

}  // namespace

catalog_builder::catalog_builder(const std::vector<policy::service>& existing) {
  for (std::size_t i = 0; i < existing.size(); ++i) {
    item it;
    it.svc = existing[i];
    it.port_set = existing[i].port != 0;
    items_.push_back(it);
  }
}

catalog_builder::item* catalog_builder::find(const std::string& name) {
  for (std::size_t i = 0; i < items_.size(); ++i)
    if (lower(items_[i].svc.name) == lower(name)) return &items_[i];
  return nullptr;
}

catalog_builder::item& catalog_builder::start(const std::string& name, const entry& e,
                                              bool from_flag) {
  item fresh;
  fresh.svc.name = name;
  fresh.file = e.file;
  fresh.line = e.line;
  fresh.from_flag = from_flag;
  item* old = find(name);
  if (old) {
    *old = fresh;  // a later source redefines the service, keeping its place
    return *old;
  }
  items_.push_back(fresh);
  return items_.back();
}

void catalog_builder::section_entry(const std::string& name, const entry& e,
                                    std::vector<error>& errors) {
  if (!valid_service_name(name)) return fail(e, "bad service name " + text::quote(name), errors);
  item* it = find(name);
  if (it && it->file == e.file && it->from_flag)
    return fail(e, "duplicate service " + text::quote(name), errors);
  if (!it || it->file != e.file) it = &start(name, e, false);
  std::string why = set_key(it->svc, it->port_set, normalise_key(e.key), e.value);
  if (!why.empty()) fail(e, why, errors);
}

void catalog_builder::flag_entry(const entry& e, std::vector<error>& errors) {
  std::istringstream in(e.value);
  std::string name, word;
  in >> name;
  if (!valid_service_name(name))
    return fail(e, "service: expected 'NAME key=value ...', not " + text::quote(e.value), errors);
  item* old = find(name);
  if (old && old->file == e.file) return fail(e, "duplicate service " + text::quote(name), errors);
  item& it = start(name, e, true);
  while (in >> word) {
    std::string::size_type eq = word.find('=');
    std::string why = eq == std::string::npos
                          ? "service " + name + ": expected key=value, not " + text::quote(word)
                          : set_key(it.svc, it.port_set, normalise_key(word.substr(0, eq)),
                                    word.substr(eq + 1));
    if (!why.empty()) fail(e, why, errors);
  }
}

void catalog_builder::finish(std::vector<policy::service>& catalog, std::vector<error>& errors) {
  catalog.clear();
  for (std::size_t i = 0; i < items_.size(); ++i) {
    if (!items_[i].port_set) {
      error err;
      err.file = items_[i].file;
      err.line = items_[i].line;
      err.message = "service '" + items_[i].svc.name + "' needs a port";
      errors.push_back(err);
      continue;
    }
    catalog.push_back(items_[i].svc);
  }
}

}  // namespace config
}  // namespace tlsmux
