// SPDX-License-Identifier: GPL-2.0-or-later
// Client-side server verification: CA, pin, or trust on first use.
#include "client/verify.hpp"

#include "client/diagnosis.hpp"
#include "client/known_hosts.hpp"
#include "log/logger.hpp"
#include "log/rate_limit.hpp"
#include "tls/pin.hpp"
#include "tlsmux/platform/files.hpp"
#include "tlsmux/platform/paths.hpp"
#include "tlsmux/platform/terminal.hpp"

#include <cstdlib>

namespace tlsmux {
namespace client {

namespace {

// The server presents the key it announced as its next one over a connection verified with
// the key known then: it becomes the known key (key rotation, docs/security.md).
bool promote_next(const std::string& file, const std::string& text, const std::string& key, const std::string& pin,
                  const known_host& announced) {
  std::error_code ec = platform::write_private_file(file, known_hosts::promote(text, key, pin));
  if (ec) log::limited_warning("known_hosts write", "cannot record the rotated key in " + file + ": " + ec.message());
  log::notice("the key of " + key + " rotated to " + pin + ", which it had announced (line " +
              std::to_string(announced.line) + " of " + file + "); it is now the known key");
  return true;
}

// A --pin that no longer matches: if the presented key is the one the server announced, say so.
std::string pin_mismatch(const client_options& opt, const std::string& pin) {
  std::string message = "server key mismatch: expected " + opt.pin + ", the server presented " + pin;
  const std::string file = known_hosts_path(opt);
  std::string text;
  known_hosts db;
  std::vector<std::string> warnings;
  if (platform::file_exists(file) && !platform::read_file(file, text)) db.load(text, file, warnings);
  known_host found;
  if (!db.announced(known_hosts::make_key(opt.host, opt.port), pin, found)) return explain_pin_mismatch(opt.pin, pin);
  message += ". The server announced " + pin + " as its next key over a connection verified with a key "
             "you trusted then (line " + std::to_string(found.line) + " of " + file +
             "): if its key was rotated, use --pin " + pin;
  return message;
}

// Trust on first use against a known_hosts file, keyed by host and port.
bool check_known_host(const client_options& opt, const std::string& pin, std::string& message) {
  std::string file = known_hosts_path(opt);
  std::string key = known_hosts::make_key(opt.host, opt.port);
  std::string text;
  known_hosts db;
  std::vector<std::string> warnings;
  if (platform::file_exists(file) && !platform::read_file(file, text)) db.load(text, file, warnings);
  // Checked on every dial, so a local program can repeat these: rate-limited.
  for (std::size_t i = 0; i < warnings.size(); ++i) log::limited_warning("known_hosts line", warnings[i]);
  known_host found;
  trust t = db.check(key, pin, found);
  if (t == trust::match) {
    message = "key " + pin + " known in " + file + " line " + std::to_string(found.line);
    return true;
  }
  if (t == trust::mismatch && db.announced(key, pin, found)) return promote_next(file, text, key, pin, found);
  if (t == trust::mismatch) {
    message = "THE KEY OF " + key + " HAS CHANGED: known_hosts has " + found.pin +
              " but the server presented " + pin +
              ". This may be an attack. If the change is expected, remove line " +
              std::to_string(found.line) + " of " + file + " and connect again.";
    return false;
  }
  if (!opt.accept_new) {
    std::string answer;
    bool asked = platform::have_terminal() &&
                 platform::ask_terminal("The key of " + key + " is not known.\nIts pin is " + pin +
                                            "\nTrust it and remember it in " + file + "? (yes/no) ",
                                        answer);
    if (!asked) {
      message = "unknown server key for " + key + " (pin " + pin +
                "); verify it and rerun with --accept-new or --pin " + pin;
      return false;
    }
    if (answer != "yes" && answer != "y") {
      message = "server key not accepted";
      return false;
    }
  }
  std::string dir = file.substr(0, file.find_last_of("/\\") == std::string::npos ? 0 : file.find_last_of("/\\"));
  if (!dir.empty()) platform::make_private_dir(dir);
  std::error_code ec = platform::write_private_file(file, text + (text.empty() || text[text.size() - 1] == '\n' ? "" : "\n") +
                                                              known_hosts::format(key, pin));
  if (ec) log::limited_warning("known_hosts write", "cannot record the server key in " + file + ": " + ec.message());
  else log::notice("added " + key + " " + pin + " to " + file);
  message = "key " + pin + " was unknown: trusted on first use";
  return true;
}

}  // namespace

std::string default_known_hosts() {
  return platform::join_path(platform::join_path(platform::home_dir(), ".tlsmux"), "known_hosts");
}

std::string known_hosts_path(const client_options& opt) {
  return opt.known_hosts_file.empty() ? default_known_hosts() : opt.known_hosts_file;
}

std::shared_ptr<tls::context> make_client_context(const client_options& opt, std::string& error) {
  tls::settings s;
  s.profile = opt.tls_profile;
  s.cipher_preference = opt.cipher_preference;
  s.cert_file = opt.cert_file;
  s.key_file = opt.key_file;
  s.ca_file = opt.ca_file;
  s.verify_peer = !opt.ca_file.empty();
  return tls::context::make_client(s, error);
}

void configure_verification(const client_options& opt, dial_request& req) {
  req.server_name = opt.server_name.empty() ? opt.host : opt.server_name;
  req.check_name = !opt.ca_file.empty();
  req.ca_file = opt.ca_file;
  if (opt.insecure) {
    const char* text = "WARNING: --insecure: the server's identity is NOT verified; anyone on the path can read and "
                       "change this connection";
    log::warning(text);  // once: at start
    req.verify = verifier();
    return;
  }
  client_options o = opt;
  if (!opt.ca_file.empty()) {
    // wolfSSL verifies chain and name; a pin given as well must match too.
    if (opt.pin.empty()) return;
    req.verify = [o](const std::vector<std::uint8_t>& der, std::string& message) {
      std::string pin = tls::spki_pin(der);
      if (pin == o.pin) {
        message = "chain signed by the CA in " + o.ca_file + ", and the key matches --pin";
        return true;
      }
      message = explain_pin_mismatch(o.pin, pin);
      return false;
    };
    return;
  }
  req.verify = [o](const std::vector<std::uint8_t>& der, std::string& message) {
    std::string pin = tls::spki_pin(der);
    if (pin.empty()) {
      message = "the server sent no usable certificate";
      return false;
    }
    if (!o.pin.empty()) {
      if (pin == o.pin) {
        message = "key " + pin + " matches --pin";
        return true;
      }
      message = pin_mismatch(o, pin);
      return false;
    }
    return check_known_host(o, pin, message);
  };
}

bool configure_credentials(const client_options& opt, dial_request& req, std::string& error) {
  req.user = opt.user;
  req.client_cert = !opt.cert_file.empty();
  if (opt.user.empty()) return true;
  std::string password;
  if (!opt.password_file.empty()) {
    if (platform::read_file(opt.password_file, password)) {
      error = "cannot read password file " + opt.password_file;
      return false;
    }
    password = password.substr(0, password.find_first_of("\r\n"));
  } else if (const char* env = std::getenv("TLSMUX_PASSWORD")) {
    password = env;
  } else if (!platform::read_secret(opt.user + "@" + opt.host + "'s tlsmux password: ", password)) {
    // No terminal (a script, a service): ssh would fail the same way.
    error = "--user needs a password: --password-file FILE, $TLSMUX_PASSWORD, or a terminal to ask on";
    return false;
  }
  req.password = password;
  return true;
}

}  // namespace client
}  // namespace tlsmux
