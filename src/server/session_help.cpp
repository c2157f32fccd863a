// SPDX-License-Identifier: GPL-2.0-or-later
// session: the service listing (socks5/help.hpp, RFC 1078 HELP inside SOCKS5). Reply 0x00,
// then the text lines for this client's rights, then the TLS close.
#include "server/session.hpp"

#include "policy/help_listing.hpp"

namespace tlsmux {
namespace server {

void session::send_help() {
  policy::help_options o;
  o.list_services = snap_->cfg.service_list;
  if (!snap_->next_pin.empty()) o.next_pins.push_back(snap_->next_pin);
  const std::string text = policy::format_help(snap_->cfg.rules, facts(), o);
  arm_deadline(snap_->cfg.connect_timeout, "listing timeout");  // a client that reads nothing
  record_.reason = o.list_services ? "service listing" : "service listing (off)";
  std::shared_ptr<session> self = shared_from_this();
  std::shared_ptr<std::string> body = std::make_shared<std::string>(text);
  send_reply(socks5::reply_code::succeeded, no_address(), [self, body]() {
    self->tls_->async_write(reinterpret_cast<const std::uint8_t*>(body->data()), body->size(), [self, body](const std::error_code& ec) {
      if (ec) return self->finish("tls write: " + ec.message());
      self->tls_->async_shutdown([self](const std::error_code&) { self->finish(self->record_.reason); });
    });
  });
}

}  // namespace server
}  // namespace tlsmux
