// SPDX-License-Identifier: GPL-2.0-or-later
// The AEAD preference and the ClientHello suite reader (see suite_order.hpp).
#include "tls/suite_order.hpp"

namespace tlsmux {
namespace tls {

namespace {

// RFC 8446 5.1: a record carries at most 2^14 bytes of plaintext; a ClientHello is plaintext.
const std::size_t record_header = 5;
const std::size_t max_plaintext = 16384;

// Offsets inside the record body: handshake type (1) and length (3), legacy_version (2),
// random (32), then the session id's length byte.
const std::size_t session_id_at = 4 + 2 + 32;

}  // namespace

bool parse_aead_setting(const std::string& text, aead_setting& out) {
  if (text == "auto")
    out = aead_setting::automatic;
  else if (text == "aes-gcm")
    out = aead_setting::aes_gcm;
  else if (text == "chacha20")
    out = aead_setting::chacha20;
  else
    return false;
  return true;
}

bool is_chacha_suite(std::uint16_t suite) {
  return suite == 0x1303 || suite == 0xcca8 || suite == 0xcca9;
}

bool is_aes_gcm_suite(std::uint16_t suite) {
  return suite == 0x1301 || suite == 0x1302 || suite == 0xc02b || suite == 0xc02c ||
         suite == 0xc02f || suite == 0xc030;
}

aead preferred_aead(aead_setting setting, bool aes_accelerated,
                    const std::vector<std::uint16_t>& client_suites) {
  if (setting == aead_setting::aes_gcm) return aead::aes_gcm;
  if (setting == aead_setting::chacha20 || !aes_accelerated) return aead::chacha20;
  for (std::size_t i = 0; i < client_suites.size(); ++i) {
    if (is_chacha_suite(client_suites[i])) return aead::chacha20;
    if (is_aes_gcm_suite(client_suites[i])) return aead::aes_gcm;
  }
  return aead::aes_gcm;
}

hello_scan scan_client_hello(const std::uint8_t* p, std::size_t n,
                             std::vector<std::uint16_t>& suites) {
  suites.clear();
  if (n < 1) return hello_scan::need_more;
  if (p[0] != 22) return hello_scan::unknown;  // not a handshake record
  if (n < 2) return hello_scan::need_more;
  if (p[1] != 3) return hello_scan::unknown;  // not TLS (or SSL 3.0) framing
  if (n < record_header) return hello_scan::need_more;
  const std::size_t length = (static_cast<std::size_t>(p[3]) << 8) | p[4];
  if (length == 0 || length > max_plaintext) return hello_scan::unknown;
  const std::uint8_t* body = p + record_header;
  const std::size_t have = n - record_header;
  // Each field must lie inside the first record; inside it, wait until it has arrived.
  std::size_t end = 1;
  if (have < end) return hello_scan::need_more;
  if (body[0] != 1) return hello_scan::unknown;  // not a ClientHello
  end = session_id_at + 1;
  if (end > length) return hello_scan::unknown;
  if (have < end) return hello_scan::need_more;
  const std::size_t session_id = body[session_id_at];
  if (session_id > 32) return hello_scan::unknown;
  const std::size_t suites_at = end + session_id;
  end = suites_at + 2;
  if (end > length) return hello_scan::unknown;
  if (have < end) return hello_scan::need_more;
  const std::size_t bytes = (static_cast<std::size_t>(body[suites_at]) << 8) | body[suites_at + 1];
  if (bytes == 0 || bytes % 2 != 0) return hello_scan::unknown;
  end += bytes;
  if (end > length) return hello_scan::unknown;
  if (have < end) return hello_scan::need_more;
  const std::uint8_t* list = body + suites_at + 2;
  suites.reserve(bytes / 2);
  for (std::size_t i = 0; i < bytes; i += 2)
    suites.push_back(static_cast<std::uint16_t>((list[i] << 8) | list[i + 1]));
  return hello_scan::found;
}

}  // namespace tls
}  // namespace tlsmux
