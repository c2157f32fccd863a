// SPDX-License-Identifier: GPL-2.0-or-later
// The client configuration file: parser, Host matching, first-value-wins resolution.
#include "client/client_config.hpp"
#include "text/ascii.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>

namespace tlsmux {
namespace client {

namespace {

const std::size_t max_line = 4096;

struct keyword {
  const char* name;     // lower case, as written in the file
  const char* option;   // the client option it sets
  bool repeatable;      // accumulates (forwards) instead of first-wins
};

const keyword keywords[] = {
    {"hostname", "hostname", false},      {"port", "port", false},
    {"pin", "pin", false},                {"ca", "ca", false},
    {"cert", "cert", false},              {"key", "key", false},
    {"user", "user", false},              {"passwordfile", "password-file", false},
    {"connecttimeout", "timeout", false}, {"knownhostsfile", "known-hosts", false},
    {"servername", "server-name", false}, {"tlsprofile", "tls-profile", false},
    {"checkatstart", "no-check", false},  {"localforward", "forward", true},
    {"dynamicforward", "dynamic", true},  {"serveraliveinterval", "keepalive", false},
    {"cipherpreference", "cipher-preference", false}};

const keyword* find_keyword(const std::string& k) {
  for (std::size_t i = 0; i < sizeof keywords / sizeof keywords[0]; ++i)
    if (k == keywords[i].name) return &keywords[i];
  return nullptr;
}

bool space(char c) { return c == ' ' || c == '\t' || c == '\r'; }

// Splits the arguments: whitespace-separated, "double quoted" words kept whole.
bool split_args(const std::string& s, std::size_t i, std::vector<std::string>& out, std::string& why) {
  while (i < s.size()) {
    while (i < s.size() && space(s[i])) ++i;
    if (i >= s.size()) break;
    std::string word;
    if (s[i] == '"') {
      std::size_t close = s.find('"', i + 1);
      if (close == std::string::npos) {
        why = "unterminated quote";
        return false;
      }
      word = s.substr(i + 1, close - i - 1);
      i = close + 1;
      if (i < s.size() && !space(s[i])) {
        why = "text right after a closing quote";
        return false;
      }
    } else {
      while (i < s.size() && !space(s[i])) word.push_back(s[i++]);
    }
    out.push_back(word);
  }
  return true;
}

bool valid_value(const std::string& key, const std::string& v, std::string& why) {
  if (key == "port") {
    bool digits = !v.empty() && v.size() <= 5 && v.find_first_not_of("0123456789") == std::string::npos;
    if (!digits || std::atol(v.c_str()) < 1 || std::atol(v.c_str()) > 65535) why = "Port must be 1 to 65535";
  } else if (key == "checkatstart") {
    std::string l = text::ascii_lower(v);
    if (l != "yes" && l != "no") why = "CheckAtStart must be yes or no";
  } else if (v.empty()) {
    why = "empty value";
  }
  return why.empty();
}

}  // namespace

client_config_parser::client_config_parser(const std::string& file_name) {
  out_.name = file_name;
  out_.blocks.push_back(host_block());
}

void client_config_parser::feed(const char* data, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    if (data[i] == '\n') {
      line_done();
      continue;
    }
    if (line_.size() < max_line) line_.push_back(data[i]);
    else too_long_ = true;
  }
}

void client_config_parser::finish() {
  if (!line_.empty() || too_long_) line_done();
}

void client_config_parser::line_done() {
  ++line_no_;
  if (too_long_) error("line longer than " + std::to_string(max_line) + " bytes");
  else if (line_.find('\0') != std::string::npos) error("NUL byte");
  else parse_line(line_);
  line_.clear();
  too_long_ = false;
}

void client_config_parser::error(const std::string& what) {
  errors_.push_back(out_.name + ":" + std::to_string(line_no_) + ": " + what);
}

void client_config_parser::parse_line(const std::string& s) {
  std::size_t i = 0;
  while (i < s.size() && space(s[i])) ++i;
  if (i >= s.size() || s[i] == '#') return;
  std::size_t k = i;
  while (i < s.size() && !space(s[i]) && s[i] != '=') ++i;
  const std::string key = text::ascii_lower(s.substr(k, i - k));
  while (i < s.size() && space(s[i])) ++i;
  if (i < s.size() && s[i] == '=') ++i;  // "Keyword=value" and "Keyword = value", as ssh
  std::vector<std::string> args;
  std::string why;
  if (!split_args(s, i, args, why)) return error(why);
  if (key == "host") {
    if (args.empty()) return error("Host needs at least one pattern");
    out_.blocks.push_back(host_block());
    out_.blocks.back().patterns = args;
    return;
  }
  const keyword* kw = find_keyword(key);
  if (!kw) return error("unknown keyword '" + s.substr(k, std::min<std::size_t>(key.size(), 64)) + "'");
  // ssh's "LocalForward [BIND:]PORT HOST:PORT" is the -L argument with a ':' for the space.
  std::size_t most = key == "localforward" ? 2 : 1;
  if (args.empty() || args.size() > most)
    return error(std::string(kw->name) + " takes " + (most == 2 ? "one or two values" : "one value"));
  config_setting set;
  set.key = key;
  set.value = args.size() == 2 ? args[0] + ":" + args[1] : args[0];
  set.line = line_no_;
  if (!valid_value(key, set.value, why)) return error(why);
  out_.blocks.back().settings.push_back(set);
}

bool glob_match(const std::string& pattern, const std::string& name) {
  std::size_t p = 0, n = 0, star = std::string::npos, mark = 0;
  while (n < name.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = n;
    } else if (p < pattern.size() && (pattern[p] == '?' || std::tolower(static_cast<unsigned char>(pattern[p])) ==
                                                              std::tolower(static_cast<unsigned char>(name[n])))) {
      ++p;
      ++n;
    } else if (star != std::string::npos) {
      p = star + 1;
      n = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

bool host_matches(const std::vector<std::string>& patterns, const std::string& host) {
  bool matched = false;
  for (std::size_t i = 0; i < patterns.size(); ++i) {
    const std::string& pat = patterns[i];
    if (!pat.empty() && pat[0] == '!') {
      if (glob_match(pat.substr(1), host)) return false;
    } else if (glob_match(pat, host)) {
      matched = true;
    }
  }
  return matched;
}

std::vector<config::entry> resolve_host(const std::vector<client_config_file>& files, const std::string& host) {
  std::vector<config::entry> out;
  std::vector<std::string> taken;
  for (std::size_t f = 0; f < files.size(); ++f) {
    for (std::size_t b = 0; b < files[f].blocks.size(); ++b) {
      const host_block& blk = files[f].blocks[b];
      if (!blk.patterns.empty() && !host_matches(blk.patterns, host)) continue;
      for (std::size_t s = 0; s < blk.settings.size(); ++s) {
        const config_setting& set = blk.settings[s];
        const keyword* kw = find_keyword(set.key);
        if (!kw) continue;
        bool seen = false;
        for (std::size_t t = 0; t < taken.size(); ++t) seen = seen || taken[t] == set.key;
        if (seen && !kw->repeatable) continue;
        if (!seen) taken.push_back(set.key);
        if (set.key == "checkatstart" && text::ascii_lower(set.value) == "yes") continue;  // the default
        config::entry e;
        e.key = kw->option;
        e.value = set.key == "checkatstart" ? std::string() : set.value;
        e.file = files[f].name;
        e.line = set.line;
        out.push_back(e);
      }
    }
  }
  return out;
}

}  // namespace client
}  // namespace tlsmux
