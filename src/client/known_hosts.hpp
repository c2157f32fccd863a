// SPDX-License-Identifier: GPL-2.0-or-later
// Trust on first use, ssh style: ~/.tlsmux/known_hosts maps "HOST:PORT" to the server's
// SPKI pin, one per line ("HOST:PORT sha256:BASE64"), '#' comments. A line "@next HOST:PORT
// PIN" holds a key the server announced as its next one over a verified connection (key
// rotation, docs/security.md); it is accepted, and promoted, once the server presents it.
// Pure parsing and editing of the text.
#ifndef TLSMUX_CLIENT_KNOWN_HOSTS_HPP
#define TLSMUX_CLIENT_KNOWN_HOSTS_HPP

#include <string>
#include <vector>

namespace tlsmux {
namespace client {

/// One known server.
struct known_host {
  std::string key;  ///< "host:port" (host lower-cased; IPv6 in brackets)
  std::string pin;  ///< "sha256:..."
  int line = 0;     ///< 1-based line in the file
  bool next = false;  ///< an "@next" line
};

/// The result of looking a server up.
enum class trust { unknown, match, mismatch };

/// A parsed known_hosts file. Corrupt lines are reported and skipped, never fatal.
class known_hosts {
 public:
  /// Parses text; appends "file:line: why" for every corrupt line.
  void load(const std::string& text, const std::string& file, std::vector<std::string>& warnings);
  /// Looks key up; on match or mismatch, found is the entry.
  trust check(const std::string& key, const std::string& pin, known_host& found) const;
  /// Whether pin was announced as key's next key (an @next line); found is that line.
  bool announced(const std::string& key, const std::string& pin, known_host& found) const;
  /// Every entry, current and @next, in file order.
  const std::vector<known_host>& entries() const { return hosts_; }
  /// The line to append for a newly trusted server.
  static std::string format(const std::string& key, const std::string& pin);

  /// text with key's @next lines replaced by one per pin (none: removed). Other lines and
  /// comments are kept as they are.
  static std::string set_next(const std::string& text, const std::string& key, const std::vector<std::string>& pins);
  /// text with key's lines (current and @next) replaced by "key pin": the announced key
  /// became the current one.
  static std::string promote(const std::string& text, const std::string& key, const std::string& pin);
  /// text without any line for key (like ssh-keygen -R); removed counts the lines dropped.
  static std::string remove(const std::string& text, const std::string& key, int& removed);
  /// "host:port" key for a server ("[v6]:port" for IPv6 literals).
  static std::string make_key(const std::string& host, unsigned port);

 private:
  std::vector<known_host> hosts_;
};

}  // namespace client
}  // namespace tlsmux

#endif
