// SPDX-License-Identifier: GPL-2.0-or-later
// Text that came from outside (peers, files, the command line) made safe to print: one
// escaping rule, \xNN for every byte that is not printable ASCII.
#ifndef TLSMUX_TEXT_ESCAPE_HPP
#define TLSMUX_TEXT_ESCAPE_HPP

#include <string>

namespace tlsmux {
namespace text {

/// Copies s with every byte outside 0x20..0x7e, and every byte in also, written as \xNN
/// (lower-case hex). With the default the backslash is escaped too, so an escaped text can
/// never be mistaken for another.
std::string escape(const std::string& s, const char* also = "\\");
/// "'s'" with s escaped, for an error message or a log reason naming a value.
std::string quote(const std::string& s);
/// s as a JSON string literal, quotes included: '"' and '\\' escaped, every byte outside
/// printable ASCII as \u00XX, so the output is valid JSON whatever the bytes were.
std::string json_string(const std::string& s);

}  // namespace text
}  // namespace tlsmux

#endif
