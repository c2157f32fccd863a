// SPDX-License-Identifier: GPL-2.0-or-later
// Configuration spellings of the policy's enumerations.
#include "policy/rules.hpp"

namespace tlsmux {
namespace policy {

bool parse_expose(const std::string& text, expose_mode& out) {
  if (text == "same-address") {
    out = expose_mode::same_address;
  } else if (text == "local") {
    out = expose_mode::local;
  } else if (text == "catalog") {
    out = expose_mode::catalog;
  } else {
    return false;
  }
  return true;
}

const char* expose_name(expose_mode m) {
  switch (m) {
    case expose_mode::same_address: return "same-address";
    case expose_mode::local: return "local";
    case expose_mode::catalog: return "catalog";
  }
  return "unknown";
}

bool parse_service_auth(const std::string& text, service_auth& out) {
  if (text == "any") {
    out = service_auth::any;
  } else if (text == "password") {
    out = service_auth::password;
  } else if (text == "certificate") {
    out = service_auth::certificate;
  } else {
    return false;
  }
  return true;
}

}  // namespace policy
}  // namespace tlsmux
