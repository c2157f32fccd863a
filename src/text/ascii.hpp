// SPDX-License-Identifier: GPL-2.0-or-later
// ASCII case folding for names, keywords and host names: the same in every locale.
#ifndef TLSMUX_TEXT_ASCII_HPP
#define TLSMUX_TEXT_ASCII_HPP

#include <string>

namespace tlsmux {
namespace text {

/// s with 'A'..'Z' turned into 'a'..'z'; every other byte unchanged.
std::string ascii_lower(std::string s);
/// a == b, ignoring the case of ASCII letters.
bool ascii_iequal(const std::string& a, const std::string& b);

}  // namespace text
}  // namespace tlsmux

#endif
