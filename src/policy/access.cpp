// SPDX-License-Identifier: GPL-2.0-or-later
// Networks, the global client filter and certificate name patterns.
#include "policy/access.hpp"

#include "policy/address_class.hpp"
#include "policy/address_prefix.hpp"
#include "text/ascii.hpp"

namespace tlsmux {
namespace policy {

namespace {

// The address with every bit after `bits` cleared.
asio::ip::address masked(const asio::ip::address& a, unsigned bits) {
  prefix_lengths p;
  p.v4 = bits;
  p.v6 = bits;
  return network_of(a, p);
}

}  // namespace

bool parse_network(const std::string& text, network& out, std::string& why) {
  const std::string::size_type slash = text.find('/');
  const std::string ip = text.substr(0, slash);
  std::error_code ec;
  asio::ip::address a = asio::ip::make_address(ip, ec);
  if (ec || ip.find('%') != std::string::npos) {
    why = "'" + text + "' is not an IP address or network";
    return false;
  }
  a = canonical(a);
  const unsigned full = a.is_v4() ? 32 : 128;
  unsigned bits = full;
  if (slash != std::string::npos) {
    const std::string digits = text.substr(slash + 1);
    if (digits.empty() || digits.size() > 3 || digits.find_first_not_of("0123456789") != std::string::npos ||
        std::stoul(digits) > full) {
      why = "'" + text + "': the prefix length must be 0-" + std::to_string(full);
      return false;
    }
    bits = static_cast<unsigned>(std::stoul(digits));
  }
  // masked() takes 0 as 0 bits only through the prefix; handle /0 explicitly.
  asio::ip::address base = bits == 0 ? (a.is_v4() ? asio::ip::address(asio::ip::address_v4())
                                                  : asio::ip::address(asio::ip::address_v6()))
                                     : masked(a, bits);
  if (base != a) {
    why = "'" + text + "' has host bits set (did you mean " + base.to_string() + "/" + std::to_string(bits) + "?)";
    return false;
  }
  out.base = base;
  out.bits = bits;
  return true;
}

bool parse_network_list(const std::string& text, std::vector<network>& out, std::string& why) {
  const std::vector<std::string> items = split_names(text);
  if (items.empty()) {
    why = "expected one or more addresses or networks";
    return false;
  }
  std::vector<network> parsed;
  for (std::size_t i = 0; i < items.size(); ++i) {
    network n;
    if (!parse_network(items[i], n, why)) return false;
    parsed.push_back(n);
  }
  out = parsed;
  return true;
}

std::string network_text(const network& n) {
  const unsigned full = n.base.is_v4() ? 32 : 128;
  return n.bits == full ? n.base.to_string() : n.base.to_string() + "/" + std::to_string(n.bits);
}

bool in_network(const asio::ip::address& a, const network& n) {
  const asio::ip::address c = canonical(a);
  if (c.is_v4() != n.base.is_v4()) return false;
  if (n.bits == 0) return true;
  const asio::ip::address m = masked(c, n.bits);
  if (m.is_v4()) return m.to_v4() == n.base.to_v4();
  return m.to_v6().to_bytes() == n.base.to_v6().to_bytes();
}

bool in_any(const asio::ip::address& a, const std::vector<network>& list) {
  for (std::size_t i = 0; i < list.size(); ++i)
    if (in_network(a, list[i])) return true;
  return false;
}

bool client_admitted(const client_filter& f, const asio::ip::address& client, std::string& why) {
  for (std::size_t i = 0; i < f.deny.size(); ++i)
    if (in_network(client, f.deny[i])) {
      why = "in deny-from " + network_text(f.deny[i]);
      return false;
    }
  if (!f.allow.empty() && !in_any(client, f.allow)) {
    why = "not in allow-from";
    return false;
  }
  return true;
}

std::vector<std::string> split_names(const std::string& text) {
  std::vector<std::string> out;
  std::string cur;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    const char c = i < text.size() ? text[i] : ',';
    if (c == ',' || c == ' ' || c == '\t') {
      if (!cur.empty()) out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  return out;
}

bool name_matches(const std::string& pattern, const std::string& name) {
  if (pattern.compare(0, 2, "*.") != 0) return text::ascii_iequal(pattern, name);
  const std::string suffix = pattern.substr(1);  // ".example.org"
  if (name.size() <= suffix.size()) return false;
  const std::string::size_type label = name.size() - suffix.size();
  if (!text::ascii_iequal(name.substr(label), suffix)) return false;
  return name.find('.') == label;  // exactly one label before the suffix, and not empty
}

bool any_name_matches(const std::vector<std::string>& patterns, const std::vector<std::string>& names) {
  for (std::size_t i = 0; i < patterns.size(); ++i)
    for (std::size_t j = 0; j < names.size(); ++j)
      if (name_matches(patterns[i], names[j])) return true;
  return false;
}

}  // namespace policy
}  // namespace tlsmux
