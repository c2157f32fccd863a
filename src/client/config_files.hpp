// SPDX-License-Identifier: GPL-2.0-or-later
// Which client configuration files apply and reading them (tlsmux_config(5)): `-F FILE` alone
// when given ("none": no file), else ~/.tlsmux/config then the system-wide
// /etc/tlsmux/client.conf (%ProgramData%\tlsmux\client.conf), as ssh reads its files.
#ifndef TLSMUX_CLIENT_CONFIG_FILES_HPP
#define TLSMUX_CLIENT_CONFIG_FILES_HPP

#include "client/client_config.hpp"
#include "config/flags.hpp"

#include <cstdint>

#include <string>
#include <vector>

namespace tlsmux {
namespace client {

/// The default user file, ~/.tlsmux/config.
std::string user_config_file();
/// The default system-wide file.
std::string system_config_file();

/// Reads and parses the files that apply. A missing default file is skipped; a missing -F
/// file and every bad line are errors ("FILE:LINE: ...").
bool load_config_files(const std::string& explicit_file, std::vector<client_config_file>& out,
                       std::vector<std::string>& errors);

/// Puts the resolved file entries under the command line's: cl.entries gets the file's
/// options in front (the command line, applied later, wins), the file's forwards (key
/// "forward" or "dynamic") only when the command line gave none of that kind, and
/// CheckAtStart no as the "no-check" switch. host and port become HostName and Port unless
/// port_given (HOST:PORT on the command line).
void merge_config(const std::vector<config::entry>& file, config::command_line& cl, std::string& host,
                  std::uint16_t& port, bool port_given);

}  // namespace client
}  // namespace tlsmux

#endif
