// SPDX-License-Identifier: GPL-2.0-or-later
// The sans-I/O TLS engine: wolfSSL reads from and writes to memory buffers only.
#include "tls/engine.hpp"

#include "tls/identity.hpp"
#include "tls/suite_order.hpp"

#include <cstring>

#include <wolfssl/options.h>
#include <wolfssl/ssl.h>
#include <wolfssl/error-ssl.h>
#include <wolfssl/wolfcrypt/error-crypt.h>
#include <wolfssl/wolfio.h>

#include <algorithm>
#include <climits>

namespace tlsmux {
namespace tls {

namespace {

// The largest plaintext per TLS record (RFC 8446 5.1); wolfSSL_write is fed in such chunks.
const std::size_t max_record = 16384;

// Drops the consumed front of a buffer once it is more than half of it, so appends stay
// amortised O(1) and the buffer does not grow without bound on a long connection.
void compact(std::vector<std::uint8_t>& buf, std::size_t& pos) {
  if (pos == buf.size()) {
    buf.clear();
    pos = 0;
  } else if (pos > buf.size() / 2) {
    buf.erase(buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(pos));
    pos = 0;
  }
}

#if defined(HAVE_SNI)
// RFC 6066 3: SNI carries host names only, never address literals.
bool is_ip_literal(const std::string& host) {
  if (host.find(':') != std::string::npos) return true;  // IPv6
  if (host.empty()) return false;
  for (std::size_t i = 0; i < host.size(); ++i) {
    const char c = host[i];
    if (c != '.' && (c < '0' || c > '9')) return false;
  }
  return true;
}
#endif

// The alert a refused handshake deserves (RFC 8446 6.2) for the wolfSSL errors that some
// versions return without sending one: a bad key share, an oversized or truncated message.
int alert_for(int code) {
  switch (code) {
    case ECC_PEERKEY_ERROR:
    case ECC_OUT_OF_RANGE_E:
    case BAD_KEY_SHARE_DATA:
    case PEER_KEY_ERROR:
    case HANDSHAKE_SIZE_ERROR:
      return 47;  // illegal_parameter (OpenSSL's choice for an excessive message size too)
    case BUFFER_ERROR:
    case PARSE_ERROR:
    case INCOMPLETE_DATA:
      return 50;  // decode_error
    case OUT_OF_ORDER_E:
    case SANITY_MSG_E:
    case DUPLICATE_MSG_E:
      return 10;  // unexpected_message
    case EXT_MISSING:
      return 109;  // missing_extension
    default:
      return 40;  // handshake_failure
  }
}

}  // namespace

engine::engine(std::shared_ptr<context> ctx) : ctx_(ctx), ssl_(nullptr) {
  if (ctx_ != nullptr) ssl_ = wolfSSL_new(ctx_->native());
  if (ssl_ == nullptr) {
    failed_ = true;
    error_ = "wolfSSL_new failed";
    return;
  }
  wolfSSL_SetIOReadCtx(ssl_, this);
  wolfSSL_SetIOWriteCtx(ssl_, this);
  wolfSSL_SetCertCbCtx(ssl_, this);  // verify_cb finds the engine through it
}

int engine::verify_cb(int preverify, WOLFSSL_X509_STORE_CTX* store) {
  if (preverify || store == nullptr) return preverify;
#if defined(OPENSSL_COMPATIBLE_DEFAULTS)
  const bool missing = store->error == X509_V_ERR_UNABLE_TO_GET_CRL;
  const bool revoked = store->error == X509_V_ERR_CERT_REVOKED;
#else
  const bool missing = store->error == CRL_MISSING;
  const bool revoked = store->error == CRL_CERT_REVOKED;
#endif
  if (missing) return 1;
  if (revoked && store->userCtx != nullptr) {
    engine* self = static_cast<engine*>(store->userCtx);
    const int i = store->error_depth;
    if (store->certs != nullptr && i >= 0 && i < store->totalCerts)
      self->revoked_ = certificate_label(store->certs[i].buffer, store->certs[i].length);
    else
      self->revoked_ = "?";
  }
  return 0;
}

engine::~engine() {
  if (ssl_ != nullptr) wolfSSL_free(ssl_);
}

void engine::install_io(WOLFSSL_CTX* ctx) {
  wolfSSL_CTX_SetIORecv(ctx, &engine::recv_cb);
  wolfSSL_CTX_SetIOSend(ctx, &engine::send_cb);
}

int engine::recv_cb(WOLFSSL*, char* buf, int sz, void* ctx) {
  engine* self = static_cast<engine*>(ctx);
  const std::size_t avail = self->in_.size();
  if (avail == 0) return WOLFSSL_CBIO_ERR_WANT_READ;
  if (sz <= 0) return 0;
  const std::size_t n = std::min(avail, static_cast<std::size_t>(sz));
  // memcpy, not std::copy: between uint8_t and char the latter became a byte loop (27 % of
  // the relay's instructions under callgrind).
  std::memcpy(buf, self->in_.data(), n);
  if (self->first_in_ < 0) self->first_in_ = static_cast<unsigned char>(buf[0]);
  self->in_.consume(n);
  if (!self->established_) self->remember_input(buf, n);
  return static_cast<int>(n);
}

void engine::remember_input(const char* p, std::size_t n) {
  const std::size_t cap = sizeof seen_;
  if (n >= cap) {
    std::memcpy(seen_, p + n - cap, cap);
    seen_n_ = cap;
    return;
  }
  const std::size_t keep = std::min(seen_n_, cap - n);
  std::memmove(seen_, seen_ + seen_n_ - keep, keep);
  std::memcpy(seen_ + keep, p, n);
  seen_n_ = keep + n;
}

// A plaintext alert record whose start wolfSSL took: 5 to 7 bytes of it, the rest queued in
// in_ or not yet received (then level and description are -1).
bool engine::plain_alert(int& level, int& description) const {
  const std::size_t whole = alert_record_size;
  for (std::size_t k = whole; k >= alert_record_header; --k) {
    if (k > seen_n_) continue;
    std::uint8_t record[alert_record_size];
    std::memcpy(record, seen_ + seen_n_ - k, k);
    const std::size_t more = std::min(whole - k, in_.size());
    if (more > 0) std::memcpy(record + k, in_.data(), more);
    if (parse_plain_alert(record, k + more, level, description)) return true;
  }
  return false;
}

int engine::send_cb(WOLFSSL*, char* buf, int sz, void* ctx) {
  // Unbounded on purpose: callers flush output() after every engine call, so the buffer
  // holds at most what one call produced (one write() of plaintext plus record overhead).
  engine* self = static_cast<engine*>(ctx);
  if (sz <= 0) return 0;
  const std::uint8_t* bytes = reinterpret_cast<const std::uint8_t*>(buf);
  if (!self->established_) self->sent_.feed(bytes, static_cast<std::size_t>(sz));
  self->out_.insert(self->out_.end(), bytes, bytes + sz);  // same type: one memmove
  return sz;
}

void engine::set_server_name(const std::string& host, bool check_name) {
  if (ssl_ == nullptr || host.empty()) return;
#if defined(HAVE_SNI)
  if (!is_ip_literal(host) && host.size() <= 255) {
    wolfSSL_UseSNI(ssl_, WOLFSSL_SNI_HOST_NAME, host.data(),
                   static_cast<unsigned short>(host.size()));
  }
#endif
  if (check_name) wolfSSL_check_domain_name(ssl_, host.c_str());
}

void engine::feed(const std::uint8_t* p, std::size_t n) { in_.append(p, n); }

const std::uint8_t* engine::output() const { return out_.data() + out_pos_; }

std::size_t engine::output_size() const { return out_.size() - out_pos_; }

void engine::consume_output(std::size_t n) {
  out_pos_ += std::min(n, output_size());
  compact(out_, out_pos_);
}

void engine::take_output(std::vector<std::uint8_t>& dst) {
  if (out_pos_ == 0) {
    dst.swap(out_);
    out_.clear();
  } else {
    dst.assign(out_.begin() + static_cast<std::ptrdiff_t>(out_pos_), out_.end());
    out_.clear();
    out_pos_ = 0;
  }
}

bool engine::has_buffered_input() const { return !in_.empty() || pending() > 0; }

void engine::release_idle_buffers() {
  in_.release();
  if (out_pos_ == out_.size()) {
    std::vector<std::uint8_t>().swap(out_);
    out_pos_ = 0;
  }
}

// The peer's alert is the reason an admin needs ("48 unknown_ca": the client does not trust
// our certificate), so it joins wolfSSL's code. A peer refusing a TLS 1.3 handshake before
// it has keys (OpenSSL does) sends the alert in plaintext: wolfSSL reports -306.
status engine::fail(int ret) {
  failed_ = true;
  const int code = wolfSSL_get_error(ssl_, ret);
  error_ = error_text(code);
  error_code_ = code;
  alert_if_silent(code);
  int level = 0;
  int description = -1;
  WOLFSSL_ALERT_HISTORY history;
  std::memset(&history, 0, sizeof history);
  if (wolfSSL_get_alert_history(ssl_, &history) == WOLFSSL_SUCCESS && history.last_rx.level == 2 &&
      history.last_rx.code >= 0) {
    peer_alert_ = history.last_rx.code;
    error_ += ": " + alert_text(history.last_rx.code);
  } else if (!established_ && plain_alert(level, description) && level != 1) {
    peer_alert_ = description;
    error_ += ": peer sent plaintext alert";
    if (description >= 0) error_ += " " + alert_text(description);
  }
  return status::error;
}

// RFC 8446 6: a refused handshake ends with a fatal alert. wolfSSL 5.5/5.7 give up on some
// errors without one (tests/abuse/tls_conformance.py); a server then sends it here, in
// plaintext, as long as nothing has gone out under keys and the peer speaks TLS at all.
void engine::alert_if_silent(int code) {
  if (!ctx_->is_server() || established_ || first_in_ != 22) return;
  WOLFSSL_ALERT_HISTORY history;
  std::memset(&history, 0, sizeof history);
  if (wolfSSL_get_alert_history(ssl_, &history) == WOLFSSL_SUCCESS && history.last_tx.level == 2)
    return;
  if (!sent_.plaintext_allowed(wolfSSL_version(ssl_) == TLS1_3_VERSION)) return;
  const std::vector<std::uint8_t> alert = plain_fatal_alert(alert_for(code));
  out_.insert(out_.end(), alert.begin(), alert.end());
}

// Server, auto preference on a CPU with AES acceleration: a client that lists ChaCha20
// first (it has no AES instructions, as OpenSSL's PrioritizeChaCha assumes) gets it. The
// suites are read from the ClientHello before wolfSSL takes it, as no callback of wolfSSL
// 5.5 without OPENSSL_EXTRA runs between its parsing and the suite match. False while the
// suite list has not arrived yet.
bool engine::order_suites() {
  std::vector<std::uint16_t> suites;
  const hello_scan scan = scan_client_hello(in_.data(), in_.size(), suites);
  if (scan == hello_scan::need_more) return false;
  suites_ordered_ = true;
  if (scan == hello_scan::found &&
      preferred_aead(aead_setting::automatic, true, suites) == aead::chacha20)
    (void)wolfSSL_set_cipher_list(ssl_, ctx_->chacha_first_ciphers());  // else: the context's order
  return true;
}

status engine::handshake() {
  if (failed_) return status::error;
  if (established_) return status::ok;
  if (!suites_ordered_ && ctx_->follows_client_order() && !order_suites()) return status::want_input;
  const int ret = ctx_->is_server() ? wolfSSL_accept(ssl_) : wolfSSL_connect(ssl_);
  if (ret == WOLFSSL_SUCCESS) {
    established_ = true;
    return status::ok;
  }
  if (wolfSSL_get_error(ssl_, ret) == WOLFSSL_ERROR_WANT_READ) return status::want_input;
  return fail(ret);
}

status engine::read(std::uint8_t* buf, std::size_t cap, std::size_t& got) {
  got = 0;
  if (!established_) {
    const status s = handshake();
    if (s != status::ok) return s;
  }
  if (failed_) return status::error;
  if (peer_closed_) return status::closed;
  if (cap == 0) return status::ok;
  const int want = static_cast<int>(std::min(cap, static_cast<std::size_t>(INT_MAX)));
  const int ret = wolfSSL_read(ssl_, buf, want);
  if (ret > 0) {
    got = static_cast<std::size_t>(ret);
    return status::ok;
  }
  const int err = wolfSSL_get_error(ssl_, ret);
  if (err == WOLFSSL_ERROR_WANT_READ) return status::want_input;
  if (err == WOLFSSL_ERROR_ZERO_RETURN) {
    peer_closed_ = true;
    return status::closed;
  }
  return fail(ret);
}

std::size_t engine::pending() const {
  if (ssl_ == nullptr) return 0;
  const int n = wolfSSL_pending(ssl_);
  return n > 0 ? static_cast<std::size_t>(n) : 0;
}

status engine::write(const std::uint8_t* p, std::size_t n) {
  if (failed_) return status::error;
  if (!established_ || closed_) {
    failed_ = true;
    error_ = closed_ ? "write after close_notify" : "write before the handshake completed";
    return status::error;
  }
  std::size_t off = 0;
  while (off < n) {
    const int chunk = static_cast<int>(std::min(n - off, max_record));
    const int ret = wolfSSL_write(ssl_, p + off, chunk);
    if (ret <= 0) return fail(ret);
    off += static_cast<std::size_t>(ret);
  }
  return status::ok;
}

void engine::close() {
  if (closed_ || ssl_ == nullptr) return;
  closed_ = true;
  // Only an established session has a close_notify to send; before that the caller just
  // drops the connection. One call: it queues the alert and does not wait for the peer's.
  if (established_ && !failed_) wolfSSL_shutdown(ssl_);
}

std::string engine::version() const {
  if (ssl_ == nullptr || !established_) return "";
  const char* v = wolfSSL_get_version(ssl_);
  return v != nullptr ? v : "";
}

std::string engine::cipher() const {
  if (ssl_ == nullptr || !established_) return "";
  // The IANA name ("TLS_AES_128_GCM_SHA256") is what curl, OpenSSL 3 and logs elsewhere use.
  const int suite = wolfSSL_get_current_cipher_suite(ssl_);
  if (suite >= 0) {
    const char* iana = wolfSSL_get_cipher_name_iana_from_suite(
        static_cast<unsigned char>((suite >> 8) & 0xff), static_cast<unsigned char>(suite & 0xff));
    if (iana != nullptr && *iana != '\0' && std::string(iana) != "None") return iana;
  }
  const char* name = wolfSSL_get_cipher_name(ssl_);
  return name != nullptr ? name : "";
}

std::string engine::group() const {
  if (ssl_ == nullptr || !established_) return "";
  const char* g = wolfSSL_get_curve_name(ssl_);
  return g != nullptr ? g : "";
}

bool engine::resumed() const { return ssl_ != nullptr && wolfSSL_session_reused(ssl_) == 1; }

std::shared_ptr<WOLFSSL_SESSION> engine::session() const {
  if (ssl_ == nullptr || !established_) return std::shared_ptr<WOLFSSL_SESSION>();
  // get1 takes a reference on wolfSSL's heap session, so it outlives this engine.
  WOLFSSL_SESSION* s = wolfSSL_get1_session(ssl_);
  if (s == nullptr) return std::shared_ptr<WOLFSSL_SESSION>();
  return std::shared_ptr<WOLFSSL_SESSION>(s, &wolfSSL_SESSION_free);
}

bool engine::set_session(const std::shared_ptr<WOLFSSL_SESSION>& s) {
  if (ssl_ == nullptr || !s || established_) return false;
  return wolfSSL_set_session(ssl_, s.get()) == WOLFSSL_SUCCESS;
}

std::vector<std::uint8_t> engine::peer_certificate() const {
  std::vector<std::uint8_t> der;
  if (ssl_ == nullptr) return der;
  // Since wolfSSL 5.0 this returns a copy that the caller frees (OpenSSL semantics).
  WOLFSSL_X509* x = wolfSSL_get_peer_certificate(ssl_);
  if (x == nullptr) return der;
  int sz = 0;
  const unsigned char* p = wolfSSL_X509_get_der(x, &sz);
  if (p != nullptr && sz > 0) der.assign(p, p + sz);
  wolfSSL_X509_free(x);
  return der;
}

}  // namespace tls
}  // namespace tlsmux
