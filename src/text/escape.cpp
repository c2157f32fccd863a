// SPDX-License-Identifier: GPL-2.0-or-later
// The \xNN escaping shared by error messages, log reasons and log fields.
#include "text/escape.hpp"

#include <cstring>

namespace tlsmux {
namespace text {

std::string escape(const std::string& s, const char* also) {
  static const char hex[] = "0123456789abcdef";
  std::string r;
  r.reserve(s.size());
  for (std::string::size_type i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c > 0x7e || (c != 0 && std::strchr(also, c) != nullptr)) {
      r += "\\x";
      r += hex[c >> 4];
      r += hex[c & 0x0f];
    } else {
      r += static_cast<char>(c);
    }
  }
  return r;
}

std::string quote(const std::string& s) { return "'" + escape(s) + "'"; }

std::string json_string(const std::string& s) {
  static const char hex[] = "0123456789abcdef";
  std::string out = "\"";
  for (std::string::size_type i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || c > 0x7e) {
      out += "\\u00";
      out += hex[c >> 4];
      out += hex[c & 0x0f];
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

}  // namespace text
}  // namespace tlsmux
