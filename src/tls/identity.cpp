// SPDX-License-Identifier: GPL-2.0-or-later
// certificate_identity: subject CN via wolfCrypt's certificate decoder.
#include "tls/identity.hpp"

#include <wolfssl/options.h>
#include <wolfssl/wolfcrypt/asn.h>
#include <wolfssl/wolfcrypt/asn_public.h>

namespace tlsmux {
namespace tls {

namespace {

// A parsed certificate that frees itself.
struct decoded {
  DecodedCert cert;
  bool ok;
  decoded(const std::uint8_t* der, std::size_t size) {
    wc_InitDecodedCert(&cert, der, static_cast<word32>(size), nullptr);
    ok = size > 0 && wc_ParseCert(&cert, CERT_TYPE, NO_VERIFY, nullptr) == 0;
  }
  ~decoded() { wc_FreeDecodedCert(&cert); }
};

}  // namespace

std::string certificate_identity(const std::vector<std::uint8_t>& der) {
  if (der.empty()) return "cert:?";
  decoded d(der.data(), der.size());
  if (!d.ok || !d.cert.subjectCN || d.cert.subjectCNLen <= 0) return "cert:?";
  return "cert:" + std::string(d.cert.subjectCN, static_cast<std::size_t>(d.cert.subjectCNLen));
}

std::vector<std::string> certificate_names(const std::vector<std::uint8_t>& der) {
  std::vector<std::string> names;
  if (der.empty()) return names;
  decoded d(der.data(), der.size());
  if (!d.ok) return names;
  if (d.cert.subjectCN && d.cert.subjectCNLen > 0)
    names.push_back(std::string(d.cert.subjectCN, static_cast<std::size_t>(d.cert.subjectCNLen)));
  for (DNS_entry* e = d.cert.altNames; e != nullptr; e = e->next) {
    if (e->name == nullptr || e->len <= 0) continue;
    if (e->type == ASN_DNS_TYPE || e->type == ASN_RFC822_TYPE || e->type == ASN_URI_TYPE)
      names.push_back(std::string(e->name, static_cast<std::size_t>(e->len)));
  }
  return names;
}

std::string certificate_label(const std::uint8_t* der, std::size_t size) {
  if (der == nullptr || size == 0) return "?";
  decoded d(der, size);
  if (!d.ok) return "?";
  static const char hex[] = "0123456789abcdef";
  std::string serial;
  for (int i = 0; i < d.cert.serialSz && i < static_cast<int>(sizeof d.cert.serial); ++i) {
    serial += hex[d.cert.serial[i] >> 4];
    serial += hex[d.cert.serial[i] & 0x0f];
  }
  return "serial " + (serial.empty() ? std::string("?") : serial) + ", subject " +
         std::string(d.cert.subject[0] ? d.cert.subject : "?");
}

}  // namespace tls
}  // namespace tlsmux
