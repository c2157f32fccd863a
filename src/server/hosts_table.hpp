// SPDX-License-Identifier: GPL-2.0-or-later
// The names of the hosts file, so that they are answered without the network: a lookup of
// `localhost` must never wait behind a slow DNS lookup of another client (issue 13, 4).
#ifndef TLSMUX_SERVER_HOSTS_TABLE_HPP
#define TLSMUX_SERVER_HOSTS_TABLE_HPP

#include <asio/ip/address.hpp>
#include <map>
#include <string>
#include <vector>

namespace tlsmux {
namespace server {

/// Parsed hosts-file text: "ADDRESS NAME [ALIAS...]" lines, '#' comments.
class hosts_table {
 public:
  /// Replaces the table with the names of `text`. Lines whose address does not parse are
  /// skipped; a name on several lines collects every address, in file order.
  void parse(const std::string& text);
  /// The addresses of `name` (compared without case); false when the file does not list it.
  bool find(const std::string& name, std::vector<asio::ip::address>& out) const;
  std::size_t size() const { return names_.size(); }

 private:
  std::map<std::string, std::vector<asio::ip::address> > names_;
};

}  // namespace server
}  // namespace tlsmux

#endif
