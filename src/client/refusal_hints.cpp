// SPDX-License-Identifier: GPL-2.0-or-later
// refusal_hint: the client's advice next to a server refusal.
#include "client/refusal_hints.hpp"

#include "text/ip_text.hpp"
#include "text/ascii.hpp"

#include <cctype>

namespace tlsmux {
namespace client {

namespace {

bool loopback_text(const std::string& host) {
  std::string h = text::ascii_lower(host);
  if (h == "localhost" || h == "localhost.") return true;
  asio::ip::address a;
  return text::parse_ip(h, a) && a.is_loopback();
}

// Under same-address the server connects to the address the client reached it on: the
// request lands where it was meant only when that address is the one asked for.
bool reached_as_asked(const socks5::address& target, const std::string& server_host) {
  const std::string s = text::ascii_lower(server_host);
  const bool default_loopback = s == "localhost" || s == "localhost." || s == "127.0.0.1" || s == "::1";
  if (target.type == socks5::atyp::domain) return default_loopback;
  asio::ip::address a;
  if (text::parse_ip(s, a)) return a == target.ip;
  return default_loopback && (target.ip == asio::ip::address_v4::loopback() ||
                              target.ip == asio::ip::address_v6::loopback());
}

}  // namespace

bool names_loopback(const socks5::address& a) {
  if (a.type == socks5::atyp::domain) return loopback_text(a.name);
  return a.ip.is_loopback();
}

std::string refusal_hint(const refusal_facts& f) {
  if (f.reply == 0x02 && f.anonymous)
    return "; if the service needs a login, give --user NAME or --cert FILE --key FILE "
           "(the server answers anonymous clients the same for both)";
  if (f.reply == 0x05 && names_loopback(f.target) && !reached_as_asked(f.target, f.server_host))
    return "; under the server's default expose = same-address, " +
           std::string(f.target.type == socks5::atyp::domain ? "localhost" : "a loopback address") +
           " means the address you reached it on (" + f.server_host +
           "), so a service that listens on loopback only is not reached: the server's admin adds a "
           "[service NAME] entry for it (then ask for NAME) or sets expose = local";
  return std::string();
}

}  // namespace client
}  // namespace tlsmux
