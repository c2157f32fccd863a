// SPDX-License-Identifier: GPL-2.0-or-later
// RFC 1929 users: a file of salted PBKDF2-HMAC-SHA256 hashes, one user per line:
//   USER:pbkdf2-sha256:ITERATIONS:SALT_BASE64:HASH_BASE64
// maintained with `tlsmux passwd FILE USER`. Comparison is constant-time.
#ifndef TLSMUX_AUTH_PASSWORD_FILE_HPP
#define TLSMUX_AUTH_PASSWORD_FILE_HPP

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace tlsmux {
namespace auth {

/// Default PBKDF2 iteration count for new entries.
const std::uint32_t default_iterations = 20000;

/// A loaded password file.
class password_db {
 public:
  /// Parses text. Bad lines are errors "file:line: why"; returns true when there are none.
  /// Blank lines and lines starting with '#' are ignored.
  bool load(const std::string& text, const std::string& file, std::vector<std::string>& errors);
  /// Reads and parses a file.
  bool load_file(const std::string& path, std::vector<std::string>& errors);
  /// True when user exists and password matches. Takes the same time for unknown users.
  bool verify(const std::string& user, const std::string& password) const;
  std::size_t size() const { return users_.size(); }

 private:
  struct record {
    std::uint32_t iterations;
    std::vector<std::uint8_t> salt, hash;
  };
  std::map<std::string, record> users_;
};

/// A new file line (without newline) for user with a random salt. false on RNG failure or
/// when user is empty, longer than 255 bytes, or contains ':' or control characters.
bool make_entry(const std::string& user, const std::string& password, std::uint32_t iterations,
                std::string& line, std::string& error);

/// Replaces or appends user's line in the file text; returns the new text.
std::string upsert_entry(const std::string& text, const std::string& user, const std::string& line);

}  // namespace auth
}  // namespace tlsmux

#endif
