// SPDX-License-Identifier: GPL-2.0-or-later
// Value syntax shared by the config readers: numbers, names, addresses, listen specs.
// Private to the config module.
#ifndef TLSMUX_CONFIG_VALUE_SYNTAX_HPP
#define TLSMUX_CONFIG_VALUE_SYNTAX_HPP

#include <cstdint>
#include <string>

namespace tlsmux {
namespace config {

/// ASCII lower-case copy.
std::string lower(const std::string& s);
/// Lower-case with '_' turned into '-': the one spelling of a key.
std::string normalise_key(const std::string& s);
/// s without leading and trailing spaces and tabs.
std::string trim(const std::string& s);
/// Letters, digits, '-', '_' and '.'; 1..64 bytes.
bool valid_service_name(const std::string& s);
/// A decimal number without sign in [min, max].
bool parse_number(const std::string& text, std::uint64_t min, std::uint64_t max,
                  std::uint64_t& out);
/// "ADDR:PORT", "[V6]:PORT", "*:PORT" or "PORT" with ADDR an IPv4 literal; port 0..65535.
bool valid_listen(const std::string& text);

}  // namespace config
}  // namespace tlsmux

#endif
