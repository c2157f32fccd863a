// SPDX-License-Identifier: GPL-2.0-or-later
// known_hosts: parse, look up and format trust-on-first-use entries.
#include "client/known_hosts.hpp"

#include "tls/pin.hpp"
#include "text/ascii.hpp"

#include <cctype>
#include <sstream>

namespace tlsmux {
namespace client {

namespace {

bool valid_key(const std::string& key) {
  std::string::size_type colon = key.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == key.size()) return false;
  for (std::size_t i = colon + 1; i < key.size(); ++i)
    if (!std::isdigit(static_cast<unsigned char>(key[i]))) return false;
  for (std::size_t i = 0; i < colon; ++i) {
    unsigned char c = static_cast<unsigned char>(key[i]);
    if (c <= 0x20 || c >= 0x7f) return false;
  }
  return true;
}

// Splits one line into its entry; false for comments, blank and corrupt lines (corrupt set).
bool parse_line(std::string line, known_host& h, bool& corrupt) {
  corrupt = false;
  if (!line.empty() && line[line.size() - 1] == '\r') line.erase(line.size() - 1);
  std::string::size_type start = line.find_first_not_of(" \t");
  if (start == std::string::npos || line[start] == '#') return false;
  std::istringstream fields(line.substr(start));
  std::string first, extra;
  fields >> first;
  h.next = first == "@next";
  if (h.next) fields >> h.key;
  else h.key = first;
  fields >> h.pin;
  if (fields >> extra || !valid_key(h.key) || !tls::is_valid_pin(h.pin)) {
    corrupt = true;
    return false;
  }
  h.key = text::ascii_lower(h.key);
  return true;
}

// Keeps the lines of text for which keep(entry) is true (comments and corrupt lines always).
template <class Keep>
std::string filter_lines(const std::string& text, Keep keep) {
  std::istringstream in(text);
  std::string line, out;
  while (std::getline(in, line)) {
    known_host h;
    bool corrupt = false;
    if (parse_line(line, h, corrupt) && !keep(h)) continue;
    out += line + "\n";
  }
  return out;
}

}  // namespace

void known_hosts::load(const std::string& text, const std::string& file,
                       std::vector<std::string>& warnings) {
  std::istringstream in(text);
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    known_host h;
    bool corrupt = false;
    if (!parse_line(line, h, corrupt)) {
      if (corrupt) warnings.push_back(file + ":" + std::to_string(number) + ": ignoring a corrupt line");
      continue;
    }
    h.line = number;
    hosts_.push_back(h);
  }
}

trust known_hosts::check(const std::string& key, const std::string& pin, known_host& found) const {
  std::string k = text::ascii_lower(key);
  bool seen = false;
  for (std::size_t i = 0; i < hosts_.size(); ++i) {
    if (hosts_[i].key != k || hosts_[i].next) continue;
    if (hosts_[i].pin == pin) {
      found = hosts_[i];
      return trust::match;
    }
    if (!seen) found = hosts_[i];
    seen = true;
  }
  return seen ? trust::mismatch : trust::unknown;
}

bool known_hosts::announced(const std::string& key, const std::string& pin, known_host& found) const {
  std::string k = text::ascii_lower(key);
  for (std::size_t i = 0; i < hosts_.size(); ++i)
    if (hosts_[i].next && hosts_[i].key == k && hosts_[i].pin == pin) {
      found = hosts_[i];
      return true;
    }
  return false;
}

std::string known_hosts::set_next(const std::string& text, const std::string& key, const std::vector<std::string>& pins) {
  const std::string k = text::ascii_lower(key);
  std::string out = filter_lines(text, [&k](const known_host& h) { return !(h.next && h.key == k); });
  for (std::size_t i = 0; i < pins.size(); ++i) out += "@next " + k + " " + pins[i] + "\n";
  return out;
}

std::string known_hosts::promote(const std::string& text, const std::string& key, const std::string& pin) {
  const std::string k = text::ascii_lower(key);
  return filter_lines(text, [&k](const known_host& h) { return h.key != k; }) + format(k, pin);
}

std::string known_hosts::remove(const std::string& text, const std::string& key, int& removed) {
  const std::string k = text::ascii_lower(key);
  removed = 0;
  return filter_lines(text, [&k, &removed](const known_host& h) {
    if (h.key != k) return true;
    ++removed;
    return false;
  });
}

std::string known_hosts::format(const std::string& key, const std::string& pin) {
  return text::ascii_lower(key) + " " + pin + "\n";
}

std::string known_hosts::make_key(const std::string& host, unsigned port) {
  std::string h = host;
  if (h.find(':') != std::string::npos && h[0] != '[') h = "[" + h + "]";
  return text::ascii_lower(h) + ":" + std::to_string(port);
}

}  // namespace client
}  // namespace tlsmux
