// SPDX-License-Identifier: GPL-2.0-or-later
// The INI reader: one pass over the lines, every problem reported with file and line.
#include "config/ini.hpp"

#include "config/value_syntax.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>

namespace tlsmux {
namespace config {

namespace {

const std::string::size_type max_line = 4096;
const std::streamsize max_file = 1024 * 1024;

// Where the reader is: the current section and what it has seen so far.
struct reader {
  reader(const std::string& f, std::vector<entry>& o, std::vector<error>& e)
      : file(f), out(o), errors(e) {}

  const std::string& file;
  std::vector<entry>& out;
  std::vector<error>& errors;
  std::string section;
  int section_line = 0;
  std::size_t section_entries = 0;
  std::map<std::string, int> services;  // lower-case name -> header line

  void fail(int line, const std::string& message) {
    error e;
    e.file = file;
    e.line = line;
    e.message = message;
    errors.push_back(e);
  }
};

bool has_control_byte(const std::string& s) {
  for (std::string::size_type i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if ((c < 0x20 && c != '\t') || c == 0x7f) return true;
  }
  return false;
}

std::vector<std::string> words(const std::string& s) {
  std::vector<std::string> w;
  std::istringstream in(s);
  std::string word;
  while (in >> word) w.push_back(word);
  return w;
}

// A service section with no key cannot define a port: report it when it ends.
void end_section(reader& r) {
  if (r.section.compare(0, 8, "service ") == 0 && r.section_entries == 0)
    r.fail(r.section_line, "[" + r.section + "] has no keys (port is required)");
}

void header(reader& r, const std::string& text, int line) {
  end_section(r);
  r.section.clear();
  r.section_line = line;
  r.section_entries = 0;
  if (text[text.size() - 1] != ']') return r.fail(line, "malformed section header");
  std::vector<std::string> w = words(text.substr(1, text.size() - 2));
  if (w.empty()) return r.fail(line, "empty section header");
  if (lower(w[0]) == "service") {
    if (w.size() != 2 || !valid_service_name(w[1]))
      return r.fail(line, "expected [service NAME] (letters, digits, '-', '_', '.')");
    std::map<std::string, int>::const_iterator seen = r.services.find(lower(w[1]));
    if (seen != r.services.end())
      return r.fail(line, "duplicate service '" + w[1] + "' (first defined at line " +
                              std::to_string(seen->second) + ")");
    r.services[lower(w[1])] = line;
    r.section = "service " + w[1];
    return;
  }
  if (w.size() != 1 || !valid_service_name(w[0])) return r.fail(line, "malformed section header");
  r.section = lower(w[0]);
}

void key_value(reader& r, const std::string& text, int line) {
  std::string::size_type eq = text.find('=');
  if (eq == std::string::npos) return r.fail(line, "expected 'key = value'");
  std::string key = trim(text.substr(0, eq));
  if (key.empty()) return r.fail(line, "missing key before '='");
  key = normalise_key(key);
  if (key.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-.") != std::string::npos)
    return r.fail(line, "bad key '" + key + "'");
  std::string value = trim(text.substr(eq + 1));
  if (value.size() >= 2 && value[0] == '"' && value[value.size() - 1] == '"')
    value = value.substr(1, value.size() - 2);
  entry e;
  e.section = r.section;
  e.key = key;
  e.value = value;
  e.file = r.file;
  e.line = line;
  r.out.push_back(e);
  ++r.section_entries;
}

void one_line(reader& r, std::string text, int line) {
  if (!text.empty() && text[text.size() - 1] == '\r') text.erase(text.size() - 1);
  if (line == 1 && text.compare(0, 3, "\xef\xbb\xbf") == 0) text.erase(0, 3);  // UTF-8 BOM
  if (text.find('\0') != std::string::npos) return r.fail(line, "NUL byte");
  if (text.size() > max_line) return r.fail(line, "line longer than 4096 bytes");
  if (has_control_byte(text)) return r.fail(line, "control character");
  text = trim(text);
  if (text.empty() || text[0] == '#' || text[0] == ';') return;
  if (text[0] == '[') return header(r, text, line);
  key_value(r, text, line);
}

}  // namespace

std::string error::to_string() const {
  if (file.empty()) return line > 0 ? std::to_string(line) + ": " + message : message;
  if (line <= 0) return file + ": " + message;
  return file + ":" + std::to_string(line) + ": " + message;
}

bool parse_ini(const std::string& text, const std::string& file, std::vector<entry>& out,
               std::vector<error>& errors) {
  const std::size_t before = errors.size();
  reader r(file, out, errors);
  std::string::size_type start = 0;
  int line = 0;
  while (start < text.size()) {
    std::string::size_type nl = text.find('\n', start);
    std::string::size_type end = nl == std::string::npos ? text.size() : nl;
    one_line(r, text.substr(start, end - start), ++line);
    start = end + 1;
  }
  end_section(r);
  return errors.size() == before;
}

bool parse_ini_file(const std::string& path, std::vector<entry>& out,
                    std::vector<error>& errors) {
  errno = 0;
  std::ifstream in(path.c_str(), std::ios::in | std::ios::binary);
  error e;
  e.file = path;
  if (!in) {
    e.message = std::string("cannot open: ") + (errno ? std::strerror(errno) : "unknown error");
    errors.push_back(e);
    return false;
  }
  std::string text;
  char buf[4096];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    text.append(buf, static_cast<std::size_t>(in.gcount()));
    if (text.size() > static_cast<std::size_t>(max_file)) {
      e.message = "file larger than 1 MiB";
      errors.push_back(e);
      return false;
    }
  }
  if (in.bad()) {
    e.message = "read error";
    errors.push_back(e);
    return false;
  }
  return parse_ini(text, path, out, errors);
}

}  // namespace config
}  // namespace tlsmux
