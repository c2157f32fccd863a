// SPDX-License-Identifier: GPL-2.0-or-later
// The PROXY protocol header (HAProxy's proxy-protocol.txt, versions 1 and 2) that tlsmux
// writes to a local service before relaying, so that the service learns the TLS client's
// address. Pure encoders.
#ifndef TLSMUX_IDENTITY_PROXY_HEADER_HPP
#define TLSMUX_IDENTITY_PROXY_HEADER_HPP

#include <asio/ip/tcp.hpp>
#include <cstdint>
#include <string>
#include <vector>

namespace tlsmux {
namespace identity {

/// proxy-protocol = none | v1 | v2.
enum class proxy_version { none, v1, v2 };

/// Parses "none", "v1" or "v2".
bool parse_proxy_version(const std::string& text, proxy_version& out);
/// The configuration spelling.
const char* proxy_version_name(proxy_version v);

/// What the header says about one relayed connection.
struct proxy_facts {
  bool known = true;                    ///< false: v1 "UNKNOWN", v2 LOCAL (no addresses)
  asio::ip::tcp::endpoint source;       ///< the TLS client
  asio::ip::tcp::endpoint destination;  ///< the local service
  // v2 TLVs (empty strings are left out)
  std::string authority;    ///< PP2_TYPE_AUTHORITY: the name the client asked for
  bool tls = false;         ///< PP2_TYPE_SSL with PP2_CLIENT_SSL
  bool client_cert = false; ///< PP2_CLIENT_CERT_CONN, verify = 0 (the handshake verified it)
  std::string tls_version;  ///< PP2_SUBTYPE_SSL_VERSION, e.g. "TLSv1.3"
  std::string tls_cn;       ///< PP2_SUBTYPE_SSL_CN: the client certificate's CN
  std::string tls_cipher;   ///< PP2_SUBTYPE_SSL_CIPHER
};

/// Version 1: "PROXY TCP4 SRC DST SPORT DPORT\r\n" (at most 107 bytes). Addresses of mixed
/// families are both sent as IPv6 (IPv4-mapped); known = false gives "PROXY UNKNOWN\r\n".
std::vector<std::uint8_t> encode_proxy_v1(const proxy_facts& f);

/// Version 2: the 16-byte binary header, the address block (TCP over IPv4 or IPv6, mixed
/// families as IPv6) and the TLVs; known = false gives the LOCAL command with no addresses.
std::vector<std::uint8_t> encode_proxy_v2(const proxy_facts& f);

/// The header of version v (empty for none).
std::vector<std::uint8_t> encode_proxy(proxy_version v, const proxy_facts& f);

}  // namespace identity
}  // namespace tlsmux

#endif
