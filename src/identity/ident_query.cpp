// SPDX-License-Identifier: GPL-2.0-or-later
// RFC 1413 query parser and replies.
#include "identity/ident_query.hpp"

namespace tlsmux {
namespace identity {

namespace {

const std::size_t max_identity = 512;  // RFC 1413: 1*512 octet-characters

bool blank(char c) { return c == ' ' || c == '\t'; }

// Reads optional blanks, 1-5 digits, optional blanks from line at i.
bool number(const std::string& line, std::size_t& i, std::string& digits) {
  while (i < line.size() && blank(line[i])) ++i;
  std::size_t start = i;
  while (i < line.size() && line[i] >= '0' && line[i] <= '9') ++i;
  if (i == start || i - start > 5) return false;
  digits = line.substr(start, i - start);
  while (i < line.size() && blank(line[i])) ++i;
  return true;
}

bool port_value(const std::string& digits, std::uint16_t& port) {
  unsigned long v = std::stoul(digits);
  if (v == 0 || v > 65535) return false;
  port = static_cast<std::uint16_t>(v);
  return true;
}

}  // namespace

ident_query_parser::status ident_query_parser::feed(const std::uint8_t* data, std::size_t size,
                                                    std::size_t& used) {
  used = 0;
  while (status_ == status::need_more && used < size) {
    char c = static_cast<char>(data[used++]);
    if (c == '\n') return status_ = finish_line();
    line_ += c;
    if (line_.size() + 1 > ident_max_line) status_ = status::bad;  // no room left for the LF
  }
  return status_;
}

ident_query_parser::status ident_query_parser::finish_line() {
  if (!line_.empty() && line_[line_.size() - 1] == '\r') line_.erase(line_.size() - 1);
  std::size_t i = 0;
  if (!number(line_, i, server_text_) || i >= line_.size() || line_[i] != ',') return status::bad;
  ++i;
  if (!number(line_, i, client_text_) || i != line_.size()) return status::bad;
  if (!port_value(server_text_, server_port_) || !port_value(client_text_, client_port_))
    return status::invalid_port;
  return status::query;
}

std::string ident_userid_reply(const std::string& server_port, const std::string& client_port,
                               const std::string& identity) {
  std::string id = identity.substr(0, max_identity);
  for (std::size_t i = 0; i < id.size(); ++i)
    if (id[i] == '\0' || id[i] == '\r' || id[i] == '\n') id[i] = '?';
  if (id.empty()) id = "?";
  return server_port + " , " + client_port + " : USERID : UNIX : " + id + "\r\n";
}

std::string ident_error_reply(const std::string& server_port, const std::string& client_port,
                              const char* error) {
  return server_port + " , " + client_port + " : ERROR : " + error + "\r\n";
}

}  // namespace identity
}  // namespace tlsmux
