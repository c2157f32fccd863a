// SPDX-License-Identifier: GPL-2.0-or-later
// format_help: the catalog as the session may use it.
#include "policy/help_listing.hpp"

namespace tlsmux {
namespace policy {

namespace {

const char* auth_name(service_auth a) {
  switch (a) {
    case service_auth::any: return "any";
    case service_auth::password: return "password";
    case service_auth::certificate: return "certificate";
  }
  return "any";
}

bool may_use(service_auth a, const session_facts& f) {
  return a == service_auth::any || (a == service_auth::password && f.password) ||
         (a == service_auth::certificate && f.certificate);
}

// Names come from the administrator's file; still, one word of printable ASCII per field.
bool printable_word(const std::string& s) {
  if (s.empty()) return false;
  for (std::size_t i = 0; i < s.size(); ++i)
    if (s[i] <= ' ' || s[i] >= 0x7f) return false;
  return true;
}

}  // namespace

std::string format_help(const rules& r, const session_facts& f, const help_options& o) {
  std::string out = "tlsmux-help 1\n";
  if (!o.list_services) {
    out += "listing off\n";
  } else {
    for (std::size_t i = 0; i < r.catalog.size(); ++i) {
      const service& s = r.catalog[i];
      if (may_use(s.auth, f) && printable_word(s.name)) out += "service " + s.name + " " + auth_name(s.auth) + "\n";
    }
    out += std::string("expose ") + expose_name(r.expose) + "\n";
  }
  for (std::size_t i = 0; i < o.next_pins.size(); ++i)
    if (printable_word(o.next_pins[i])) out += "next-pin " + o.next_pins[i] + "\n";
  return out + "end\n";
}

}  // namespace policy
}  // namespace tlsmux
