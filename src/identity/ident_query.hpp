// SPDX-License-Identifier: GPL-2.0-or-later
// RFC 1413 ident: the query line ("<port-on-server> , <port-on-client>") and the reply.
// The parser is incremental: fed any split of the input, it gives the same result.
#ifndef TLSMUX_IDENTITY_IDENT_QUERY_HPP
#define TLSMUX_IDENTITY_IDENT_QUERY_HPP

#include <cstddef>
#include <cstdint>
#include <string>

namespace tlsmux {
namespace identity {

/// The longest query line accepted, CR LF included (RFC 1413 queries are about 13 bytes).
const std::size_t ident_max_line = 128;

/// Parses one query line.
class ident_query_parser {
 public:
  enum class status {
    need_more,     ///< no end of line yet
    query,         ///< ports are valid (1-65535)
    invalid_port,  ///< well formed, but a port is 0 or above 65535: reply INVALID-PORT
    bad            ///< not a query, or longer than ident_max_line: close without a reply
  };

  /// Consumes bytes up to and including the line's LF; used says how many. Once the status
  /// is not need_more, further calls consume nothing and return it again.
  status feed(const std::uint8_t* data, std::size_t size, std::size_t& used);

  std::uint16_t port_on_server() const { return server_port_; }  ///< our side (tlsmux's port)
  std::uint16_t port_on_client() const { return client_port_; }  ///< the querier's side
  /// The two numbers as sent (for an INVALID-PORT reply), e.g. "0" and "70000".
  const std::string& server_text() const { return server_text_; }
  const std::string& client_text() const { return client_text_; }

 private:
  status finish_line();

  std::string line_;
  status status_ = status::need_more;
  std::uint16_t server_port_ = 0, client_port_ = 0;
  std::string server_text_, client_text_;
};

/// "<s> , <c> : USERID : UNIX : <identity>\r\n"; octets RFC 1413 does not allow in the
/// identity (NUL, CR, LF) become '?', and it is cut at 512 octets.
std::string ident_userid_reply(const std::string& server_port, const std::string& client_port,
                               const std::string& identity);
/// "<s> , <c> : ERROR : <error>\r\n" (NO-USER, INVALID-PORT, ...).
std::string ident_error_reply(const std::string& server_port, const std::string& client_port,
                              const char* error);

}  // namespace identity
}  // namespace tlsmux

#endif
