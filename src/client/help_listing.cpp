// SPDX-License-Identifier: GPL-2.0-or-later
// help_reader: "tlsmux-help 1", "service NAME AUTH", "listing off", "expose MODE",
// "next-pin PIN", "end". Unknown keywords are skipped (later servers may say more).
#include "client/help_listing.hpp"

#include "socks5/help.hpp"
#include "tls/pin.hpp"

#include <sstream>

namespace tlsmux {
namespace client {

bool help_reader::feed(const std::uint8_t* p, std::size_t n) {
  if (failed_) return false;
  total_ += n;
  if (total_ > socks5::help_max_size) {
    error_ = "the listing is larger than " + std::to_string(socks5::help_max_size) + " bytes";
    return !(failed_ = true);
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (p[i] != '\n') {
      partial_ += static_cast<char>(p[i]);
      continue;
    }
    if (!line(partial_)) return !(failed_ = true);
    partial_.clear();
  }
  return true;
}

bool help_reader::line(std::string text) {
  if (!text.empty() && text[text.size() - 1] == '\r') text.erase(text.size() - 1);
  std::istringstream in(text);
  std::vector<std::string> w;
  std::string word;
  while (in >> word) w.push_back(word);
  for (std::size_t i = 0; i < text.size(); ++i)
    if (static_cast<unsigned char>(text[i]) < 0x20 && text[i] != '\t') return bad("control character in the listing");
  if (ended_) return bad("text after the end of the listing");
  if (!magic_) {
    if (w.size() != 2 || w[0] != socks5::help_magic) return bad("not a tlsmux service listing");
    if (w[1] != "1") return bad("listing version " + w[1] + " is not supported");
    return magic_ = true;
  }
  if (w.empty()) return true;
  if (w[0] == "end" && w.size() == 1) return ended_ = true;
  if (w[0] == "listing" && w.size() == 2 && w[1] == "off") return listing_.off = true;
  if (w[0] == "expose" && w.size() == 2) {
    listing_.expose = w[1];
    return true;
  }
  if (w[0] == "service") {
    if (w.size() != 3 || (w[2] != "any" && w[2] != "password" && w[2] != "certificate"))
      return bad("malformed service line");
    help_service s;
    s.name = w[1];
    s.auth = w[2];
    listing_.services.push_back(s);
    return true;
  }
  if (w[0] == "next-pin") {
    if (w.size() != 2 || !tls::is_valid_pin(w[1])) return bad("malformed next-pin line");
    listing_.next_pins.push_back(w[1]);
  }
  return true;
}

bool help_reader::finish(help_listing& out) {
  if (failed_) return false;
  if (!ended_) {
    error_ = magic_ ? "the listing was cut short" : "the server sent no listing";
    return false;
  }
  out = listing_;
  return true;
}

std::string format_listing(const help_listing& l, const std::string& server) {
  if (l.off) return server + " does not list its services (service-list = no)\n";
  std::string out;
  if (l.services.empty()) out = "no named services for this client on " + server + "\n";
  else out = "SERVICE              LOGIN\n";
  for (std::size_t i = 0; i < l.services.size(); ++i) {
    std::string name = l.services[i].name;
    if (name.size() < 20) name.resize(20, ' ');
    const std::string& a = l.services[i].auth;
    out += name + " " + (a == "any" ? "none" : a == "password" ? "password (--user)" : "certificate (--cert/--key)") + "\n";
  }
  if (l.expose == "same-address")
    out += "and any port that listens on the server address you connected to (expose = same-address)\n";
  else if (l.expose == "local")
    out += "and any port on the server's loopback or own addresses (expose = local)\n";
  return out;
}

}  // namespace client
}  // namespace tlsmux
