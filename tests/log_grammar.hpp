// SPDX-License-Identifier: GPL-2.0-or-later
// A parser of the log-line grammar, written from its definition in src/text/log_fields.hpp
// (and tlsmux(1), LOGGING), not from the writer: the tests parse lines back with it.
#ifndef TLSMUX_TESTS_LOG_GRAMMAR_HPP
#define TLSMUX_TESTS_LOG_GRAMMAR_HPP

#include <string>
#include <utility>
#include <vector>

namespace log_grammar {

typedef std::vector<std::pair<std::string, std::string> > fields;

inline int hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

inline bool key_byte(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'; }

// quoted = DQUOTE *(%x20-21 / %x23-3C / %x3E-5B / %x5D-7E / "\x" 2HEXDIG) DQUOTE, at line[i].
inline bool quoted(const std::string& line, std::size_t& i, std::string& value) {
  for (++i; i < line.size(); ++i) {
    const char c = line[i];
    if (c == '"') return ++i, true;
    if (c == '\\') {
      if (i + 3 >= line.size() || line[i + 1] != 'x' || hex(line[i + 2]) < 0 || hex(line[i + 3]) < 0)
        return false;
      value += static_cast<char>(hex(line[i + 2]) * 16 + hex(line[i + 3]));
      i += 3;
    } else if (c < 0x20 || c > 0x7e || c == '=') {
      return false;
    } else {
      value += c;
    }
  }
  return false;  // no closing quote
}

// bare = *(%x21 / %x23-3C / %x3E-5B / %x5D-7E), up to the next space.
inline bool bare(const std::string& line, std::size_t& i, std::string& value) {
  for (; i < line.size() && line[i] != ' '; ++i) {
    const char c = line[i];
    if (c < 0x21 || c > 0x7e || c == '"' || c == '=' || c == '\\') return false;
    value += c;
  }
  return true;
}

// line = tag *(SP key "=" value); false on anything else.
inline bool parse(const std::string& line, std::string& tag, fields& out) {
  std::size_t i = line.find(' ');
  tag = line.substr(0, i);
  while (i != std::string::npos) {
    const std::size_t eq = line.find('=', ++i);
    if (eq == std::string::npos || eq == i) return false;
    const std::string key = line.substr(i, eq - i);
    for (std::size_t k = 0; k < key.size(); ++k)
      if (!key_byte(key[k])) return false;
    std::string value;
    i = eq + 1;
    if (!(i < line.size() && line[i] == '"' ? quoted(line, i, value) : bare(line, i, value))) return false;
    if (i < line.size() && line[i] != ' ') return false;
    out.push_back(std::make_pair(key, value));
    if (i == line.size()) i = std::string::npos;
  }
  return true;
}

/// The value of the only field named key; false when it is missing or there twice.
inline bool only(const fields& f, const std::string& key, std::string& value) {
  int n = 0;
  for (std::size_t i = 0; i < f.size(); ++i)
    if (f[i].first == key) {
      value = f[i].second;
      ++n;
    }
  return n == 1;
}

}  // namespace log_grammar

#endif
