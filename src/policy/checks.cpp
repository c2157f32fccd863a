// SPDX-License-Identifier: GPL-2.0-or-later
// The decider's building blocks: every check works on canonical binary addresses.
#include "policy/checks.hpp"

#include "policy/address_class.hpp"

#include <algorithm>

namespace tlsmux {
namespace policy {
namespace checks {

namespace {

const char hex_digits[] = "0123456789abcdef";

// Same family and bytes; an IPv6 scope id does not make a different host address.
bool same_ip(const asio::ip::address& a, const asio::ip::address& b) {
  if (a.is_v4() != b.is_v4()) return false;
  if (a.is_v4()) return a.to_v4() == b.to_v4();
  return a.to_v6().to_bytes() == b.to_v6().to_bytes();
}

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool same_name(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return false;
  for (std::string::size_type i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

// Why a non-local class is refused, e.g. "0.0.0.0 is unspecified".
std::string refusal(const asio::ip::address& a, address_class c) {
  std::string text = socks5::ip_text(a);
  switch (c) {
    case address_class::embedded_ipv4: return text + " embeds an IPv4 address";
    case address_class::ordinary: return text + " is not a local address";
    default: return text + " is " + class_name(c);
  }
}

bool auth_satisfied(service_auth a, const session_facts& f) {
  switch (a) {
    case service_auth::any: return true;
    case service_auth::password: return f.password;
    case service_auth::certificate: return f.certificate;
  }
  return false;
}

}  // namespace

verdict deny(const std::string& reason, socks5::reply_code code) {
  verdict v;
  v.allowed = false;
  v.code = code;
  v.reason = reason;
  return v;
}

std::string hex_byte(std::uint8_t b) {
  std::string s = "0x";
  s += hex_digits[b >> 4];
  s += hex_digits[b & 0x0f];
  return s;
}

std::string escape(const std::string& s) {
  std::string r;
  r.reserve(s.size());
  for (std::string::size_type i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c > 0x7e || c == '\\') {
      r += "\\x";
      r += hex_digits[c >> 4];
      r += hex_digits[c & 0x0f];
    } else {
      r += static_cast<char>(c);
    }
  }
  return r;
}

std::string endpoint_text(const asio::ip::address& a, std::uint16_t port) {
  std::string host = a.is_v6() ? "[" + socks5::ip_text(a) + "]" : socks5::ip_text(a);
  return host + ":" + std::to_string(port);
}

address_list own_addresses(address_source& s) {
  address_list own = s.addresses();
  for (std::size_t i = 0; i < own.size(); ++i) own[i] = canonical(own[i]);
  return own;
}

bool is_local(const asio::ip::address& canon, const address_list& own, std::string& reason) {
  address_class c = classify(canon);
  if (c == address_class::loopback) return true;
  if (c == address_class::ordinary) {
    for (std::size_t i = 0; i < own.size(); ++i)
      if (same_ip(own[i], canon)) return true;
  }
  reason = refusal(canon, c);
  return false;
}

bool port_ok(const rules& r, std::uint16_t port, std::string& reason) {
  if (port == 0) {
    reason = "port 0 is not a service";
    return false;
  }
  if (std::find(r.own_ports.begin(), r.own_ports.end(), port) != r.own_ports.end()) {
    reason = "port " + std::to_string(port) + " is tlsmux itself";
    return false;
  }
  return true;
}

bool destination_ok(const rules& r, const address_list& own, const asio::ip::address& canon,
                    std::uint16_t port, std::string& reason) {
  return is_local(canon, own, reason) && port_ok(r, port, reason);
}

const service* find_by_name(const rules& r, const std::string& name) {
  for (std::size_t i = 0; i < r.catalog.size(); ++i)
    if (same_name(r.catalog[i].name, name)) return &r.catalog[i];
  return nullptr;
}

const service* find_exact(const rules& r, const asio::ip::address& canon, std::uint16_t port) {
  for (std::size_t i = 0; i < r.catalog.size(); ++i) {
    const service& s = r.catalog[i];
    if (s.port == port && same_ip(canonical(s.address), canon)) return &s;
  }
  return nullptr;
}

bool service_permits(const service& s, std::uint8_t cmd, const session_facts& f,
                     verdict& denial) {
  const std::string quoted = "service '" + escape(s.name) + "'";
  if (cmd == static_cast<std::uint8_t>(socks5::command::bind) && !s.bind) {
    denial = deny(quoted + " does not allow bind", socks5::reply_code::command_not_supported);
    return false;
  }
  if (cmd == static_cast<std::uint8_t>(socks5::command::udp_associate) && !s.udp) {
    denial = deny(quoted + " does not allow udp", socks5::reply_code::command_not_supported);
    return false;
  }
  if (!auth_satisfied(s.auth, f)) {
    denial = deny(quoted + " requires " +
                  (s.auth == service_auth::password ? "password" : "certificate"));
    return false;
  }
  return true;
}

bool catalog_permits(const rules& r, const service* exact, std::uint16_t port,
                     std::uint8_t cmd, const session_facts& f, verdict& denial) {
  if (exact) return service_permits(*exact, cmd, f, denial);
  for (std::size_t i = 0; i < r.catalog.size(); ++i)
    if (r.catalog[i].port == port && !service_permits(r.catalog[i], cmd, f, denial))
      return false;
  return true;
}

void set_source(const service& s, verdict& v) {
  v.has_source = s.has_source;
  v.source = s.has_source ? canonical(s.source) : asio::ip::address();
}

verdict for_service(const rules& r, const address_list& own, const service& s,
                    std::uint8_t cmd, const session_facts& f) {
  verdict v;
  if (!service_permits(s, cmd, f, v)) return v;
  asio::ip::address target = canonical(s.address);
  std::string reason;
  if (!destination_ok(r, own, target, s.port, reason))
    return deny("service '" + escape(s.name) + "': " + reason);
  v.allowed = true;
  v.targets.push_back(asio::ip::tcp::endpoint(target, s.port));
  v.svc = &s;
  set_source(s, v);
  return v;
}

}  // namespace checks
}  // namespace policy
}  // namespace tlsmux
