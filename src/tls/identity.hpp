// SPDX-License-Identifier: GPL-2.0-or-later
// The identity a TLS client certificate carries, for logs and per-service rules.
#ifndef TLSMUX_TLS_IDENTITY_HPP
#define TLSMUX_TLS_IDENTITY_HPP

#include <cstdint>
#include <string>
#include <vector>

namespace tlsmux {
namespace tls {

/// The subject common name of a DER certificate ("cert:<CN>"), or "cert:?" when it has none
/// or cannot be parsed.
std::string certificate_identity(const std::vector<std::uint8_t>& der);

/// The names allow-cert matches: the subject CN first, then the DNS, e-mail and URI
/// subject alternative names. Empty when der cannot be parsed.
std::vector<std::string> certificate_names(const std::vector<std::uint8_t>& der);

/// "serial 1002, subject /CN=alice/O=Example" for log lines (revocation), or "?".
std::string certificate_label(const std::uint8_t* der, std::size_t size);

}  // namespace tls
}  // namespace tlsmux

#endif
