// SPDX-License-Identifier: GPL-2.0-or-later
// SPKI pins: "sha256:" + base64(SHA-256(DER SubjectPublicKeyInfo)), the digest curl's
// --pinnedpubkey sha256// uses. The DER walk is pure and bounds-checked (fuzzed).
#ifndef TLSMUX_TLS_PIN_HPP
#define TLSMUX_TLS_PIN_HPP

#include <cstdint>
#include <string>
#include <vector>

namespace tlsmux {
namespace tls {

/// Finds the SubjectPublicKeyInfo inside a DER certificate. false when malformed.
bool find_spki(const std::uint8_t* der, std::size_t n, std::size_t& offset, std::size_t& length);
/// The pin of a DER certificate, or "" when it cannot be parsed.
std::string spki_pin(const std::vector<std::uint8_t>& cert_der);
/// The pin of the first certificate in a PEM file; "" and error set on failure.
std::string spki_pin_of_pem_file(const std::string& path, std::string& error);
/// True when text is "sha256:" followed by the base64 of exactly 32 bytes.
bool is_valid_pin(const std::string& text);
/// PEM text (first CERTIFICATE block) to DER; false when none is found.
bool pem_to_der(const std::string& pem, std::vector<std::uint8_t>& der);
/// Hex SHA-256 of bytes, lower case (for messages).
std::string sha256_hex(const std::vector<std::uint8_t>& data);

}  // namespace tls
}  // namespace tlsmux

#endif
