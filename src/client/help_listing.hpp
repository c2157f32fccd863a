// SPDX-License-Identifier: GPL-2.0-or-later
// The client's side of the service listing (socks5/help.hpp, docs/protocol.md): a pure
// incremental reader of the server's text lines, and what `tlsmux list` prints.
#ifndef TLSMUX_CLIENT_HELP_LISTING_HPP
#define TLSMUX_CLIENT_HELP_LISTING_HPP

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace tlsmux {
namespace client {

/// One service the client may use, and the login it needs (any, password, certificate).
struct help_service {
  std::string name, auth;
};

/// A listing as the server sent it.
struct help_listing {
  bool off = false;                    ///< the server does not list services (service-list = no)
  std::string expose;                  ///< the server's exposure mode, when it said
  std::vector<help_service> services;  ///< catalog names this client may use
  std::vector<std::string> next_pins;  ///< keys the server announced as its next
};

/// Reads a listing from the bytes after the reply, in pieces of any size.
class help_reader {
 public:
  /// Takes the next bytes; false (with error()) once the text is malformed or too large.
  bool feed(const std::uint8_t* p, std::size_t n);
  /// At the end of the stream: true with out filled when the listing was complete ("end").
  bool finish(help_listing& out);
  /// Why feed or finish failed.
  const std::string& error() const { return error_; }

 private:
  bool line(std::string text);
  bool bad(const std::string& why) {
    error_ = why;
    return false;
  }

  std::string partial_, error_;
  help_listing listing_;
  std::size_t total_ = 0;
  bool magic_ = false, ended_ = false, failed_ = false;
};

/// What `tlsmux list` prints: a header, one line per service, the exposure note.
std::string format_listing(const help_listing& l, const std::string& server);

}  // namespace client
}  // namespace tlsmux

#endif
