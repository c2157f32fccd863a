// SPDX-License-Identifier: GPL-2.0-or-later
// Standard base64 (RFC 4648, with padding), pure.
#ifndef TLSMUX_TEXT_BASE64_HPP
#define TLSMUX_TEXT_BASE64_HPP

#include <cstdint>
#include <string>
#include <vector>

namespace tlsmux {
namespace text {

/// Encodes with padding, no line breaks.
std::string base64_encode(const std::uint8_t* p, std::size_t n);
/// Decodes padded base64 without whitespace; false on any invalid character or length.
bool base64_decode(const std::string& text, std::vector<std::uint8_t>& out);

}  // namespace text
}  // namespace textmux

#endif
