// SPDX-License-Identifier: GPL-2.0-or-later
// RFC 1929 users: a file of salted PBKDF2-HMAC-SHA256 hashes, one user per line:
//   USER:pbkdf2-sha256:ITERATIONS:SALT_BASE64:HASH_BASE64[:GROUP,GROUP...]
// maintained with `tlsmux passwd [--groups LIST] FILE USER`. The sixth field (groups, for a
// service's allow-groups) is optional, so files without it keep working. Comparison is constant-time.
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
  /// The groups of user (empty for an unknown user or one without groups).
  std::vector<std::string> groups(const std::string& user) const;
  std::size_t size() const { return users_.size(); }
  /// Every user name, sorted.
  std::vector<std::string> names() const;

 private:
  struct record {
    std::uint32_t iterations;
    std::vector<std::uint8_t> salt, hash;
    std::vector<std::string> groups;
  };
  std::map<std::string, record> users_;
};

/// A new file line (without newline) for user with a random salt and these groups. false on
/// RNG failure, when user is empty, longer than 255 bytes, or contains ':' or control
/// characters, or when a group name is empty or holds ':', ',', blanks or control characters.
bool make_entry(const std::string& user, const std::string& password, std::uint32_t iterations,
                std::string& line, std::string& error,
                const std::vector<std::string>& groups = std::vector<std::string>());

/// The groups field of user's line in the file text ("" when none), to keep on a password change.
std::string groups_field(const std::string& text, const std::string& user);

/// Replaces or appends user's line in the file text; returns the new text.
std::string upsert_entry(const std::string& text, const std::string& user, const std::string& line);

}  // namespace auth
}  // namespace tlsmux

#endif
