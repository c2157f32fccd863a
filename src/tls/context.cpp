// SPDX-License-Identifier: GPL-2.0-or-later
// Builds WOLFSSL_CTX objects with every security-relevant setting made explicit.
#include "tls/context.hpp"

#include "tls/engine.hpp"
#include "tls/keygen.hpp"

#include <wolfssl/options.h>
#include <wolfssl/ssl.h>
#include <wolfssl/version.h>
#include <wolfssl/wolfcrypt/random.h>
#if defined(WOLFSSL_AESNI)
#include <wolfssl/wolfcrypt/cpuid.h>
#endif

#include <fstream>

#ifndef TLSMUX_WOLFSSL_FLAVOUR
#define TLSMUX_WOLFSSL_FLAVOUR "unknown"
#endif

namespace tlsmux {
namespace tls {

namespace {

// Mozilla "intermediate" minus the DHE suites (docs: SECURITY.md 3.1), wolfSSL names; each
// list AES-GCM first and ChaCha20-Poly1305 first (suite_order.hpp says which one applies).
const char ciphers_intermediate[] =
    "TLS13-AES128-GCM-SHA256:TLS13-AES256-GCM-SHA384:TLS13-CHACHA20-POLY1305-SHA256:"
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:"
    "ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-CHACHA20-POLY1305";
const char ciphers_intermediate_chacha[] =
    "TLS13-CHACHA20-POLY1305-SHA256:TLS13-AES128-GCM-SHA256:TLS13-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
    "ECDHE-RSA-CHACHA20-POLY1305:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384";
const char ciphers_modern[] =
    "TLS13-AES128-GCM-SHA256:TLS13-AES256-GCM-SHA384:TLS13-CHACHA20-POLY1305-SHA256";
const char ciphers_modern_chacha[] =
    "TLS13-CHACHA20-POLY1305-SHA256:TLS13-AES128-GCM-SHA256:TLS13-AES256-GCM-SHA384";

const char* cipher_list(const settings& s, aead first) {
  const bool modern = s.profile == "modern";
  if (first == aead::chacha20) return modern ? ciphers_modern_chacha : ciphers_intermediate_chacha;
  return modern ? ciphers_modern : ciphers_intermediate;
}

// The AEAD a context puts first before it knows any client: the client's offer, and the
// server's order for clients that do not list ChaCha20 first.
aead context_first(const settings& s) {
  return preferred_aead(s.cipher_preference, aes_accelerated(), std::vector<std::uint16_t>());
}

struct init_result {
  bool ok;
  std::string error;
};

init_result do_library_init() {
  init_result r = {true, ""};
  if (wolfSSL_Init() != WOLFSSL_SUCCESS) {
    r.ok = false;
    r.error = "wolfSSL_Init failed";
    return r;
  }
  // wolfSSL opens its entropy source lazily; fail at start-up rather than on the first
  // handshake (a chroot without /dev/urandom is the usual cause).
  if (!entropy_available(r.error)) r.ok = false;
  return r;
}

bool readable(const std::string& path) {
  std::ifstream f(path.c_str(), std::ios::in | std::ios::binary);
  return static_cast<bool>(f);
}

// "cannot load <what> FILE: <reason>". wolfSSL 5.5.4 reports most bad contents as a bare
// WOLFSSL_FAILURE, so that case and the file-level codes get words of their own.
std::string load_error(const char* what, const std::string& path, int ret) {
  std::string why;
  if (!readable(path))
    why = "cannot open the file";
  else if (ret == WOLFSSL_FAILURE)
    why = "no valid PEM data of that kind in the file";
  else if (ret == WOLFSSL_BAD_FILE)
    why = "cannot read or parse the file";
  else if (ret == WOLFSSL_BAD_FILETYPE)
    why = "wrong file type (PEM expected)";
  else
    why = error_text(ret);
  return std::string("cannot load ") + what + " " + path + ": " + why;
}

// Method for a role, profile and version cap; nullptr when the combination is unknown.
WOLFSSL_METHOD* pick_method(bool server, const settings& s, std::string& error) {
  const bool modern = s.profile == "modern";
  if (!modern && s.profile != "intermediate") {
    error = "unknown TLS profile '" + s.profile + "' (intermediate or modern)";
    return nullptr;
  }
  if (s.max_version == "1.2") {
    if (modern) {
      error = "TLS profile modern needs TLS 1.3 but max_version is 1.2";
      return nullptr;
    }
    // Measured with wolfSSL 5.5.4: on a TLS 1.2-only server method the curves list cannot
    // be set, and such a server negotiated secp256k1 with a client offering only that.
    if (server) {
      error = "max_version 1.2 is for clients only";
      return nullptr;
    }
    return server ? wolfTLSv1_2_server_method() : wolfTLSv1_2_client_method();
  }
  if (!s.max_version.empty() && s.max_version != "1.3") {
    error = "unknown max_version '" + s.max_version + "' (1.2 or 1.3)";
    return nullptr;
  }
  if (modern || s.max_version == "1.3")
    return server ? wolfTLSv1_3_server_method() : wolfTLSv1_3_client_method();
  return server ? wolfSSLv23_server_method() : wolfSSLv23_client_method();
}

// Version floor, suites, groups (TLS 1.3 key shares *and* TLS 1.2 curves) and key sizes.
bool configure_common(WOLFSSL_CTX* ctx, const settings& s, bool server, std::string& error) {
  int ret = wolfSSL_CTX_SetMinVersion(ctx, WOLFSSL_TLSV1_2);
  if (ret != WOLFSSL_SUCCESS) {
    error = "cannot set the minimum TLS version: " + error_text(ret);
    return false;
  }
  ret = wolfSSL_CTX_set_cipher_list(ctx, cipher_list(s, context_first(s)));
  if (ret != WOLFSSL_SUCCESS) {
    error = "cannot set the cipher list: " + error_text(ret);
    return false;
  }
  // wolfSSL refuses TLS 1.3 groups on a TLS 1.2-only method (BAD_FUNC_ARG).
  if (s.max_version != "1.2") {
    int groups[] = {WOLFSSL_ECC_X25519, WOLFSSL_ECC_SECP256R1, WOLFSSL_ECC_SECP384R1};
    ret = wolfSSL_CTX_set_groups(ctx, groups, 3);
    if (ret != WOLFSSL_SUCCESS) {
      error = "cannot set the TLS 1.3 groups: " + error_text(ret);
      return false;
    }
  }
  // Without the compat layer the client advertises exactly these curves for TLS 1.2; a
  // server built from source relies on other curves being compiled out (user_settings.h).
  bool advertise_curves = !server;
#if defined(OPENSSL_EXTRA) || defined(OPENSSL_ALL)
  // set_groups alone leaves TLS 1.2 accepting every compiled-in curve (measured: brainpool,
  // secp256k1); the curves list is what restricts TLS 1.2 ECDHE. On a TLS 1.2-only method
  // wolfSSL 5.5.4 sets that mask and then fails on the TLS 1.3 groups it also tries to set.
  char curves[] = "X25519:P-256:P-384";
  ret = wolfSSL_CTX_set1_curves_list(ctx, curves);
  if (ret != WOLFSSL_SUCCESS && s.max_version != "1.2") {
    error = "cannot set the TLS 1.2 curves: " + error_text(ret);
    return false;
  }
  advertise_curves = !server && s.max_version == "1.2";
#endif
#if defined(HAVE_SUPPORTED_CURVES)
  const word16 names[] = {WOLFSSL_ECC_X25519, WOLFSSL_ECC_SECP256R1, WOLFSSL_ECC_SECP384R1};
  for (std::size_t i = 0; advertise_curves && i < sizeof names / sizeof names[0]; ++i) {
    ret = wolfSSL_CTX_UseSupportedCurve(ctx, names[i]);
    if (ret != WOLFSSL_SUCCESS) {
      error = "cannot set the TLS 1.2 curves: " + error_text(ret);
      return false;
    }
  }
#else
  (void)advertise_curves;
#endif
  wolfSSL_CTX_SetMinEccKey_Sz(ctx, 256);
  wolfSSL_CTX_SetMinRsaKey_Sz(ctx, 2048);
  engine::install_io(ctx);
  return true;
}

// Certificate chain plus private key, and a check that they belong together.
bool load_identity(WOLFSSL_CTX* ctx, const settings& s, std::string& error) {
  if (s.cert_file.empty() || s.key_file.empty()) {
    error = "a certificate needs both cert_file and key_file";
    return false;
  }
  int ret = wolfSSL_CTX_use_certificate_chain_file(ctx, s.cert_file.c_str());
  if (ret != WOLFSSL_SUCCESS) {
    error = load_error("certificate chain", s.cert_file, ret);
    return false;
  }
  ret = wolfSSL_CTX_use_PrivateKey_file(ctx, s.key_file.c_str(), WOLFSSL_FILETYPE_PEM);
  if (ret != WOLFSSL_SUCCESS) {
    error = load_error("private key", s.key_file, ret);
    return false;
  }
#if !defined(NO_CHECK_PRIVATE_KEY)
  ret = wolfSSL_CTX_check_private_key(ctx);
  if (ret != WOLFSSL_SUCCESS) {
    error = "private key " + s.key_file + " does not match certificate " + s.cert_file;
    return false;
  }
#endif
  return true;
}

bool load_ca(WOLFSSL_CTX* ctx, const std::string& ca_file, std::string& error) {
  const int ret = wolfSSL_CTX_load_verify_locations(ctx, ca_file.c_str(), nullptr);
  if (ret != WOLFSSL_SUCCESS) {
    error = load_error("CA file", ca_file, ret);
    return false;
  }
  return true;
}

// The CRL is checked for the whole chain; its signer must be one of the CAs loaded before.
bool load_crl(WOLFSSL_CTX* ctx, const std::string& crl_file, std::string& error) {
#if defined(HAVE_CRL)
  int ret = wolfSSL_CTX_EnableCRL(ctx, WOLFSSL_CRL_CHECKALL);
  if (ret == WOLFSSL_SUCCESS) {
    ret = wolfSSL_CTX_LoadCRLFile(ctx, crl_file.c_str(), WOLFSSL_FILETYPE_PEM);
    if (ret != WOLFSSL_SUCCESS && readable(crl_file))
      ret = wolfSSL_CTX_LoadCRLFile(ctx, crl_file.c_str(), WOLFSSL_FILETYPE_ASN1);
  }
  if (ret != WOLFSSL_SUCCESS) {
    error = readable(crl_file) ? "cannot load CRL " + crl_file + ": " + error_text(ret) +
                                     " (is it signed by a CA of client-ca?)"
                               : "cannot load CRL " + crl_file + ": cannot open the file";
    return false;
  }
  return true;
#else
  (void)ctx;
  error = "cannot load CRL " + crl_file + ": this wolfSSL build has no CRL support (HAVE_CRL)";
  return false;
#endif
}

// Session tickets: wolfSSL's default ticket callback rotates its key (hourly); otherwise
// neither TLS 1.2 nor TLS 1.3 issues tickets.
void configure_tickets(WOLFSSL_CTX* ctx, bool enabled) {
#if defined(HAVE_SESSION_TICKET)
  if (!enabled) {
    wolfSSL_CTX_NoTicketTLSv12(ctx);
#if defined(WOLFSSL_TLS13)
    wolfSSL_CTX_no_ticket_TLSv13(ctx);
#endif
  }
#else
  (void)ctx;
  (void)enabled;
#endif
}

struct ctx_guard {
  WOLFSSL_CTX* ctx;
  ~ctx_guard() {
    if (ctx != nullptr) wolfSSL_CTX_free(ctx);
  }
  WOLFSSL_CTX* release() {
    WOLFSSL_CTX* c = ctx;
    ctx = nullptr;
    return c;
  }
};

WOLFSSL_CTX* new_ctx(bool server, const settings& s, std::string& error) {
  if (!library_init(error)) return nullptr;
  WOLFSSL_METHOD* method = pick_method(server, s, error);
  if (method == nullptr) return nullptr;
  WOLFSSL_CTX* ctx = wolfSSL_CTX_new(method);
  if (ctx == nullptr) error = "wolfSSL_CTX_new failed (out of memory?)";
  return ctx;
}

// wolfSSL_CTX_check_private_key (5.5.4) accepted another P-256 key for a P-256 certificate,
// so the pair is proven the way a peer would: a handshake in memory, in which the client
// checks the server's signature against the certificate's public key.
bool handshake_works(const std::shared_ptr<context>& server, const std::shared_ptr<context>& client,
                     const settings& s, std::string& error) {
  engine srv(server), cli(client);
  for (int round = 0; round < 8; ++round) {
    const status c = cli.handshake();
    srv.feed(cli.output(), cli.output_size());
    cli.consume_output(cli.output_size());
    const status v = srv.handshake();
    cli.feed(srv.output(), srv.output_size());
    srv.consume_output(srv.output_size());
    if (c == status::error || v == status::error) {
      const std::string why = c == status::error ? cli.error_string() : srv.error_string();
      error = "private key " + s.key_file + " does not match certificate " + s.cert_file +
              " (test handshake: " + why + ")";
      return false;
    }
    if (c == status::ok && v == status::ok) return true;
  }
  error = "test handshake with " + s.cert_file + " did not complete";
  return false;
}

bool identity_works(const std::shared_ptr<context>& server, const settings& s,
                    std::string& error) {
  std::shared_ptr<context> probe = context::make_client(settings(), error);
  return probe != nullptr && handshake_works(server, probe, s, error);
}

int accept_any_chain(int, WOLFSSL_X509_STORE_CTX*) { return 1; }

// A client certificate is proven the way a server would see it: presented to a throw-away
// server that requests it (only possession of the key matters; the chain is not judged).
// Serving it as a server certificate instead fails on its clientAuth-only key usage.
bool client_identity_works(const std::shared_ptr<context>& client, const settings& s,
                           std::string& error) {
  std::string key_pem, cert_pem;
  if (!generate_self_signed("tlsmux-probe", std::vector<std::string>(), std::vector<std::string>(), 1,
                            key_pem, cert_pem, error))
    return false;
  ctx_guard g = {new_ctx(true, settings(), error)};
  if (g.ctx == nullptr || !configure_common(g.ctx, settings(), true, error)) return false;
  if (wolfSSL_CTX_use_certificate_buffer(g.ctx, reinterpret_cast<const unsigned char*>(cert_pem.data()),
                                         static_cast<long>(cert_pem.size()), WOLFSSL_FILETYPE_PEM) != WOLFSSL_SUCCESS ||
      wolfSSL_CTX_use_PrivateKey_buffer(g.ctx, reinterpret_cast<const unsigned char*>(key_pem.data()),
                                        static_cast<long>(key_pem.size()), WOLFSSL_FILETYPE_PEM) != WOLFSSL_SUCCESS) {
    error = "cannot load the probe identity";
    return false;
  }
  wolfSSL_CTX_set_verify(g.ctx, WOLFSSL_VERIFY_PEER | WOLFSSL_VERIFY_FAIL_IF_NO_PEER_CERT, accept_any_chain);
  std::shared_ptr<context> server = context::adopt(g.release(), true);
  return handshake_works(server, client, s, error);
}

}  // namespace

// Every new connection seeds its RNG from the entropy source again (wolfSSL opens
// /dev/urandom each time), so this test holds for all that follow, until the root changes.
bool entropy_available(std::string& error) {
  WC_RNG rng;
  if (wc_InitRng(&rng) != 0) {
    error = "no entropy source: wolfSSL could not open /dev/urandom "
            "(in a chroot, create dev/urandom)";
    return false;
  }
  wc_FreeRng(&rng);
  return true;
}

bool library_init(std::string& error) {
  static const init_result result = do_library_init();
  if (!result.ok) error = result.error;
  return result.ok;
}

bool aes_accelerated() {
#if defined(WOLFSSL_AESNI) && defined(HAVE_CPUID_INTEL)
  // The test aes.c makes before it picks its AES-NI code.
  return IS_INTEL_AESNI(cpuid_get_flags()) != 0;
#else
  return false;
#endif
}

std::string preference_text(aead first, const std::string& setting) {
  std::string t = "cipher preference " + setting + ": ";
  if (setting != "auto")
    return t + (first == aead::chacha20 ? "ChaCha20-Poly1305 first" : "AES-GCM first");
  if (first == aead::chacha20) return t + "ChaCha20-Poly1305 first (AES runs in portable C here)";
  return t + "AES-GCM first (AES in hardware), ChaCha20-Poly1305 for clients that list it first";
}

std::string library_version() {
  std::string v = "wolfSSL " LIBWOLFSSL_VERSION_STRING " (" TLSMUX_WOLFSSL_FLAVOUR " build";
#if defined(WOLFSSL_AESNI)
  v += ", AES-NI";
#endif
  return v + ")";
}

std::string error_text(int code) {
  char buf[WOLFSSL_MAX_ERROR_SZ] = {0};
  wolfSSL_ERR_error_string_n(static_cast<unsigned long>(code), buf, sizeof buf);
  return std::to_string(code) + " " + buf;
}

std::shared_ptr<context> context::make_server(const settings& s, std::string& error) {
  if (s.require_peer_cert && s.ca_file.empty() && s.extra_ca_files.empty()) {
    error = "client certificates are required but no CA file is set";
    return nullptr;
  }
  ctx_guard g = {new_ctx(true, s, error)};
  if (g.ctx == nullptr || !configure_common(g.ctx, s, true, error)) return nullptr;
  if (!load_identity(g.ctx, s, error)) return nullptr;
  WOLFSSL_CTX* ctx = g.ctx;
  std::shared_ptr<context> result(new context(g.release(), true));
  result->set_order(s);
  // The probe runs before client certificates are requested; its engines are gone before
  // the context is finished and shared.
  if (!identity_works(result, s, error)) return nullptr;
  if (!s.ca_file.empty() || !s.extra_ca_files.empty()) {
    if (!s.ca_file.empty() && !load_ca(ctx, s.ca_file, error)) return nullptr;
    for (std::size_t i = 0; i < s.extra_ca_files.size(); ++i)
      if (!load_ca(ctx, s.extra_ca_files[i], error)) return nullptr;
    int mode = WOLFSSL_VERIFY_PEER;
    if (s.require_peer_cert) mode |= WOLFSSL_VERIFY_FAIL_IF_NO_PEER_CERT;
    wolfSSL_CTX_set_verify(ctx, mode, s.crl_file.empty() ? nullptr : &engine::verify_cb);
    if (!s.crl_file.empty() && !load_crl(ctx, s.crl_file, error)) return nullptr;
  } else {
    wolfSSL_CTX_set_verify(ctx, WOLFSSL_VERIFY_NONE, nullptr);
  }
  // Client certificates and resumption do not mix (issue 13, finding 8): a resumed session
  // carries no certificate in wolfSSL (tickets hold only the secret; SESSION_CERTS keeps the
  // chain in a small cache shared by every context, so identities would vanish on eviction and
  // survive a reload that changed client-ca). Where certificates can be asked for, every
  // session is a full handshake, so its identity is always the one just verified.
  const bool resumable = s.ca_file.empty() && s.extra_ca_files.empty();
  configure_tickets(ctx, s.session_tickets && resumable);
#if !defined(NO_SESSION_CACHE)
  if (!resumable) wolfSSL_CTX_set_session_cache_mode(ctx, WOLFSSL_SESS_CACHE_OFF);
#endif
  return result;
}

std::shared_ptr<context> context::make_client(const settings& s, std::string& error) {
  ctx_guard g = {new_ctx(false, s, error)};
  if (g.ctx == nullptr || !configure_common(g.ctx, s, false, error)) return nullptr;
  bool has_identity = !s.cert_file.empty() || !s.key_file.empty();
  if (has_identity && !load_identity(g.ctx, s, error)) return nullptr;
  wolfSSL_CTX_set_verify(g.ctx, WOLFSSL_VERIFY_NONE, nullptr);
  WOLFSSL_CTX* ctx = g.ctx;
  std::shared_ptr<context> result = adopt(g.release(), false);
  result->set_order(s);
  if (has_identity && !client_identity_works(result, s, error)) return nullptr;
  if (s.verify_peer) {
    if (s.ca_file.empty()) {
      error = "server verification needs a CA file";
      return nullptr;
    }
    if (!load_ca(ctx, s.ca_file, error)) return nullptr;
    wolfSSL_CTX_set_verify(ctx, WOLFSSL_VERIFY_PEER, nullptr);
  }
  // Otherwise the caller checks the peer certificate itself (pin or trust on first use).
  return result;
}

std::shared_ptr<context> context::adopt(WOLFSSL_CTX* ctx, bool server) {
  return std::shared_ptr<context>(new context(ctx, server));
}

void context::set_order(const settings& s) {
  first_ = context_first(s);
  chacha_list_ = cipher_list(s, aead::chacha20);
  // Only with AES-GCM first can a client's ChaCha20-first list change the choice.
  follow_client_ = server_ && first_ == aead::aes_gcm && s.cipher_preference == aead_setting::automatic;
}

context::~context() {
  if (ctx_ != nullptr) wolfSSL_CTX_free(ctx_);
}

}  // namespace tls
}  // namespace tlsmux
