// SPDX-License-Identifier: GPL-2.0-or-later
// Self-signed ECDSA P-256 certificates with wolfCrypt's certificate generator.
#include "tls/keygen.hpp"

#include "text/escape.hpp"
#include "text/ip_text.hpp"
#include "tls/context.hpp"

#include <wolfssl/options.h>
#include <wolfssl/wolfcrypt/asn_public.h>
#include <wolfssl/wolfcrypt/ecc.h>
#include <wolfssl/wolfcrypt/random.h>

#include <cstdint>
#include <memory>

namespace tlsmux {
namespace tls {

namespace {

typedef std::vector<std::uint8_t> bytes;

void der_header(bytes& out, std::uint8_t tag, std::size_t len) {
  out.push_back(tag);
  if (len < 0x80) {
    out.push_back(std::uint8_t(len));
  } else if (len < 0x100) {
    out.push_back(0x81);
    out.push_back(std::uint8_t(len));
  } else {
    out.push_back(0x82);
    out.push_back(std::uint8_t(len >> 8));
    out.push_back(std::uint8_t(len & 0xff));
  }
}

bool valid_dns_name(const std::string& name) {
  if (name.empty() || name.size() > 253) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '.' || c == '_' || c == '*';
    if (!ok) return false;
  }
  return true;
}

// GeneralNames (RFC 5280 4.2.1.6): SEQUENCE of [2] dNSName and [7] iPAddress, raw DER as
// wolfCrypt's Cert.altNames expects.
bool encode_alt_names(const std::vector<std::string>& dns, const std::vector<std::string>& ips,
                      bytes& out, std::string& error) {
  bytes body;
  for (std::size_t i = 0; i < dns.size(); ++i) {
    if (!valid_dns_name(dns[i])) {
      error = "invalid DNS name " + text::quote(dns[i]);
      return false;
    }
    der_header(body, 0x82, dns[i].size());
    body.insert(body.end(), dns[i].begin(), dns[i].end());
  }
  for (std::size_t i = 0; i < ips.size(); ++i) {
    text::ip_bytes addr;
    if (!text::parse_ip(ips[i], addr)) {
      error = "invalid IP address " + text::quote(ips[i]);
      return false;
    }
    der_header(body, 0x87, addr.size);
    body.insert(body.end(), addr.b, addr.b + addr.size);
  }
  out.clear();
  if (body.empty()) return true;
  if (body.size() > 0xffff) {
    error = "too many subject alternative names";
    return false;
  }
  der_header(out, 0x30, body.size());
  out.insert(out.end(), body.begin(), body.end());
  return true;
}

// Overwrites secret bytes; the volatile access keeps the compiler from dropping the stores.
void wipe(bytes& b) {
  volatile std::uint8_t* p = b.data();
  for (std::size_t i = 0; i < b.size(); ++i) p[i] = 0;
}

bool to_pem(const bytes& der, int type, std::string& pem) {
  bytes buf(der.size() * 2 + 256);
  const int n = wc_DerToPem(der.data(), static_cast<word32>(der.size()), buf.data(),
                            static_cast<word32>(buf.size()), type);
  if (n > 0) pem.assign(reinterpret_cast<const char*>(buf.data()), static_cast<std::size_t>(n));
  wipe(buf);
  return n > 0;
}

// RAII holders for the wolfCrypt objects used below.
struct rng_holder {
  WC_RNG rng;
  bool ok;
  rng_holder() : ok(wc_InitRng(&rng) == 0) {}
  ~rng_holder() {
    if (ok) wc_FreeRng(&rng);
  }
};
struct key_holder {
  ecc_key key;
  bool ok;
  key_holder() : ok(wc_ecc_init(&key) == 0) {}
  ~key_holder() {
    if (ok) wc_ecc_free(&key);
  }
};

// Fills the certificate template: subject, validity, SAN, random positive serial.
bool fill_cert(Cert& cert, WC_RNG& rng, const std::string& cn, const bytes& alt, int days,
               std::string& error) {
  if (wc_InitCert(&cert) != 0) {
    error = "wc_InitCert failed";
    return false;
  }
  cert.sigType = CTC_SHA256wECDSA;
  cert.daysValid = days;
  cert.isCA = 0;
  cert.selfSigned = 1;
  // X.520 caps commonName at 64 characters; the SAN carries the names clients check.
  const std::string name = cn.substr(0, CTC_NAME_SIZE - 1);
  name.copy(cert.subject.commonName, name.size());
  cert.subject.commonName[name.size()] = '\0';
  if (alt.size() > sizeof cert.altNames) {
    error = "too many subject alternative names";
    return false;
  }
  std::copy(alt.begin(), alt.end(), cert.altNames);
  cert.altNamesSz = static_cast<int>(alt.size());
  cert.serialSz = 16;
  if (wc_RNG_GenerateBlock(&rng, cert.serial, 16) != 0) {
    error = "random serial: RNG failure";
    return false;
  }
  cert.serial[0] = std::uint8_t((cert.serial[0] & 0x7f) | 0x40);  // positive, 16 bytes long
  return true;
}

}  // namespace

bool generate_self_signed(const std::string& common_name, const std::vector<std::string>& dns_names,
                          const std::vector<std::string>& ip_names, int days,
                          std::string& key_pem, std::string& cert_pem, std::string& error) {
  if (!library_init(error)) return false;
  if (days <= 0) {
    error = "certificate lifetime must be at least one day";
    return false;
  }
  bytes alt;
  if (!encode_alt_names(dns_names, ip_names, alt, error)) return false;
  rng_holder rng;
  key_holder key;
  if (!rng.ok || !key.ok) {
    error = "cannot initialise wolfCrypt RNG or key";
    return false;
  }
  int ret = wc_ecc_make_key_ex(&rng.rng, 32, &key.key, ECC_SECP256R1);
  if (ret != 0) {
    error = "ECDSA P-256 key generation failed: " + error_text(ret);
    return false;
  }
  std::unique_ptr<Cert> cert(new Cert());
  if (!fill_cert(*cert, rng.rng, common_name, alt, days, error)) return false;
  bytes der(2048 + alt.size());
  ret = wc_MakeCert(cert.get(), der.data(), static_cast<word32>(der.size()), nullptr, &key.key,
                    &rng.rng);
  if (ret > 0) {
    ret = wc_SignCert(cert->bodySz, cert->sigType, der.data(), static_cast<word32>(der.size()),
                      nullptr, &key.key, &rng.rng);
  }
  if (ret <= 0) {
    error = "certificate generation failed: " + error_text(ret);
    return false;
  }
  der.resize(static_cast<std::size_t>(ret));
  bytes key_der(256);
  ret = wc_EccKeyToDer(&key.key, key_der.data(), static_cast<word32>(key_der.size()));
  if (ret <= 0) {
    error = "cannot encode the private key: " + error_text(ret);
    return false;
  }
  key_der.resize(static_cast<std::size_t>(ret));
  const bool ok = to_pem(der, CERT_TYPE, cert_pem) && to_pem(key_der, ECC_PRIVATEKEY_TYPE, key_pem);
  wipe(key_der);
  if (!ok) error = "PEM encoding failed";
  return ok;
}

}  // namespace tls
}  // namespace tlsmux
