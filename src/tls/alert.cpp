// SPDX-License-Identifier: GPL-2.0-or-later
// TLS alert names, and the reading of a plaintext alert record a peer sent before keys.
#include "tls/alert.hpp"

#include <cstdio>

namespace tlsmux {
namespace tls {

namespace {

struct named {
  int code;
  const char* name;
};

// RFC 8446 6.2 and RFC 5246 7.2 (the TLS 1.2 ones TLS 1.3 dropped are still sent by 1.2 peers).
const named names[] = {
    {0, "close_notify"},          {10, "unexpected_message"},
    {20, "bad_record_mac"},       {21, "decryption_failed"},
    {22, "record_overflow"},      {40, "handshake_failure"},
    {42, "bad_certificate"},      {43, "unsupported_certificate"},
    {44, "certificate_revoked"},  {45, "certificate_expired"},
    {46, "certificate_unknown"},  {47, "illegal_parameter"},
    {48, "unknown_ca"},           {49, "access_denied"},
    {50, "decode_error"},         {51, "decrypt_error"},
    {70, "protocol_version"},     {71, "insufficient_security"},
    {80, "internal_error"},       {86, "inappropriate_fallback"},
    {90, "user_canceled"},        {100, "no_renegotiation"},
    {109, "missing_extension"},   {110, "unsupported_extension"},
    {112, "unrecognized_name"},   {113, "bad_certificate_status_response"},
    {115, "unknown_psk_identity"}, {116, "certificate_required"},
    {120, "no_application_protocol"},
};

const std::uint8_t alert_type = 21;

}  // namespace

std::string alert_text(int description) {
  char code[16];
  std::snprintf(code, sizeof code, "%d", description);
  for (std::size_t i = 0; i < sizeof names / sizeof names[0]; ++i)
    if (names[i].code == description) return std::string(code) + " " + names[i].name;
  return code;
}

std::string plain_alert_record(int description) {
  // Content type 21 (alert), version 3.3 (TLS 1.2 record layer, as TLS 1.3 sends too),
  // length 2, level 2 (fatal), description.
  const char record[alert_record_size] = {21, 3, 3, 0, 2, 2, static_cast<char>(description)};
  return std::string(record, sizeof record);
}

bool parse_plain_alert(const std::uint8_t* p, std::size_t n, int& level, int& description) {
  if (n < alert_record_header) return false;
  if (p[0] != alert_type || p[1] != 3 || p[2] > 4 || p[3] != 0 || p[4] != 2) return false;
  level = -1;
  description = -1;
  if (n < alert_record_size) return true;
  if (p[5] != 1 && p[5] != 2) return false;
  level = p[5];
  description = p[6];
  return true;
}

std::vector<std::uint8_t> plain_fatal_alert(int description) {
  const std::uint8_t record[alert_record_size] = {alert_type, 3, 3, 0, 2, 2,
                                                  static_cast<std::uint8_t>(description)};
  return std::vector<std::uint8_t>(record, record + alert_record_size);
}

void record_watch::feed(const std::uint8_t* p, std::size_t n) {
  while (n > 0) {
    if (body_left_ > 0) {
      const std::size_t k = n < body_left_ ? n : body_left_;
      body_left_ -= k;
      p += k;
      n -= k;
      continue;
    }
    head_[head_n_++] = *p++;
    --n;
    if (head_n_ < alert_record_header) continue;
    if (head_[0] >= 20 && head_[0] <= 23) types_ |= 1u << (head_[0] - 20);
    body_left_ = static_cast<std::size_t>(head_[3]) << 8 | head_[4];
    head_n_ = 0;
  }
}

bool record_watch::sent(std::uint8_t content_type) const {
  return content_type >= 20 && content_type <= 23 && (types_ & (1u << (content_type - 20))) != 0;
}

bool record_watch::plaintext_allowed(bool tls13) const {
  return !sent(23) && (tls13 || !sent(20));
}

}  // namespace tls
}  // namespace tlsmux
