// SPDX-License-Identifier: GPL-2.0-or-later
// fetch_help, record_next_pins and watch_next_keys.
#include "client/key_rotation.hpp"

#include "client/known_hosts.hpp"
#include "client/verify.hpp"
#include "log/logger.hpp"
#include "socks5/help.hpp"
#include "tlsmux/platform/files.hpp"

#include <asio/post.hpp>

namespace tlsmux {
namespace client {

namespace {

// Reads the listing after a successful dial, to the end of the TLS stream.
class help_read : public std::enable_shared_from_this<help_read> {
 public:
  help_read(const dial_result& r, help_handler done) : stream_(r.stream), done_(done), rx_(4096) {
    if (!r.leftover.empty()) ok_ = reader_.feed(r.leftover.data(), r.leftover.size());
  }

  void read() {
    if (!ok_) return end();
    std::shared_ptr<help_read> self = shared_from_this();
    stream_->async_read_some(rx_.data(), rx_.size(), [self](const std::error_code& ec, std::size_t n) {
      if (ec) return self->end();
      self->ok_ = self->reader_.feed(self->rx_.data(), n);
      self->read();
    });
  }

 private:
  void end() {
    stream_->close();
    help_listing l;
    bool ok = ok_ && reader_.finish(l);
    done_(ok, l, ok ? std::string() : "the server's listing: " + reader_.error());
  }

  std::shared_ptr<transport::tls_stream> stream_;
  help_handler done_;
  help_reader reader_;
  std::vector<std::uint8_t> rx_;
  bool ok_ = true;
};

}  // namespace

void fetch_help(asio::io_context& io, dial_request req, help_handler done) {
  req.cmd = socks5::command::connect;
  req.target = socks5::help_address();
  dial(io, req, [done](const dial_result& r) {
    if (r.ec) {
      std::string why = r.message;
      if (r.socks_reply == 0x02 || r.socks_reply == 0x04)
        why += "; the server may be older than the service listing (help.tlsmux.invalid)";
      return done(false, help_listing(), why);
    }
    std::make_shared<help_read>(r, done)->read();
  });
}

bool record_next_pins(const client_options& opt, const std::vector<std::string>& pins) {
  const std::string file = known_hosts_path(opt);
  const std::string key = known_hosts::make_key(opt.host, opt.port);
  std::string text;
  if (platform::file_exists(file) && platform::read_file(file, text)) return false;
  known_hosts db;
  std::vector<std::string> warnings;
  db.load(text, file, warnings);
  bool had_next = false;
  for (std::size_t i = 0; i < db.entries().size(); ++i) had_next |= db.entries()[i].next && db.entries()[i].key == key;
  std::vector<std::string> fresh, learned;
  for (std::size_t i = 0; i < pins.size(); ++i) {
    known_host found;
    if (db.check(key, pins[i], found) == trust::match) continue;  // already current
    fresh.push_back(pins[i]);
    if (!db.announced(key, pins[i], found)) learned.push_back(pins[i]);
  }
  if (fresh.empty() && !had_next) return true;
  const std::string updated = known_hosts::set_next(text, key, fresh);
  if (updated == text) return true;
  const std::string::size_type slash = file.find_last_of("/\\");
  if (slash != std::string::npos && slash > 0) platform::make_private_dir(file.substr(0, slash));
  std::error_code ec = platform::write_private_file(file, updated);
  if (ec) {
    log::warning("cannot record the next key of " + key + " in " + file + ": " + ec.message());
    return false;
  }
  for (std::size_t i = 0; i < learned.size(); ++i)
    log::notice("learned the next key of " + key + ": " + learned[i] + " (announced over a verified connection; @next in " + file + ")");
  return true;
}

void watch_next_keys(asio::io_context& io, const client_options& opt, dial_request& req) {
  if (opt.insecure || !opt.ca_file.empty() || !req.verify) return;
  std::shared_ptr<bool> started = std::make_shared<bool>(false);
  dial_request base = req;  // the unwrapped verifier: the listing's dial is checked the same way
  verifier inner = req.verify;
  asio::io_context* loop = &io;
  req.verify = [inner, started, base, opt, loop](const std::vector<std::uint8_t>& der, std::string& message) {
    if (!inner(der, message)) return false;
    if (*started) return true;
    *started = true;
    asio::post(*loop, [loop, base, opt]() {
      fetch_help(*loop, base, [opt](bool ok, const help_listing& l, const std::string& error) {
        if (ok) record_next_pins(opt, l.next_pins);
        else log::debug("no key announcement read: " + error);
      });
    });
    return true;
  };
}

}  // namespace client
}  // namespace tlsmux
