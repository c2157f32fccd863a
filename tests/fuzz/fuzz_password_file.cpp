// SPDX-License-Identifier: GPL-2.0-or-later
// Fuzz target: the RFC 1929 password file parser on arbitrary text. verify() runs PBKDF2, so
// it is only called for a first entry with the minimum iteration count (1000).
#include "auth/password_file.hpp"
#include "fuzz_support.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace au = tlsmux::auth;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 4096) return 0;
  const std::string text(reinterpret_cast<const char*>(data), size);
  au::password_db db;
  std::vector<std::string> errors;
  const bool ok = db.load(text, "passwd", errors);
  FUZZ_CHECK(ok == errors.empty());
  for (std::size_t i = 0; i < errors.size(); ++i)
    FUZZ_CHECK(errors[i].compare(0, 7, "passwd:") == 0);
  // A valid file whose first line is USER:pbkdf2-sha256:1000:...: check that user's password
  // (1000 iterations are cheap enough; an unknown user would cost the default 20000).
  if (!ok || db.size() == 0 || text.empty() || text[0] == '#') return 0;
  const std::string line = text.substr(0, text.find('\n'));
  const std::string::size_type c1 = line.find(':');
  if (c1 == std::string::npos) return 0;
  const std::string::size_type c2 = line.find(':', c1 + 1);
  if (c2 == std::string::npos || line.compare(c2, 6, ":1000:") != 0) return 0;
  const std::string user = line.substr(0, c1);
  db.verify(user, "password");
  db.verify(user, std::string());
  return 0;
}
