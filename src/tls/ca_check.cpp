// SPDX-License-Identifier: GPL-2.0-or-later
// issuer_check: wolfSSL certificate managers, one per CA file.
#include "tls/ca_check.hpp"

#include "tls/context.hpp"

#include <wolfssl/options.h>
#include <wolfssl/ssl.h>

namespace tlsmux {
namespace tls {

struct issuer_check::manager {
  std::string file;
  WOLFSSL_CERT_MANAGER* cm = nullptr;
  ~manager() {
    if (cm != nullptr) wolfSSL_CertManagerFree(cm);
  }
};

issuer_check::issuer_check() {}
issuer_check::~issuer_check() {}

bool issuer_check::load(const std::vector<std::string>& files, std::string& error) {
  if (!library_init(error)) return false;
  for (std::size_t i = 0; i < files.size(); ++i) {
    std::unique_ptr<manager> m(new manager);
    m->file = files[i];
    m->cm = wolfSSL_CertManagerNew();
    if (m->cm == nullptr) {
      error = "out of memory for the CA file " + files[i];
      return false;
    }
    const int ret = wolfSSL_CertManagerLoadCA(m->cm, files[i].c_str(), nullptr);
    if (ret != WOLFSSL_SUCCESS) {
      error = "cannot load CA file " + files[i] + ": " + error_text(ret);
      return false;
    }
    managers_.push_back(std::move(m));
  }
  return true;
}

std::vector<std::string> issuer_check::issuers_of(const std::vector<std::uint8_t>& der) const {
  std::vector<std::string> out;
  if (der.empty()) return out;
  for (std::size_t i = 0; i < managers_.size(); ++i)
    if (wolfSSL_CertManagerVerifyBuffer(managers_[i]->cm, der.data(), static_cast<long>(der.size()),
                                        WOLFSSL_FILETYPE_ASN1) == WOLFSSL_SUCCESS)
      out.push_back(managers_[i]->file);
  return out;
}

}  // namespace tls
}  // namespace tlsmux
