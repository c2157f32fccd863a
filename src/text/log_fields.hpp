// SPDX-License-Identifier: GPL-2.0-or-later
// The key=value grammar of log lines (docs/operations.md, "The session line"): a value that
// could be read as more than one field is quoted and escaped, so text from a peer can never
// add, remove or change a field. Every '=' in a line is a field's own: `grep ' rep=0x00 '`
// cannot be fooled by a value.
//
//   line   = tag *(SP field)
//   field  = key "=" value
//   value  = bare / quoted
//   bare   = *(%x21 / %x23-3C / %x3E-5B / %x5D-7E)  ; printable except SP DQUOTE "=" "\\"
//   quoted = DQUOTE *(%x20-21 / %x23-3C / %x3E-5B / %x5D-7E / "\x" 2HEXDIG) DQUOTE
#ifndef TLSMUX_TEXT_LOG_FIELDS_HPP
#define TLSMUX_TEXT_LOG_FIELDS_HPP

#include <string>

namespace tlsmux {
namespace text {

/// v as it is when it is bare, else quoted.
std::string field_value(const std::string& v);
/// v in double quotes, with '"', '=', '\' and every byte outside printable ASCII as \xNN.
std::string quoted_value(const std::string& v);

/// Builds one line of the grammar above: "tag key=value key=value ...".
class field_line {
 public:
  /// A line that starts with tag; without one, with the first field.
  explicit field_line(const std::string& tag = std::string()) : line_(tag) {}
  /// Appends key=value, quoting the value only when it must be.
  field_line& add(const char* key, const std::string& value);
  /// Appends key="value": for free text such as a close reason, quoted even when plain.
  field_line& add_quoted(const char* key, const std::string& value);
  /// The line so far.
  const std::string& str() const { return line_; }

 private:
  field_line& append(const char* key, const std::string& written);
  std::string line_;
};

}  // namespace text
}  // namespace tlsmux

#endif
