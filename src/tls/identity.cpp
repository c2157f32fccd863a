// SPDX-License-Identifier: GPL-2.0-or-later
// certificate_identity: subject CN via wolfCrypt's certificate decoder.
#include "tls/identity.hpp"

#include <wolfssl/options.h>
#include <wolfssl/wolfcrypt/asn.h>
#include <wolfssl/wolfcrypt/asn_public.h>

namespace tlsmux {
namespace tls {

std::string certificate_identity(const std::vector<std::uint8_t>& der) {
  if (der.empty()) return "cert:?";
  DecodedCert cert;
  wc_InitDecodedCert(&cert, der.data(), static_cast<word32>(der.size()), nullptr);
  std::string id = "cert:?";
  if (wc_ParseCert(&cert, CERT_TYPE, NO_VERIFY, nullptr) == 0 && cert.subjectCN &&
      cert.subjectCNLen > 0)
    id = "cert:" + std::string(cert.subjectCN, static_cast<std::size_t>(cert.subjectCNLen));
  wc_FreeDecodedCert(&cert);
  return id;
}

}  // namespace tls
}  // namespace tlsmux
