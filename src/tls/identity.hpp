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

}  // namespace tls
}  // namespace tlsmux

#endif
