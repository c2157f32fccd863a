// SPDX-License-Identifier: GPL-2.0-or-later
// Self-signed ECDSA P-256 certificates for the zero-config first run and `tlsmux keygen`.
#ifndef TLSMUX_TLS_KEYGEN_HPP
#define TLSMUX_TLS_KEYGEN_HPP

#include <string>
#include <vector>

namespace tlsmux {
namespace tls {

/// Generates an ECDSA P-256 key and a self-signed certificate valid for `days` days whose
/// subject CN is common_name and whose SAN lists dns_names (plus "localhost" when asked)
/// and ip_names. Returns PEM texts; false with error set on failure.
bool generate_self_signed(const std::string& common_name, const std::vector<std::string>& dns_names,
                          const std::vector<std::string>& ip_names, int days,
                          std::string& key_pem, std::string& cert_pem, std::string& error);

}  // namespace tls
}  // namespace tlsmux

#endif
