// SPDX-License-Identifier: GPL-2.0-or-later
// Source address per identity class.
#include "identity/source_select.hpp"

namespace tlsmux {
namespace identity {

const char* class_key(id_class c) {
  switch (c) {
    case id_class::anonymous: return "anonymous";
    case id_class::password: return "user";
    case id_class::certificate: return "cert";
  }
  return "?";
}

source_table default_sources() {
  source_table t;
  class_source& anon = t.at(id_class::anonymous, false);
  anon.set = true;
  anon.address = asio::ip::make_address_v4("127.0.0.2");
  anon.is_default = true;
  return t;
}

source_choice choose_source(const source_table& t, id_class c, const asio::ip::address& target,
                            bool has_service_source, const asio::ip::address& service_source) {
  source_choice out;
  if (has_service_source) {
    out.bind = true;
    out.address = service_source;
    out.rule = "service";
    return out;
  }
  const bool mapped = target.is_v6() && target.to_v6().is_v4_mapped();
  const bool v6 = target.is_v6() && !mapped;
  const class_source& s = t.at(c, v6);
  if (s.set && s.address.is_v6() == v6) {
    out.bind = true;
    out.address = mapped ? asio::ip::address(asio::ip::make_address_v6(asio::ip::v4_mapped, s.address.to_v4()))
                         : s.address;
    out.rule = "class";
    return out;
  }
  if (!target.is_loopback() && !(mapped && asio::ip::make_address_v4(asio::ip::v4_mapped, target.to_v6()).is_loopback())) {
    out.bind = true;
    out.address = target;
    out.rule = "target";
    return out;
  }
  out.rule = "kernel";
  return out;
}

}  // namespace identity
}  // namespace tlsmux
