// SPDX-License-Identifier: GPL-2.0-or-later
// hosts_table: a small parser of the hosts file format (hosts(5)).
#include "server/hosts_table.hpp"
#include "text/ascii.hpp"

#include <algorithm>
#include <cctype>
#include <sstream>

namespace tlsmux {
namespace server {

namespace {

}  // namespace

void hosts_table::parse(const std::string& text) {
  std::map<std::string, std::vector<asio::ip::address> > fresh;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    std::string::size_type hash = line.find('#');
    if (hash != std::string::npos) line.erase(hash);
    std::istringstream fields(line);
    std::string addr, name;
    if (!(fields >> addr)) continue;
    std::error_code ec;
    asio::ip::address a = asio::ip::make_address(addr, ec);
    if (ec) continue;
    while (fields >> name) {
      std::vector<asio::ip::address>& v = fresh[text::ascii_lower(name)];
      if (std::find(v.begin(), v.end(), a) == v.end()) v.push_back(a);
    }
  }
  names_.swap(fresh);
}

bool hosts_table::find(const std::string& name, std::vector<asio::ip::address>& out) const {
  std::map<std::string, std::vector<asio::ip::address> >::const_iterator it = names_.find(text::ascii_lower(name));
  if (it == names_.end()) return false;
  out = it->second;
  return true;
}

}  // namespace server
}  // namespace tlsmux
