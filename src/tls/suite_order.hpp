// SPDX-License-Identifier: GPL-2.0-or-later
// Which AEAD a TLS endpoint puts first: AES-GCM where AES runs in hardware, ChaCha20-Poly1305
// where it runs in portable C (several times slower there), and ChaCha20 for a client that
// lists it first (OpenSSL's PrioritizeChaCha). Also the reader of a ClientHello's cipher
// suite list that the server's choice needs. Pure functions, no wolfSSL.
#ifndef TLSMUX_TLS_SUITE_ORDER_HPP
#define TLSMUX_TLS_SUITE_ORDER_HPP

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace tlsmux {
namespace tls {

/// The two AEAD families of tlsmux's suites.
enum class aead { aes_gcm, chacha20 };

/// The cipher-preference setting: decide by the CPU and the client (auto), or force one.
enum class aead_setting { automatic, aes_gcm, chacha20 };

/// Parses "auto", "aes-gcm" or "chacha20"; false for anything else.
bool parse_aead_setting(const std::string& text, aead_setting& out);

/// True for TLS_CHACHA20_POLY1305_SHA256 and the ECDHE ChaCha20-Poly1305 suites of TLS 1.2.
bool is_chacha_suite(std::uint16_t suite);
/// True for the AES-GCM suites tlsmux offers (TLS 1.3 and ECDHE TLS 1.2).
bool is_aes_gcm_suite(std::uint16_t suite);

/// The AEAD to put first. automatic: ChaCha20 when AES has no hardware acceleration, or when
/// the first suite of the client's list (in its order, skipping suites tlsmux does not
/// offer: GREASE, SCSVs, CBC, ...) is a ChaCha20 one; AES-GCM otherwise. A forced setting
/// wins. A client deciding its own offer passes an empty list.
aead preferred_aead(aead_setting setting, bool aes_accelerated,
                    const std::vector<std::uint16_t>& client_suites);

/// What scan_client_hello() could tell from the bytes received so far.
enum class hello_scan {
  need_more,  ///< a ClientHello's start, but its suite list is not complete yet
  found,      ///< suites holds the client's cipher suites, in its order
  unknown     ///< not a ClientHello record, or its suite list does not fit the first record
};

/// Reads the cipher suites of the ClientHello at the start of a TLS byte stream (the first
/// record only). Feeding a longer prefix of the same stream never changes a found or unknown
/// answer, so it can be called again as bytes arrive.
hello_scan scan_client_hello(const std::uint8_t* p, std::size_t n,
                             std::vector<std::uint16_t>& suites);

}  // namespace tls
}  // namespace tlsmux

#endif
