// SPDX-License-Identifier: GPL-2.0-or-later
// A sans-I/O TLS engine over one WOLFSSL object. Ciphertext goes in with feed() and comes
// out with output(); wolfSSL's I/O callbacks only touch these memory buffers, so the
// engine never blocks and is testable without sockets (tests/unit/tls).
#ifndef TLSMUX_TLS_ENGINE_HPP
#define TLSMUX_TLS_ENGINE_HPP

#include "tls/alert.hpp"
#include "tls/byte_queue.hpp"
#include "tls/context.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

struct WOLFSSL;
struct WOLFSSL_SESSION;
struct WOLFSSL_X509_STORE_CTX;

namespace tlsmux {
namespace tls {

/// Result of an engine step.
enum class status {
  ok,          ///< progress was made (handshake done / bytes read / bytes written)
  want_input,  ///< needs more ciphertext: feed() then call again
  closed,      ///< the peer sent close_notify: no more plaintext will come
  error        ///< fatal: see error_string(); flush output() (it may hold an alert), close
};

/// One TLS connection's state machine.
class engine {
 public:
  /// The context must outlive nothing: the engine keeps a reference (shared_ptr).
  explicit engine(std::shared_ptr<context> ctx);
  ~engine();

  /// Client only: SNI and the name checked against the server certificate (with verify).
  void set_server_name(const std::string& host, bool check_name);

  /// Appends ciphertext received from the peer.
  void feed(const std::uint8_t* p, std::size_t n);
  /// Room for n bytes of ciphertext for a socket read to fill in place; then call
  /// input_received() with what arrived. Reads, writes and handshakes may run meanwhile
  /// (they only take from the front); feed() and release_idle_buffers() must not.
  std::uint8_t* input_space(std::size_t n) { return in_.space(n); }
  void input_received(std::size_t n) { in_.commit(n); }
  /// Ciphertext waiting to be sent, and its size. Valid until the next engine call.
  const std::uint8_t* output() const;
  std::size_t output_size() const;
  /// Drops the first n bytes of output() after they were sent.
  void consume_output(std::size_t n);
  /// Moves all pending output into dst without copying when possible (buffers are swapped);
  /// what dst held before is discarded. Lets a socket write from dst while the engine goes on.
  void take_output(std::vector<std::uint8_t>& dst);
  /// True when received ciphertext or decrypted plaintext is waiting inside the engine.
  bool has_buffered_input() const;
  /// Frees the capacity of empty buffers: an idle session keeps only wolfSSL's own state.
  void release_idle_buffers();

  /// Drives the handshake: ok when done (idempotent afterwards), want_input, or error.
  status handshake();
  /// True once the handshake completed.
  bool established() const { return established_; }

  /// Reads decrypted bytes into buf; ok with got > 0, want_input, closed or error.
  /// Also drains wolfSSL's buffered records: call until it stops returning ok.
  status read(std::uint8_t* buf, std::size_t cap, std::size_t& got);
  /// Bytes of plaintext already decrypted and buffered inside wolfSSL.
  std::size_t pending() const;
  /// Encrypts all n bytes into output() (in records of at most 16 KiB). ok or error.
  status write(const std::uint8_t* p, std::size_t n);
  /// Queues close_notify in output(). Reading may continue afterwards (half-close).
  void close();
  /// True once close_notify was received.
  bool peer_closed() const { return peer_closed_; }
  /// True after a fatal error: every later call returns error.
  bool failed() const { return failed_; }

  /// "TLSv1.3" etc. once established.
  std::string version() const;
  /// "TLS_AES_128_GCM_SHA256" etc. once established (IANA-style name where available).
  std::string cipher() const;
  /// The key-exchange group ("X25519", "SECP256R1", "FFDHE_2048"), "" when unknown.
  std::string group() const;
  /// Whether the session was resumed.
  bool resumed() const;
  /// Client: the TLS session to resume later (a TLS 1.3 ticket arrives after the handshake,
  /// so take it after the first read); null when there is none.
  std::shared_ptr<WOLFSSL_SESSION> session() const;
  /// Client: offers a saved session for resumption; call before the handshake.
  bool set_session(const std::shared_ptr<WOLFSSL_SESSION>& s);
  /// The peer's leaf certificate in DER, empty when none was sent.
  std::vector<std::uint8_t> peer_certificate() const;
  /// The last error: wolfSSL's code and text, with the peer's alert when it sent one, e.g.
  /// "-313 received alert fatal error: 48 unknown_ca".
  const std::string& error_string() const { return error_; }
  /// wolfSSL's code of the last error (e.g. -341), 0 when none.
  int error_code() const { return error_code_; }
  /// The description of the fatal alert the peer sent before the last error, -1 when none.
  int peer_alert() const { return peer_alert_; }

  /// Server: the client certificate a CRL revoked during this handshake, as
  /// certificate_label() words it ("serial 1002, subject /CN=alice"); empty when none.
  const std::string& revoked_certificate() const { return revoked_; }

  /// Installs the engine's memory I/O callbacks on a context (done by context::make_*).
  static void install_io(WOLFSSL_CTX* ctx);
  /// The verify callback of a server context with a CRL: a certificate whose issuer has no
  /// CRL in the file is accepted (no revocation information), a revoked one is refused and
  /// recorded for revoked_certificate(); every other verdict stays wolfSSL's.
  static int verify_cb(int preverify, WOLFSSL_X509_STORE_CTX* store);

 private:
  engine(const engine&);
  engine& operator=(const engine&);
  status fail(int ret);
  bool order_suites();
  void alert_if_silent(int code);
  void remember_input(const char* p, std::size_t n);
  bool plain_alert(int& level, int& description) const;
  static int recv_cb(WOLFSSL* ssl, char* buf, int sz, void* ctx);
  static int send_cb(WOLFSSL* ssl, char* buf, int sz, void* ctx);

  std::shared_ptr<context> ctx_;
  WOLFSSL* ssl_;
  byte_queue in_;                  ///< ciphertext received, not yet taken by wolfSSL
  std::vector<std::uint8_t> out_;  ///< ciphertext to send, from out_pos_
  std::size_t out_pos_ = 0;
  bool established_ = false;
  bool peer_closed_ = false;
  bool closed_ = false;
  bool failed_ = false;  ///< a fatal error happened: every later call returns error
  std::string error_;
  std::string revoked_;
  int error_code_ = 0;
  int peer_alert_ = -1;
  /// The last bytes handed to wolfSSL before the handshake completed: a peer that gives up
  /// early sends a plaintext alert, which wolfSSL only reports as a parse error.
  std::uint8_t seen_[alert_record_size];
  std::size_t seen_n_ = 0;
  int first_in_ = -1;    ///< the first byte received (22: the peer speaks TLS records)
  bool suites_ordered_ = false;  ///< server: the ClientHello's suites were looked at
  record_watch sent_;    ///< what went out, for an alert of our own when wolfSSL sends none
};

}  // namespace tls
}  // namespace tlsmux

#endif
