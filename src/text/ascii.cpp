// SPDX-License-Identifier: GPL-2.0-or-later
// ASCII case folding (see ascii.hpp).
#include "text/ascii.hpp"

namespace tlsmux {
namespace text {

std::string ascii_lower(std::string s) {
  for (std::string::size_type i = 0; i < s.size(); ++i)
    if (s[i] >= 'A' && s[i] <= 'Z') s[i] = static_cast<char>(s[i] - 'A' + 'a');
  return s;
}

bool ascii_iequal(const std::string& a, const std::string& b) {
  return a.size() == b.size() && ascii_lower(a) == ascii_lower(b);
}

}  // namespace text
}  // namespace tlsmux
