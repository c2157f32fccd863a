// SPDX-License-Identifier: GPL-2.0-or-later
// tls::engine handshakes in memory: versions, suites, verification and refusals.
#include "tls/context.hpp"
#include "tls/engine.hpp"
#include "tls/identity.hpp"
#include "tls/pin.hpp"
#include "unit/tls/tls_pair.hpp"

#include <wolfssl/options.h>
#include <wolfssl/ssl.h>
#include <wolfssl/wolfio.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include <CppUTest/TestHarness.h>

using tlsmux::tls::engine;
using tlsmux::tls::settings;
using tlsmux::tls::status;
using tlsmux_test::data_file;
using tlsmux_test::server_settings;
using tlsmux_test::tls_pair;
using tlsmux_test::transfer;
using tlsmux_test::verifying_client_settings;

SimpleString StringFrom(tlsmux::tls::status s) { return SimpleString(tlsmux_test::status_name(s)); }

namespace {

// A raw wolfSSL endpoint with its own memory I/O, for what the contexts refuse to build
// (TLS 1.1, exotic curves) and for unconfigured controls.
struct raw_peer {
  std::vector<std::uint8_t> in, out;
  WOLFSSL_CTX* ctx = nullptr;
  WOLFSSL* ssl = nullptr;
  bool server = false;

  static int recv_cb(WOLFSSL*, char* buf, int sz, void* c) {
    raw_peer* self = static_cast<raw_peer*>(c);
    if (self->in.empty()) return WOLFSSL_CBIO_ERR_WANT_READ;
    const int n = std::min(sz, static_cast<int>(self->in.size()));
    std::memcpy(buf, self->in.data(), static_cast<std::size_t>(n));
    self->in.erase(self->in.begin(), self->in.begin() + n);
    return n;
  }
  static int send_cb(WOLFSSL*, char* buf, int sz, void* c) {
    raw_peer* self = static_cast<raw_peer*>(c);
    self->out.insert(self->out.end(), buf, buf + sz);
    return sz;
  }
  // A client (no cert) or, with cert and key, a server with wolfSSL's defaults.
  explicit raw_peer(WOLFSSL_METHOD* method, const char* cert = nullptr, const char* key = nullptr)
      : server(cert != nullptr) {
    ctx = wolfSSL_CTX_new(method);
    wolfSSL_CTX_set_verify(ctx, WOLFSSL_VERIFY_NONE, nullptr);
    if (server) {
      wolfSSL_CTX_use_certificate_chain_file(ctx, data_file(cert).c_str());
      wolfSSL_CTX_use_PrivateKey_file(ctx, data_file(key).c_str(), WOLFSSL_FILETYPE_PEM);
    }
    wolfSSL_CTX_SetIORecv(ctx, recv_cb);
    wolfSSL_CTX_SetIOSend(ctx, send_cb);
    ssl = wolfSSL_new(ctx);
    wolfSSL_SetIOReadCtx(ssl, this);
    wolfSSL_SetIOWriteCtx(ssl, this);
  }
  ~raw_peer() {
    wolfSSL_free(ssl);
    wolfSSL_CTX_free(ctx);
  }
  // One handshake step: 1 done, 0 wants input, -1 failed.
  int step() {
    const int ret = server ? wolfSSL_accept(ssl) : wolfSSL_connect(ssl);
    if (ret == WOLFSSL_SUCCESS) return 1;
    return wolfSSL_get_error(ssl, ret) == WOLFSSL_ERROR_WANT_READ ? 0 : -1;
  }
};

// Only the tests for features the source build leaves out use the helpers below; clang's
// -Wunused-function would fail the -Werror build without this guard.
#if !defined(NO_OLD_TLS) || (defined(HAVE_ECC_KOBLITZ) && defined(HAVE_ECC_BRAINPOOL))
// Handshake of a raw client against a raw server; true when both finish.
inline bool raw_handshake(raw_peer& c, raw_peer& s) {
  for (int i = 0; i < 10; ++i) {
    const int a = c.step();
    s.in.insert(s.in.end(), c.out.begin(), c.out.end());
    c.out.clear();
    const int b = s.step();
    c.in.insert(c.in.end(), s.out.begin(), s.out.end());
    s.out.clear();
    if (a < 0 || b < 0) return false;
    if (a == 1 && b == 1) return true;
  }
  return false;
}

#endif

#if defined(HAVE_ECC_KOBLITZ) && defined(HAVE_ECC_BRAINPOOL)
// Handshake of a raw client against an engine server; true when both finish.
inline bool raw_handshake(raw_peer& c, engine& s) {
  for (int i = 0; i < 10; ++i) {
    const int a = c.step();
    s.feed(c.out.data(), c.out.size());
    c.out.clear();
    const status b = s.handshake();
    c.in.insert(c.in.end(), s.output(), s.output() + s.output_size());
    s.consume_output(s.output_size());
    if (a < 0 || b == status::error) return false;
    if (a == 1 && b == status::ok) return true;
  }
  return false;
}
#endif

}  // namespace

TEST_GROUP(engine_handshake) {
  void setup() {
    std::string error;
    CHECK_TEXT(tlsmux::tls::library_init(error), error.c_str());
  }
};

TEST(engine_handshake, tls13_completes_in_few_rounds) {
  tls_pair p(server_settings(), verifying_client_settings());
  CHECK_TEXT(p.ok(), p.error.c_str());
  CHECK_FALSE(p.client->established());
  CHECK_TEXT(p.handshake(), p.client->error_string().c_str());
  CHECK(p.rounds <= 3);
  CHECK(p.client->established());
  CHECK(p.server->established());
  STRCMP_EQUAL("TLSv1.3", p.client->version().c_str());
  STRCMP_EQUAL("TLSv1.3", p.server->version().c_str());
  // AES-GCM where AES runs in hardware, ChaCha20 where it runs in C (tests/unit/tls/suite_order)
  const char* suite = tlsmux::tls::aes_accelerated() ? "TLS_AES_128_GCM_SHA256" : "TLS_CHACHA20_POLY1305_SHA256";
  STRCMP_EQUAL(suite, p.client->cipher().c_str());
  STRCMP_EQUAL(suite, p.server->cipher().c_str());
  CHECK_FALSE(p.client->resumed());
  CHECK_EQUAL(status::ok, p.client->handshake());  // idempotent once done
}

TEST(engine_handshake, tls12_when_client_caps_version) {
  settings c = verifying_client_settings();
  c.max_version = "1.2";
  tls_pair p(server_settings(), c);
  CHECK_TEXT(p.ok(), p.error.c_str());
  CHECK_TEXT(p.handshake(), p.client->error_string().c_str());
  STRCMP_EQUAL("TLSv1.2", p.client->version().c_str());
  STRCMP_EQUAL("TLSv1.2", p.server->version().c_str());
  const char* suite = tlsmux::tls::aes_accelerated() ? "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"
                                                     : "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256";
  STRCMP_EQUAL(suite, p.client->cipher().c_str());
  STRCMP_EQUAL(suite, p.server->cipher().c_str());
}

TEST(engine_handshake, version_and_cipher_empty_before_handshake) {
  tls_pair p(server_settings(), verifying_client_settings());
  CHECK_TEXT(p.ok(), p.error.c_str());
  STRCMP_EQUAL("", p.client->version().c_str());
  STRCMP_EQUAL("", p.client->cipher().c_str());
  CHECK(p.client->peer_certificate().empty());
}

TEST(engine_handshake, modern_server_refuses_tls12_client) {
  settings s = server_settings();
  s.profile = "modern";
  settings c = verifying_client_settings();
  c.max_version = "1.2";
  tls_pair p(s, c);
  CHECK_TEXT(p.ok(), p.error.c_str());
  CHECK_FALSE(p.handshake());
  CHECK_EQUAL(status::error, p.server_status);
  CHECK_EQUAL(status::error, p.client->handshake());
}

// A wolfSSL built from source without old protocols cannot even make the old client.
#if !defined(NO_OLD_TLS)
TEST(engine_handshake, tls11_client_refused) {
  tls_pair p(server_settings(), verifying_client_settings());
  CHECK_TEXT(p.ok(), p.error.c_str());
  raw_peer old(wolfTLSv1_1_client_method());
  CHECK_EQUAL(0, old.step());
  CHECK(!old.out.empty());
  p.server->feed(old.out.data(), old.out.size());
  CHECK_EQUAL(status::error, p.server->handshake());
  CHECK(!p.server->error_string().empty());
  // The refusal goes back as an alert; the old client fails too.
  old.in.assign(p.server->output(), p.server->output() + p.server->output_size());
  CHECK(!old.in.empty());
  CHECK_EQUAL(-1, old.step());
  // Control: an unconfigured wolfSSL server (Debian's defaults) would have accepted it.
  raw_peer client(wolfTLSv1_1_client_method()), server(wolfSSLv23_server_method(), "server.crt",
                                                       "server.key");
  CHECK(raw_handshake(client, server));
}
#endif

// Needs the exotic curves compiled in (Debian's build has them; a minimal build does not).
#if defined(HAVE_ECC_KOBLITZ) && defined(HAVE_ECC_BRAINPOOL)
TEST(engine_handshake, tls12_curves_outside_the_list_are_not_used) {
  // A TLS 1.2 client offering only secp256k1 and brainpoolP256r1: the server must not use
  // either. (wolfSSL then falls back to P-256, which a wolfSSL client accepts.)
  tls_pair p(server_settings(), verifying_client_settings());
  CHECK_TEXT(p.ok(), p.error.c_str());
  raw_peer odd(wolfTLSv1_2_client_method());
  CHECK_EQUAL(WOLFSSL_SUCCESS, wolfSSL_UseSupportedCurve(odd.ssl, WOLFSSL_ECC_SECP256K1));
  CHECK_EQUAL(WOLFSSL_SUCCESS, wolfSSL_UseSupportedCurve(odd.ssl, WOLFSSL_ECC_BRAINPOOLP256R1));
  if (raw_handshake(odd, *p.server)) STRCMP_EQUAL("SECP256R1", wolfSSL_get_curve_name(odd.ssl));
  // Offered among others, X25519 is picked.
  tls_pair q(server_settings(), verifying_client_settings());
  raw_peer good(wolfTLSv1_2_client_method());
  CHECK_EQUAL(WOLFSSL_SUCCESS, wolfSSL_UseSupportedCurve(good.ssl, WOLFSSL_ECC_SECP256K1));
  CHECK_EQUAL(WOLFSSL_SUCCESS, wolfSSL_UseSupportedCurve(good.ssl, WOLFSSL_ECC_X25519));
  CHECK_TEXT(raw_handshake(good, *q.server), q.server->error_string().c_str());
  STRCMP_EQUAL("X25519", wolfSSL_get_curve_name(good.ssl));
  // Control: an unconfigured wolfSSL server uses secp256k1.
  raw_peer odd2(wolfTLSv1_2_client_method()), server(wolfSSLv23_server_method(), "server.crt",
                                                     "server.key");
  wolfSSL_UseSupportedCurve(odd2.ssl, WOLFSSL_ECC_SECP256K1);
  CHECK(raw_handshake(odd2, server));
  STRCMP_EQUAL("SECP256K1", wolfSSL_get_curve_name(odd2.ssl));
}
#endif

TEST(engine_handshake, wrong_ca_rejected_when_verifying) {
  settings s;
  s.cert_file = data_file("other.crt");
  s.key_file = data_file("other.key");
  tls_pair p(s, verifying_client_settings());
  CHECK_TEXT(p.ok(), p.error.c_str());
  CHECK_FALSE(p.handshake());
  CHECK_EQUAL(status::error, p.client_status);
  CHECK(!p.client->error_string().empty());
  CHECK_FALSE(p.client->established());
}

TEST(engine_handshake, unverified_client_accepts_any_server_and_sees_its_certificate) {
  settings s;
  s.cert_file = data_file("other.crt");
  s.key_file = data_file("other.key");
  tls_pair p(s, settings());
  CHECK_TEXT(p.ok(), p.error.c_str());
  CHECK_TEXT(p.handshake(), p.client->error_string().c_str());
  std::string error;
  STRCMP_EQUAL(tlsmux::tls::spki_pin_of_pem_file(data_file("other.crt"), error).c_str(),
               tlsmux::tls::spki_pin(p.client->peer_certificate()).c_str());
}

TEST(engine_handshake, name_check_accepts_matching_dns_name) {
  tls_pair p(server_settings(), verifying_client_settings());
  CHECK_TEXT(p.ok(), p.error.c_str());
  p.client->set_server_name("localhost", true);
  CHECK_TEXT(p.handshake(), p.client->error_string().c_str());
}

TEST(engine_handshake, name_check_accepts_matching_ip_address) {
  tls_pair p(server_settings(), verifying_client_settings());
  CHECK_TEXT(p.ok(), p.error.c_str());
  p.client->set_server_name("127.0.0.1", true);
  CHECK_TEXT(p.handshake(), p.client->error_string().c_str());
}

TEST(engine_handshake, name_check_mismatch_rejected) {
  tls_pair p(server_settings(), verifying_client_settings());
  CHECK_TEXT(p.ok(), p.error.c_str());
  p.client->set_server_name("wrong.example", true);
  CHECK_FALSE(p.handshake());
  CHECK_EQUAL(status::error, p.client_status);
  CHECK(!p.client->error_string().empty());
}

TEST(engine_handshake, ip_mismatch_rejected) {
  tls_pair p(server_settings(), verifying_client_settings());
  CHECK_TEXT(p.ok(), p.error.c_str());
  p.client->set_server_name("127.0.0.2", true);
  CHECK_FALSE(p.handshake());
  CHECK_EQUAL(status::error, p.client_status);
}

TEST(engine_handshake, sni_without_name_check_is_accepted) {
  tls_pair p(server_settings(), verifying_client_settings());
  CHECK_TEXT(p.ok(), p.error.c_str());
  p.client->set_server_name("wrong.example", false);
  CHECK_TEXT(p.handshake(), p.client->error_string().c_str());
}

TEST(engine_handshake, client_certificate_required_and_missing) {
  settings s = server_settings();
  s.ca_file = data_file("ca.crt");
  s.require_peer_cert = true;
  tls_pair p(s, verifying_client_settings());
  CHECK_TEXT(p.ok(), p.error.c_str());
  CHECK_FALSE(p.handshake());
  CHECK_EQUAL(status::error, p.server_status);
  CHECK(!p.server->error_string().empty());
  CHECK_FALSE(p.server->established());
  // In TLS 1.3 the client finished first; it learns of the refusal from the alert.
  std::uint8_t buf[16];
  std::size_t got = 0;
  CHECK_EQUAL(status::error, p.client->read(buf, sizeof buf, got));
}

TEST(engine_handshake, client_certificate_present) {
  settings s = server_settings();
  s.ca_file = data_file("ca.crt");
  s.require_peer_cert = true;
  settings c = verifying_client_settings();
  c.cert_file = data_file("client.crt");
  c.key_file = data_file("client.key");
  for (int v = 0; v < 2; ++v) {
    c.max_version = v == 0 ? "" : "1.2";
    tls_pair p(s, c);
    CHECK_TEXT(p.ok(), p.error.c_str());
    CHECK_TEXT(p.handshake(), p.server->error_string().c_str());
    const std::vector<std::uint8_t> der = p.server->peer_certificate();
    CHECK(!der.empty());
    std::string error;
    STRCMP_EQUAL(tlsmux::tls::spki_pin_of_pem_file(data_file("client.crt"), error).c_str(),
                 tlsmux::tls::spki_pin(der).c_str());
    STRCMP_EQUAL("cert:alice", tlsmux::tls::certificate_identity(der).c_str());
    STRCMP_EQUAL(tlsmux::tls::spki_pin_of_pem_file(data_file("server.crt"), error).c_str(),
                 tlsmux::tls::spki_pin(p.client->peer_certificate()).c_str());
  }
}

TEST(engine_handshake, client_certificate_from_unknown_ca_rejected) {
  settings s = server_settings();
  s.ca_file = data_file("ca.crt");
  settings c = verifying_client_settings();
  c.cert_file = data_file("other.crt");
  c.key_file = data_file("other.key");
  tls_pair p(s, c);
  CHECK_TEXT(p.ok(), p.error.c_str());
  CHECK_FALSE(p.handshake());
  CHECK_EQUAL(status::error, p.server_status);
}

TEST(engine_handshake, optional_client_certificate_may_be_absent) {
  settings s = server_settings();
  s.ca_file = data_file("ca.crt");
  tls_pair p(s, verifying_client_settings());
  CHECK_TEXT(p.ok(), p.error.c_str());
  CHECK_TEXT(p.handshake(), p.server->error_string().c_str());
  CHECK(p.server->peer_certificate().empty());
}

TEST(engine_handshake, garbage_input_is_an_error) {
  tls_pair p(server_settings(), verifying_client_settings());
  CHECK_TEXT(p.ok(), p.error.c_str());
  const char http[] = "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n";
  p.server->feed(reinterpret_cast<const std::uint8_t*>(http), sizeof http - 1);
  CHECK_EQUAL(status::error, p.server->handshake());
  CHECK(!p.server->error_string().empty());
  CHECK_EQUAL(status::error, p.server->handshake());  // stays failed
  std::uint8_t buf[16];
  std::size_t got = 1;
  CHECK_EQUAL(status::error, p.server->read(buf, sizeof buf, got));
  CHECK_EQUAL(0u, got);
}

TEST(engine_handshake, garbage_after_handshake_is_an_error) {
  tls_pair p(server_settings(), verifying_client_settings());
  CHECK_TEXT(p.ok(), p.error.c_str());
  CHECK(p.handshake());
  const std::uint8_t junk[] = {0x17, 0x03, 0x03, 0x00, 0x20, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
                               12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27,
                               28, 29, 30, 31, 32};
  p.server->feed(junk, sizeof junk);
  std::uint8_t buf[64];
  std::size_t got = 0;
  CHECK_EQUAL(status::error, p.server->read(buf, sizeof buf, got));
}

TEST(engine_handshake, tickets_are_sent_only_when_enabled) {
  std::size_t bytes[2] = {0, 0};
  for (int i = 0; i < 2; ++i) {
    settings s = server_settings();
    s.session_tickets = i == 0;
    tls_pair p(s, verifying_client_settings());
    CHECK_TEXT(p.ok(), p.error.c_str());
    // Count the server's flights by hand: the TLS 1.3 NewSessionTicket follows its Finished.
    p.client->handshake();
    transfer(*p.client, *p.server);
    p.server->handshake();
    bytes[i] += transfer(*p.server, *p.client);
    p.client->handshake();
    transfer(*p.client, *p.server);
    CHECK_EQUAL(status::ok, p.server->handshake());
    bytes[i] += transfer(*p.server, *p.client);
    std::uint8_t buf[16];
    std::size_t got = 0;
    CHECK_EQUAL(status::want_input, p.server->read(buf, sizeof buf, got));
    bytes[i] += transfer(*p.server, *p.client);
  }
  CHECK(bytes[0] > bytes[1]);
}

namespace {

// One connection on given contexts, offering `saved` for resumption when set; the server's
// identity and whether it resumed, and the client's session to resume later.
struct resume_try {
  bool done = false;
  bool resumed = false;
  std::string identity;  ///< certificate_identity() of the server's peer_certificate(), "" if none
  std::shared_ptr<WOLFSSL_SESSION> session;
};

resume_try connect_once(const std::shared_ptr<tlsmux::tls::context>& sctx,
                        const std::shared_ptr<tlsmux::tls::context>& cctx,
                        const std::shared_ptr<WOLFSSL_SESSION>& saved) {
  resume_try r;
  engine server(sctx), client(cctx);
  // A server that never resumes gives its client nothing to offer: set_session may refuse it.
  if (saved) client.set_session(saved);
  for (int i = 0; i < 10 && !r.done; ++i) {
    const status c = client.handshake();
    transfer(client, server);
    const status s = server.handshake();
    transfer(server, client);
    if (c == status::error || s == status::error) return r;
    r.done = c == status::ok && s == status::ok;
  }
  // A TLS 1.3 ticket follows the server's Finished: the client takes it on its first read.
  const std::uint8_t ping[] = {1};
  CHECK_EQUAL(status::ok, server.write(ping, sizeof ping));
  transfer(server, client);
  std::uint8_t buf[16];
  std::size_t got = 0;
  client.read(buf, sizeof buf, got);
  r.resumed = server.resumed();
  const std::vector<std::uint8_t> der = server.peer_certificate();
  if (!der.empty()) r.identity = tlsmux::tls::certificate_identity(der);
  r.session = client.session();
  return r;
}

}  // namespace

// Issue 13, finding 8: a resumed session carried no certificate, so a certificate client lost
// its identity (anonymous = no: method 0xFF). Where client-ca is set nothing resumes, so the
// second connection is a full handshake with the same identity; without client-ca the same
// client resumes (the control: the probe sees resumption when there is one).
TEST(engine_handshake, certificate_sessions_are_never_resumed) {
  settings c = verifying_client_settings();
  c.cert_file = data_file("client.crt");
  c.key_file = data_file("client.key");
  for (int with_ca = 0; with_ca < 2; ++with_ca) {
    for (int v = 0; v < 2; ++v) {
      settings s = server_settings();
      if (with_ca) s.ca_file = data_file("ca.crt");
      c.max_version = v == 0 ? "" : "1.2";
      std::string error;
      std::shared_ptr<tlsmux::tls::context> sctx = tlsmux::tls::context::make_server(s, error);
      std::shared_ptr<tlsmux::tls::context> cctx = tlsmux::tls::context::make_client(c, error);
      CHECK_TEXT(sctx && cctx, error.c_str());
      const std::string what = std::string(with_ca ? "client-ca" : "no client-ca") + (v ? ", TLS 1.2" : ", TLS 1.3");
      const resume_try first = connect_once(sctx, cctx, std::shared_ptr<WOLFSSL_SESSION>());
      CHECK_TEXT(first.done && first.session, what.c_str());
      const resume_try again = connect_once(sctx, cctx, first.session);
      CHECK_TEXT(again.done, what.c_str());
      STRCMP_EQUAL_TEXT(first.identity.c_str(), again.identity.c_str(), what.c_str());
      if (with_ca) {
        STRCMP_EQUAL_TEXT("cert:alice", again.identity.c_str(), what.c_str());
        CHECK_FALSE_TEXT(again.resumed, what.c_str());
      } else {
        CHECK_TEXT(again.resumed, what.c_str());
      }
    }
  }
}

// A reload makes a new context. No session of the old one resumes on it, whether the old
// one asked for certificates or not: an identity is always verified by the current client-ca.
TEST(engine_handshake, sessions_do_not_cross_a_reload) {
  settings cert_client = verifying_client_settings();
  cert_client.cert_file = data_file("client.crt");
  cert_client.key_file = data_file("client.key");
  settings with_ca = server_settings();
  with_ca.ca_file = data_file("ca.crt");
  std::string error;
  for (int old_has_ca = 0; old_has_ca < 2; ++old_has_ca) {
    for (int v = 0; v < 2; ++v) {
      settings c = old_has_ca ? cert_client : verifying_client_settings();
      c.max_version = v == 0 ? "" : "1.2";
      std::shared_ptr<tlsmux::tls::context> before =
          tlsmux::tls::context::make_server(old_has_ca ? with_ca : server_settings(), error);
      std::shared_ptr<tlsmux::tls::context> after = tlsmux::tls::context::make_server(with_ca, error);
      std::shared_ptr<tlsmux::tls::context> cctx = tlsmux::tls::context::make_client(c, error);
      CHECK_TEXT(before && after && cctx, error.c_str());
      const resume_try first = connect_once(before, cctx, std::shared_ptr<WOLFSSL_SESSION>());
      CHECK(first.done && first.session);
      const resume_try again = connect_once(after, cctx, first.session);
      CHECK(again.done);
      CHECK_FALSE(again.resumed);
      STRCMP_EQUAL(first.identity.c_str(), again.identity.c_str());
    }
  }
}
