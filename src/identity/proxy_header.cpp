// SPDX-License-Identifier: GPL-2.0-or-later
// PROXY protocol v1 and v2 encoders.
#include "identity/proxy_header.hpp"

#include "text/ip_text.hpp"

namespace tlsmux {
namespace identity {

namespace {

const std::uint8_t v2_signature[12] = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D,
                                       0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
const std::uint8_t cmd_local = 0x20, cmd_proxy = 0x21;
const std::uint8_t fam_unspec = 0x00, fam_tcp4 = 0x11, fam_tcp6 = 0x21;
const std::uint8_t pp2_type_authority = 0x02, pp2_type_ssl = 0x20;
const std::uint8_t pp2_subtype_ssl_version = 0x21, pp2_subtype_ssl_cn = 0x22,
                   pp2_subtype_ssl_cipher = 0x23;
const std::uint8_t pp2_client_ssl = 0x01, pp2_client_cert_conn = 0x02;
const std::size_t max_tlv_value = 255;  // ours are short; longer values are cut

// IPv4-mapped IPv6 becomes IPv4; both of one family, or both IPv6.
void same_family(asio::ip::address& a, asio::ip::address& b) {
  if (a.is_v6() && a.to_v6().is_v4_mapped()) a = asio::ip::make_address_v4(asio::ip::v4_mapped, a.to_v6());
  if (b.is_v6() && b.to_v6().is_v4_mapped()) b = asio::ip::make_address_v4(asio::ip::v4_mapped, b.to_v6());
  if (a.is_v4() && b.is_v6()) a = asio::ip::make_address_v6(asio::ip::v4_mapped, a.to_v4());
  if (b.is_v4() && a.is_v6()) b = asio::ip::make_address_v6(asio::ip::v4_mapped, b.to_v4());
}

void put16(std::vector<std::uint8_t>& out, std::size_t v) {
  out.push_back(static_cast<std::uint8_t>((v >> 8) & 0xff));
  out.push_back(static_cast<std::uint8_t>(v & 0xff));
}

void put_address(std::vector<std::uint8_t>& out, const asio::ip::address& a) {
  if (a.is_v4()) {
    asio::ip::address_v4::bytes_type b = a.to_v4().to_bytes();
    out.insert(out.end(), b.begin(), b.end());
  } else {
    asio::ip::address_v6::bytes_type b = a.to_v6().to_bytes();
    out.insert(out.end(), b.begin(), b.end());
  }
}

void put_tlv(std::vector<std::uint8_t>& out, std::uint8_t type, const std::string& value) {
  if (value.empty()) return;
  std::size_t n = value.size() < max_tlv_value ? value.size() : max_tlv_value;
  out.push_back(type);
  put16(out, n);
  out.insert(out.end(), value.begin(), value.begin() + n);
}

void put_ssl_tlv(std::vector<std::uint8_t>& out, const proxy_facts& f) {
  std::vector<std::uint8_t> value;
  value.push_back(static_cast<std::uint8_t>(pp2_client_ssl | (f.client_cert ? pp2_client_cert_conn : 0)));
  for (int i = 0; i < 4; ++i) value.push_back(0);  // verify: 0 = verified (or no certificate)
  put_tlv(value, pp2_subtype_ssl_version, f.tls_version);
  if (f.client_cert) put_tlv(value, pp2_subtype_ssl_cn, f.tls_cn);
  put_tlv(value, pp2_subtype_ssl_cipher, f.tls_cipher);
  out.push_back(pp2_type_ssl);
  put16(out, value.size());
  out.insert(out.end(), value.begin(), value.end());
}

}  // namespace

bool parse_proxy_version(const std::string& text, proxy_version& out) {
  if (text == "none" || text == "no") out = proxy_version::none;
  else if (text == "v1") out = proxy_version::v1;
  else if (text == "v2") out = proxy_version::v2;
  else return false;
  return true;
}

const char* proxy_version_name(proxy_version v) {
  return v == proxy_version::v1 ? "v1" : v == proxy_version::v2 ? "v2" : "none";
}

std::vector<std::uint8_t> encode_proxy_v1(const proxy_facts& f) {
  std::string line = "PROXY UNKNOWN\r\n";
  if (f.known) {
    asio::ip::address src = f.source.address(), dst = f.destination.address();
    same_family(src, dst);
    line = std::string("PROXY ") + (src.is_v4() ? "TCP4 " : "TCP6 ") + text::ip_text(src) + " " +
           text::ip_text(dst) + " " + std::to_string(f.source.port()) + " " +
           std::to_string(f.destination.port()) + "\r\n";
  }
  return std::vector<std::uint8_t>(line.begin(), line.end());
}

std::vector<std::uint8_t> encode_proxy_v2(const proxy_facts& f) {
  std::vector<std::uint8_t> out(v2_signature, v2_signature + sizeof v2_signature);
  if (!f.known) {
    out.push_back(cmd_local);
    out.push_back(fam_unspec);
    put16(out, 0);
    return out;
  }
  asio::ip::address src = f.source.address(), dst = f.destination.address();
  same_family(src, dst);
  std::vector<std::uint8_t> body;
  put_address(body, src);
  put_address(body, dst);
  put16(body, f.source.port());
  put16(body, f.destination.port());
  put_tlv(body, pp2_type_authority, f.authority);
  if (f.tls) put_ssl_tlv(body, f);
  out.push_back(cmd_proxy);
  out.push_back(src.is_v4() ? fam_tcp4 : fam_tcp6);
  put16(out, body.size());
  out.insert(out.end(), body.begin(), body.end());
  return out;
}

std::vector<std::uint8_t> encode_proxy(proxy_version v, const proxy_facts& f) {
  if (v == proxy_version::v1) return encode_proxy_v1(f);
  if (v == proxy_version::v2) return encode_proxy_v2(f);
  return std::vector<std::uint8_t>();
}

}  // namespace identity
}  // namespace tlsmux
