// SPDX-License-Identifier: GPL-2.0-or-later
// A configured WOLFSSL_CTX (RAII). Everything is set explicitly: Debian's wolfSSL left at
// its defaults offers TLS 1.1, NULL, RC4 and 3DES (docs/security.md).
#ifndef TLSMUX_TLS_CONTEXT_HPP
#define TLSMUX_TLS_CONTEXT_HPP

#include "tls/suite_order.hpp"

#include <memory>
#include <string>
#include <vector>

struct WOLFSSL_CTX;

namespace tlsmux {
namespace tls {

/// Initialises wolfSSL once per process (idempotent). Returns false with a message when
/// the library or its random source cannot start (e.g. no /dev/urandom in a chroot).
bool library_init(std::string& error);
/// Whether wolfSSL can seed a random generator now; false with a message when not. The
/// server asks again after a chroot, whose directory may lack dev/urandom.
bool entropy_available(std::string& error);
/// Whether wolfSSL runs AES-GCM in hardware on this CPU: an AES-NI build (WOLFSSL_AESNI)
/// on a CPU whose CPUID has AES-NI. Builds without AES assembly (linux-generic: armhf, mips,
/// SPARC, POWER; Debian's own wolfSSL) run AES in portable C, so false there.
bool aes_accelerated();
/// The server's start-up line about its AEAD order, e.g. "cipher preference auto: AES-GCM
/// first (AES in hardware), ChaCha20-Poly1305 for clients that list it first".
std::string preference_text(aead first, const std::string& setting);
/// "wolfSSL 5.5.4 (system build)" and the like.
std::string library_version();
/// wolfSSL's code and text for an error code, e.g. "-313 received alert fatal error".
std::string error_text(int code);

/// Settings shared by both roles.
struct settings {
  std::string profile = "intermediate";  ///< "intermediate" (TLS 1.2+1.3) or "modern" (1.3)
  std::string cert_file;   ///< PEM certificate chain (server; client when using a client cert)
  std::string key_file;    ///< PEM private key
  std::string ca_file;     ///< server: CA for client certs; client: CA for the server (--ca)
  std::vector<std::string> extra_ca_files;  ///< server: the services' own client CAs, also trusted
  std::string crl_file;            ///< server: CRL (PEM or DER) checked for client certificates
  bool require_peer_cert = false;  ///< server: fail handshakes without a valid client cert
  bool verify_peer = false;        ///< client: verify chain (+ name via engine) against ca_file
  bool session_tickets = true;     ///< resumption with rotating ticket keys (server: only
                                   ///< without ca_file, which turns every resumption off)
  std::string max_version;  ///< "" (no cap), "1.3", or "1.2" (clients only): tests, interop
  /// Which AEAD goes first (suite_order.hpp): auto = ChaCha20 without AES acceleration or,
  /// on a server, for a client that lists ChaCha20 first; AES-GCM otherwise.
  aead_setting cipher_preference = aead_setting::automatic;
};

/// A WOLFSSL_CTX for one role. Immutable once made; shared by sessions (shared_ptr), so a
/// reload can swap in a new one while established sessions keep theirs.
class context {
 public:
  /// A server context; nullptr and error set when a file cannot be loaded or is invalid.
  static std::shared_ptr<context> make_server(const settings& s, std::string& error);
  /// A client context; nullptr and error set on failure.
  static std::shared_ptr<context> make_client(const settings& s, std::string& error);
  /// Takes ownership of a configured WOLFSSL_CTX (probes and tests).
  static std::shared_ptr<context> adopt(WOLFSSL_CTX* ctx, bool server);
  ~context();

  WOLFSSL_CTX* native() const { return ctx_; }
  bool is_server() const { return server_; }
  /// The AEAD the context's own suite list puts first.
  aead first_aead() const { return first_; }
  /// Server: whether each connection's choice depends on the client's suite order (auto
  /// with AES acceleration); then engines read the ClientHello's suites first.
  bool follows_client_order() const { return follow_client_; }
  /// The same suites as the context's, ChaCha20 first (wolfSSL names).
  const char* chacha_first_ciphers() const { return chacha_list_; }

 private:
  context(WOLFSSL_CTX* ctx, bool server) : ctx_(ctx), server_(server) {}
  context(const context&);
  context& operator=(const context&);
  void set_order(const settings& s);
  WOLFSSL_CTX* ctx_;
  bool server_;
  aead first_ = aead::aes_gcm;
  bool follow_client_ = false;
  const char* chacha_list_ = "";
};

}  // namespace tls
}  // namespace tlsmux

#endif
