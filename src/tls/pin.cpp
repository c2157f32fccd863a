// SPDX-License-Identifier: GPL-2.0-or-later
// SPKI pins: a minimal, bounds-checked DER walk to the SubjectPublicKeyInfo plus SHA-256.
#include "tls/pin.hpp"

#include "text/base64.hpp"

#include <wolfssl/options.h>
#include <wolfssl/wolfcrypt/sha256.h>

#include <fstream>
#include <sstream>

namespace tlsmux {
namespace tls {

namespace {

const char pin_prefix[] = "sha256:";

// One DER TLV inside [pos, end): its tag, where its content starts and how long it is.
struct tlv {
  std::uint8_t tag;
  std::size_t start;    // first byte of the TLV (the tag)
  std::size_t content;  // first content byte
  std::size_t length;   // content length
  std::size_t end() const { return content + length; }
};

// Reads the TLV at pos, which must fit entirely before end. Only low-tag-number form and
// definite lengths of up to four length bytes are accepted (certificates need nothing else).
bool read_tlv(const std::uint8_t* der, std::size_t pos, std::size_t end, tlv& t) {
  if (pos >= end || end - pos < 2) return false;
  t.start = pos;
  t.tag = der[pos++];
  if ((t.tag & 0x1f) == 0x1f) return false;  // high tag numbers never occur here
  std::size_t len = der[pos++];
  if (len & 0x80) {
    const std::size_t count = len & 0x7f;
    if (count == 0 || count > 4 || end - pos < count) return false;  // 0: indefinite (BER)
    len = 0;
    for (std::size_t i = 0; i < count; ++i) len = (len << 8) | der[pos++];
  }
  if (len > end - pos) return false;
  t.content = pos;
  t.length = len;
  return true;
}

// Reads the TLV at pos and checks its tag; advances pos past it.
bool expect(const std::uint8_t* der, std::size_t& pos, std::size_t end, std::uint8_t tag, tlv& t) {
  if (!read_tlv(der, pos, end, t) || t.tag != tag) return false;
  pos = t.end();
  return true;
}

const std::uint8_t tag_sequence = 0x30;
const std::uint8_t tag_integer = 0x02;
const std::uint8_t tag_version = 0xa0;  // [0] EXPLICIT, constructed

void sha256(const std::uint8_t* p, std::size_t n, std::uint8_t digest[WC_SHA256_DIGEST_SIZE],
            bool& ok) {
  wc_Sha256 ctx;
  ok = wc_InitSha256(&ctx) == 0 && wc_Sha256Update(&ctx, p, static_cast<word32>(n)) == 0 &&
       wc_Sha256Final(&ctx, digest) == 0;
  wc_Sha256Free(&ctx);
}

}  // namespace

bool find_spki(const std::uint8_t* der, std::size_t n, std::size_t& offset, std::size_t& length) {
  if (der == nullptr) return false;
  tlv cert, tbs, t;
  std::size_t pos = 0;
  if (!expect(der, pos, n, tag_sequence, cert)) return false;
  pos = cert.content;
  if (!expect(der, pos, cert.end(), tag_sequence, tbs)) return false;
  pos = tbs.content;
  const std::size_t end = tbs.end();
  if (!read_tlv(der, pos, end, t)) return false;
  if (t.tag == tag_version) pos = t.end();
  if (!expect(der, pos, end, tag_integer, t)) return false;   // serialNumber
  for (int i = 0; i < 4; ++i) {                               // signature, issuer,
    if (!expect(der, pos, end, tag_sequence, t)) return false;  // validity, subject
  }
  if (!expect(der, pos, end, tag_sequence, t)) return false;  // subjectPublicKeyInfo
  offset = t.start;
  length = t.end() - t.start;
  return true;
}

std::string spki_pin(const std::vector<std::uint8_t>& cert_der) {
  std::size_t offset = 0, length = 0;
  if (cert_der.empty() || !find_spki(cert_der.data(), cert_der.size(), offset, length)) return "";
  std::uint8_t digest[WC_SHA256_DIGEST_SIZE];
  bool ok = false;
  sha256(cert_der.data() + offset, length, digest, ok);
  if (!ok) return "";
  return pin_prefix + text::base64_encode(digest, sizeof digest);
}

std::string spki_pin_of_pem_file(const std::string& path, std::string& error) {
  std::ifstream in(path.c_str(), std::ios::in | std::ios::binary);
  if (!in) {
    error = "cannot open certificate file " + path;
    return "";
  }
  std::ostringstream text;
  text << in.rdbuf();
  std::vector<std::uint8_t> der;
  if (!pem_to_der(text.str(), der)) {
    error = path + ": no PEM CERTIFICATE block found";
    return "";
  }
  const std::string pin = spki_pin(der);
  if (pin.empty()) error = path + ": malformed certificate (no SubjectPublicKeyInfo)";
  return pin;
}

bool is_valid_pin(const std::string& text) {
  const std::size_t plen = sizeof pin_prefix - 1;
  if (text.compare(0, plen, pin_prefix) != 0) return false;
  std::vector<std::uint8_t> digest;
  return text::base64_decode(text.substr(plen), digest) && digest.size() == WC_SHA256_DIGEST_SIZE;
}

bool pem_to_der(const std::string& pem, std::vector<std::uint8_t>& der) {
  static const std::string begin = "-----BEGIN CERTIFICATE-----";
  static const std::string end = "-----END CERTIFICATE-----";
  der.clear();
  const std::size_t b = pem.find(begin);
  if (b == std::string::npos) return false;
  const std::size_t e = pem.find(end, b + begin.size());
  if (e == std::string::npos) return false;
  std::string body;
  for (std::size_t i = b + begin.size(); i < e; ++i) {
    const char c = pem[i];
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n') body += c;
  }
  return text::base64_decode(body, der) && !der.empty();
}

std::string sha256_hex(const std::vector<std::uint8_t>& data) {
  static const char hex[] = "0123456789abcdef";
  std::uint8_t digest[WC_SHA256_DIGEST_SIZE];
  bool ok = false;
  sha256(data.data(), data.size(), digest, ok);
  if (!ok) return "";
  std::string out;
  for (std::size_t i = 0; i < sizeof digest; ++i) {
    out += hex[digest[i] >> 4];
    out += hex[digest[i] & 15];
  }
  return out;
}

}  // namespace tls
}  // namespace tlsmux
