// SPDX-License-Identifier: GPL-2.0-or-later
// Which client CA files a client certificate chains to: the global client-ca and the
// services' own client-ca files (policy: a certificate counts for a service only when it
// chains to that service's CA). The TLS handshake has already verified the chain against
// all of them together; this tells them apart, once per session.
#ifndef TLSMUX_TLS_CA_CHECK_HPP
#define TLSMUX_TLS_CA_CHECK_HPP

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace tlsmux {
namespace tls {

/// One certificate manager per CA file. Immutable after load(); shared by sessions.
class issuer_check {
 public:
  issuer_check();
  ~issuer_check();
  /// Loads each file (PEM, one or more CA certificates, intermediates included). Returns
  /// false with an error naming the file.
  bool load(const std::vector<std::string>& files, std::string& error);
  /// The loaded files whose certificates verify der (the leaf), in load order.
  std::vector<std::string> issuers_of(const std::vector<std::uint8_t>& der) const;

 private:
  issuer_check(const issuer_check&);
  issuer_check& operator=(const issuer_check&);
  struct manager;
  std::vector<std::unique_ptr<manager> > managers_;
};

}  // namespace tls
}  // namespace tlsmux

#endif
