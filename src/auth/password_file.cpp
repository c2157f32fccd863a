// SPDX-License-Identifier: GPL-2.0-or-later
// The password file: parsing, PBKDF2-HMAC-SHA256 verification and line maintenance.
#include "auth/password_file.hpp"

#include "text/base64.hpp"

#include <wolfssl/options.h>
#include <wolfssl/wolfcrypt/pwdbased.h>
#include <wolfssl/wolfcrypt/random.h>
#include <wolfssl/wolfcrypt/sha256.h>

#include <fstream>
#include <sstream>

namespace tlsmux {
namespace auth {

namespace {

const char scheme[] = "pbkdf2-sha256";
const std::uint32_t min_iterations = 1000;
const std::uint32_t max_iterations = 10000000;
const std::size_t hash_size = 32;
const std::size_t salt_size = 16;
const std::size_t max_salt_size = 64;

bool valid_user(const std::string& user) {
  if (user.empty() || user.size() > 255) return false;
  for (std::size_t i = 0; i < user.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(user[i]);
    if (c == ':' || c < 0x20 || c == 0x7f) return false;
  }
  return true;
}

bool valid_group(const std::string& g) {
  if (g.empty() || g.size() > 255) return false;
  for (std::size_t i = 0; i < g.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(g[i]);
    if (c == ':' || c == ',' || c <= 0x20 || c == 0x7f) return false;
  }
  return true;
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (;;) {
    const std::size_t pos = s.find(sep, start);
    parts.push_back(s.substr(start, pos == std::string::npos ? std::string::npos : pos - start));
    if (pos == std::string::npos) return parts;
    start = pos + 1;
  }
}

// Decimal iterations within bounds; no sign, no leading '+', at most 8 digits.
bool parse_iterations(const std::string& s, std::uint32_t& out) {
  if (s.empty() || s.size() > 8) return false;
  std::uint32_t v = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + std::uint32_t(s[i] - '0');
  }
  if (v < min_iterations || v > max_iterations) return false;
  out = v;
  return true;
}

bool derive(const std::string& password, const std::vector<std::uint8_t>& salt,
            std::uint32_t iterations, std::uint8_t out[hash_size]) {
  return wc_PBKDF2(out, reinterpret_cast<const byte*>(password.data()),
                   static_cast<int>(password.size()), salt.data(), static_cast<int>(salt.size()),
                   static_cast<int>(iterations), static_cast<int>(hash_size), WC_SHA256) == 0;
}

// Compares all bytes whatever the first difference is.
bool equal_constant_time(const std::uint8_t* a, const std::uint8_t* b, std::size_t n) {
  std::uint8_t diff = 0;
  for (std::size_t i = 0; i < n; ++i) diff = std::uint8_t(diff | (a[i] ^ b[i]));
  return diff == 0;
}

void wipe(std::uint8_t* p, std::size_t n) {
  volatile std::uint8_t* v = p;
  for (std::size_t i = 0; i < n; ++i) v[i] = 0;
}

// Why a line is invalid, or "" when it parses into user and rec.
std::string parse_line(const std::string& line, std::string& user,
                       std::vector<std::uint8_t>& salt, std::vector<std::uint8_t>& hash,
                       std::uint32_t& iterations, std::vector<std::string>& groups) {
  const std::vector<std::string> f = split(line, ':');
  if (f.size() != 5 && f.size() != 6) return "expected USER:pbkdf2-sha256:ITERATIONS:SALT:HASH[:GROUPS]";
  groups.clear();
  if (f.size() == 6 && !f[5].empty()) {
    groups = split(f[5], ',');
    for (std::size_t i = 0; i < groups.size(); ++i)
      if (!valid_group(groups[i])) return "invalid group name in '" + f[5] + "'";
  }
  user = f[0];
  if (!valid_user(user)) return "invalid user name";
  if (f[1] != scheme) return "unknown hash scheme '" + f[1] + "' (expected pbkdf2-sha256)";
  if (!parse_iterations(f[2], iterations)) return "iterations must be 1000..10000000";
  if (!text::base64_decode(f[3], salt) || salt.empty() || salt.size() > max_salt_size)
    return "invalid salt (base64 of 1..64 bytes)";
  if (!text::base64_decode(f[4], hash) || hash.size() != hash_size)
    return "invalid hash (base64 of 32 bytes)";
  return "";
}

}  // namespace

bool password_db::load(const std::string& text, const std::string& file,
                       std::vector<std::string>& errors) {
  users_.clear();
  const std::size_t before = errors.size();
  std::istringstream in(text);
  std::string line;
  for (std::size_t number = 1; std::getline(in, line); ++number) {
    if (!line.empty() && line[line.size() - 1] == '\r') line.erase(line.size() - 1);
    if (line.find_first_not_of(" \t") == std::string::npos || line[0] == '#') continue;
    std::string user;
    record rec;
    const std::string why = parse_line(line, user, rec.salt, rec.hash, rec.iterations, rec.groups);
    const std::string where = file + ":" + std::to_string(number) + ": ";
    if (!why.empty()) {
      errors.push_back(where + why);
    } else if (!users_.insert(std::make_pair(user, rec)).second) {
      errors.push_back(where + "duplicate user '" + user + "'");
    }
  }
  return errors.size() == before;
}

bool password_db::load_file(const std::string& path, std::vector<std::string>& errors) {
  std::ifstream in(path.c_str(), std::ios::in | std::ios::binary);
  if (!in) {
    users_.clear();
    errors.push_back(path + ": cannot open the password file");
    return false;
  }
  std::ostringstream text;
  text << in.rdbuf();
  return load(text.str(), path, errors);
}

bool password_db::verify(const std::string& user, const std::string& password) const {
  // Unknown users still cost one full PBKDF2 run, so timing does not reveal who exists.
  static const record dummy = {default_iterations, std::vector<std::uint8_t>(salt_size, 0x5a),
                               std::vector<std::uint8_t>(hash_size, 0), std::vector<std::string>()};
  const std::map<std::string, record>::const_iterator it = users_.find(user);
  const bool known = it != users_.end();
  const record& rec = known ? it->second : dummy;
  std::uint8_t derived[hash_size];
  const bool ok = derive(password, rec.salt, rec.iterations, derived) &&
                  equal_constant_time(derived, rec.hash.data(), hash_size);
  wipe(derived, sizeof derived);
  return ok && known;
}

std::vector<std::string> password_db::groups(const std::string& user) const {
  const std::map<std::string, record>::const_iterator it = users_.find(user);
  return it == users_.end() ? std::vector<std::string>() : it->second.groups;
}

std::vector<std::string> password_db::names() const {
  std::vector<std::string> out;
  for (std::map<std::string, record>::const_iterator it = users_.begin(); it != users_.end(); ++it)
    out.push_back(it->first);
  return out;
}

std::string groups_field(const std::string& text, const std::string& user) {
  std::istringstream in(text);
  std::string cur;
  const std::string prefix = user + ":";
  while (std::getline(in, cur)) {
    if (cur.compare(0, prefix.size(), prefix) != 0) continue;
    if (!cur.empty() && cur[cur.size() - 1] == '\r') cur.erase(cur.size() - 1);
    const std::vector<std::string> f = split(cur, ':');
    return f.size() == 6 ? f[5] : std::string();
  }
  return std::string();
}

bool make_entry(const std::string& user, const std::string& password, std::uint32_t iterations,
                std::string& line, std::string& error, const std::vector<std::string>& groups) {
  if (!valid_user(user)) {
    error = "invalid user name (1..255 bytes, no ':' or control characters)";
    return false;
  }
  std::string group_list;
  for (std::size_t i = 0; i < groups.size(); ++i) {
    if (!valid_group(groups[i])) {
      error = "invalid group name '" + groups[i] + "' (1..255 bytes, no ':', ',', blanks or control characters)";
      return false;
    }
    group_list += (i ? "," : "") + groups[i];
  }
  if (iterations < min_iterations || iterations > max_iterations) {
    error = "iterations must be 1000..10000000";
    return false;
  }
  std::vector<std::uint8_t> salt(salt_size);
  WC_RNG rng;
  if (wc_InitRng(&rng) != 0) {
    error = "no random source for the salt";
    return false;
  }
  const int rc = wc_RNG_GenerateBlock(&rng, salt.data(), static_cast<word32>(salt.size()));
  wc_FreeRng(&rng);
  if (rc != 0) {
    error = "random salt generation failed";
    return false;
  }
  std::uint8_t hash[hash_size];
  if (!derive(password, salt, iterations, hash)) {
    error = "PBKDF2 failed";
    return false;
  }
  line = user + ":" + scheme + ":" + std::to_string(iterations) + ":" +
         text::base64_encode(salt.data(), salt.size()) + ":" + text::base64_encode(hash, hash_size);
  if (!group_list.empty()) line += ":" + group_list;
  wipe(hash, sizeof hash);
  return true;
}

std::string upsert_entry(const std::string& text, const std::string& user,
                         const std::string& line) {
  std::string out;
  bool replaced = false;
  std::istringstream in(text);
  std::string cur;
  const std::string prefix = user + ":";
  while (std::getline(in, cur)) {
    if (cur.compare(0, prefix.size(), prefix) == 0) {
      if (!replaced) out += line + "\n";  // later duplicates of the user are dropped
      replaced = true;
    } else {
      out += cur + "\n";
    }
  }
  if (!replaced) out += line + "\n";
  return out;
}

}  // namespace auth
}  // namespace tlsmux
