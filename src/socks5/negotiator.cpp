// SPDX-License-Identifier: GPL-2.0-or-later
// The server's SOCKS5 negotiation state machine: greeting -> [RFC 1929 auth] -> request.
#include "socks5/negotiator.hpp"

#include <algorithm>
#include <utility>

namespace tlsmux {
namespace socks5 {

namespace {

bool offered(const std::vector<std::uint8_t>& methods, method m) {
  return std::find(methods.begin(), methods.end(), static_cast<std::uint8_t>(m)) !=
         methods.end();
}

void append(bytes& out, const bytes& b) { out.insert(out.end(), b.begin(), b.end()); }

// Overwrites a secret before its memory is released; volatile keeps the stores.
void wipe(std::string& s) {
  volatile char* v = s.empty() ? nullptr : &s[0];
  for (std::string::size_type i = 0; i < s.size(); ++i) v[i] = 0;
  s.clear();
}

}  // namespace

negotiator::negotiator(const method_policy& policy, password_check check)
    : policy_(policy), check_(std::move(check)) {}

negotiator::~negotiator() { wipe(pending_.password); }

negotiator::state negotiator::feed(const std::uint8_t* p, std::size_t n, std::size_t& used,
                                   bytes& out) {
  used = 0;
  // Parse as many complete messages as p holds; stop when one is incomplete or at the end.
  while (phase_ != phase::done) {
    std::size_t step = 0;
    state st = state::need_more;
    switch (phase_) {
      case phase::greeting: st = on_greeting(p + used, n - used, step, out); break;
      case phase::userpass: st = on_userpass(p + used, n - used, step, out); break;
      case phase::request: st = on_request(p + used, n - used, step, out); break;
      case phase::checking: return state::check_password;
      case phase::done: break;
    }
    used += step;
    if (st != state::need_more) return st;
    if (step == 0) return state::need_more;
  }
  return final_;
}

negotiator::state negotiator::on_greeting(const std::uint8_t* p, std::size_t n,
                                          std::size_t& used, bytes& out) {
  std::vector<std::uint8_t> methods;
  switch (parse_greeting(p, n, used, methods)) {
    case parse_status::need_more: used = 0; return state::need_more;
    // Not SOCKS5, or no methods at all: close without reflecting anything.
    case parse_status::bad: used = 0; return fail("malformed greeting");
    case parse_status::ok: break;
  }
  // Password first: a client that offers it may have credentials worth checking. Anonymous
  // (or certificate-authenticated) access is only granted when the client offered 0x00.
  if (policy_.password && offered(methods, method::user_pass)) {
    append(out, encode_method_choice(method::user_pass));
    phase_ = phase::userpass;
    return state::need_more;
  }
  if ((policy_.anonymous || policy_.certificate) && offered(methods, method::no_auth)) {
    append(out, encode_method_choice(method::no_auth));
    if (policy_.certificate) {
      auth_ = auth::certificate;
      identity_ = policy_.cert_identity;
    } else {
      auth_ = auth::anonymous;
      identity_ = "anonymous";
    }
    phase_ = phase::request;
    return state::need_more;
  }
  append(out, encode_method_choice(method::none_acceptable));
  return fail("no acceptable method");
}

negotiator::state negotiator::on_userpass(const std::uint8_t* p, std::size_t n,
                                          std::size_t& used, bytes& out) {
  credentials cred;
  switch (parse_userpass(p, n, used, cred)) {
    case parse_status::need_more: used = 0; return state::need_more;
    case parse_status::bad:
      used = 0;
      // A wrong sub-negotiation version (for example a request sent without authenticating)
      // is not RFC 1929 at all: close silently. An empty user name gets the failure status.
      if (p[0] != userpass_version) return fail("malformed authentication");
      append(out, encode_userpass_status(false));
      return fail("authentication failed: empty user name");
    case parse_status::ok: break;
  }
  if (!check_) {
    pending_ = cred;
    wipe(cred.password);
    phase_ = phase::checking;
    return state::check_password;
  }
  std::string id;
  const bool ok = check_(cred, id);
  wipe(cred.password);
  append(out, encode_userpass_status(ok));
  if (!ok) return fail("authentication failed for user " + cred.user);  // raw: the log line escapes it
  auth_ = auth::password;
  identity_ = id.empty() ? cred.user : id;
  phase_ = phase::request;
  return state::need_more;
}

negotiator::state negotiator::password_checked(std::uint8_t status, const std::string& identity,
                                              const std::string& note, bytes& out) {
  if (phase_ != phase::checking) return final_ == state::need_more ? state::need_more : final_;
  wipe(pending_.password);
  append(out, encode_userpass_status_byte(status));
  if (status != 0) return fail("authentication failed for user " + pending_.user + note);  // raw: see reason()
  auth_ = auth::password;
  identity_ = identity.empty() ? pending_.user : identity;
  phase_ = phase::request;
  return state::need_more;
}

negotiator::state negotiator::on_request(const std::uint8_t* p, std::size_t n,
                                         std::size_t& used, bytes& out) {
  request req;
  request_error err;
  switch (parse_request(p, n, used, req, err)) {
    case parse_status::need_more: used = 0; return state::need_more;
    case parse_status::bad:
      used = 0;
      if (err.send_reply) {
        append(out, encode_reply(err.code, address::from_ip(asio::ip::address_v4::any(), 0)));
        reply_sent_ = static_cast<int>(err.code);
      }
      return fail(err.reason);
    case parse_status::ok: break;
  }
  request_ = req;
  phase_ = phase::done;
  final_ = state::request_ready;
  return final_;
}

negotiator::state negotiator::fail(const std::string& why) {
  reason_ = why;
  auth_ = auth::none;
  phase_ = phase::done;
  final_ = state::failed;
  return final_;
}

}  // namespace socks5
}  // namespace tlsmux
