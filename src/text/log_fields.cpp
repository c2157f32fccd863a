// SPDX-License-Identifier: GPL-2.0-or-later
// Log fields: bare when a value cannot be misread, else quoted and escaped.
#include "text/log_fields.hpp"

#include "text/escape.hpp"

namespace tlsmux {
namespace text {

namespace {

bool bare(const std::string& v) {
  for (std::string::size_type i = 0; i < v.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(v[i]);
    if (c <= 0x20 || c > 0x7e || c == '"' || c == '=' || c == '\\') return false;
  }
  return true;
}

}  // namespace

std::string field_value(const std::string& v) { return bare(v) ? v : quoted_value(v); }

std::string quoted_value(const std::string& v) { return "\"" + escape(v, "\"=\\") + "\""; }

field_line& field_line::add(const char* key, const std::string& value) {
  return append(key, field_value(value));
}

field_line& field_line::add_quoted(const char* key, const std::string& value) {
  return append(key, quoted_value(value));
}

field_line& field_line::append(const char* key, const std::string& written) {
  if (!line_.empty()) line_ += ' ';
  line_ += key;
  line_ += '=';
  line_ += written;
  return *this;
}

}  // namespace text
}  // namespace tlsmux
