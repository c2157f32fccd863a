// SPDX-License-Identifier: GPL-2.0-or-later
// TLS alerts for people: their names (RFC 8446 6, RFC 5246 7.2) and the plaintext alert
// record a peer sends when it gives up before it has keys, e.g. OpenSSL refusing our
// certificate in a TLS 1.3 handshake, and the one tlsmux sends when wolfSSL gives up without
// an alert. Pure functions, no wolfSSL.
#ifndef TLSMUX_TLS_ALERT_HPP
#define TLSMUX_TLS_ALERT_HPP

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace tlsmux {
namespace tls {

/// A plaintext alert record: a 5-byte record header and a 2-byte body.
const std::size_t alert_record_header = 5;
const std::size_t alert_record_size = 7;

/// user_canceled: "canceling the handshake for some reason unrelated to a protocol failure"
/// (RFC 8446 6.1). A TLSMUX server over its limits sends it, fatal, before the handshake
/// (docs/protocol.md), so a client can say "server busy" instead of "network broken".
const int alert_user_canceled = 90;

/// The plaintext fatal alert record with this description (sent before any handshake).
std::string plain_alert_record(int description);

/// "48 unknown_ca"; "200" for a code no RFC names.
std::string alert_text(int description);

/// True when p[0..n) starts with the header of a plaintext alert record (content type 21,
/// TLS 1.x, length 2). Sets its level (1 warning, 2 fatal) and description from the body,
/// or both to -1 when fewer than the record's 7 bytes are given.
bool parse_plain_alert(const std::uint8_t* p, std::size_t n, int& level, int& description);

/// The plaintext fatal alert record for `description` (what a server sends before it has
/// keys, RFC 8446 5.1/6, RFC 5246 7.2).
std::vector<std::uint8_t> plain_fatal_alert(int description);

/// Follows the record headers of a TLS byte stream one side writes and remembers which
/// content types went out. Incremental: any split of the stream gives the same answer.
class record_watch {
 public:
  void feed(const std::uint8_t* p, std::size_t n);
  /// True once a record of this content type (20 to 23) was written.
  bool sent(std::uint8_t content_type) const;
  /// True while nothing has gone out under keys, so an alert may still be in plaintext: no
  /// application_data record, and no change_cipher_spec unless `tls13` (where it is only
  /// the middlebox-compatibility record, RFC 8446 D.4).
  bool plaintext_allowed(bool tls13) const;

 private:
  std::uint8_t head_[alert_record_header] = {0, 0, 0, 0, 0};
  std::size_t head_n_ = 0;
  std::size_t body_left_ = 0;
  unsigned types_ = 0;  ///< bit (type - 20) for content types 20 to 23
};

}  // namespace tls
}  // namespace tlsmux

#endif
