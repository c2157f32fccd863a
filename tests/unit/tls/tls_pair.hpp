// SPDX-License-Identifier: GPL-2.0-or-later
// Test helper: a client and a server tls::engine shuttling ciphertext in memory.
#ifndef TLSMUX_TESTS_UNIT_TLS_TLS_PAIR_HPP
#define TLSMUX_TESTS_UNIT_TLS_TLS_PAIR_HPP

#include "tls/context.hpp"
#include "tls/engine.hpp"

#include <memory>
#include <string>
#include <vector>

class SimpleString;
/// CppUTest printing of engine results (defined in engine_handshake_test.cpp).
SimpleString StringFrom(tlsmux::tls::status s);

namespace tlsmux_test {

/// The enumerator's name, for test messages.
inline const char* status_name(tlsmux::tls::status s) {
  switch (s) {
    case tlsmux::tls::status::ok: return "ok";
    case tlsmux::tls::status::want_input: return "want_input";
    case tlsmux::tls::status::closed: return "closed";
    case tlsmux::tls::status::error: return "error";
  }
  return "?";
}

/// Path of a file in tests/data.
inline std::string data_file(const std::string& name) {
  return std::string(TLSMUX_TEST_DATA) + "/" + name;
}

/// Server settings with tests/data/server.{crt,key}.
inline tlsmux::tls::settings server_settings() {
  tlsmux::tls::settings s;
  s.cert_file = data_file("server.crt");
  s.key_file = data_file("server.key");
  return s;
}

/// Client settings verifying the server against tests/data/ca.crt.
inline tlsmux::tls::settings verifying_client_settings() {
  tlsmux::tls::settings s;
  s.ca_file = data_file("ca.crt");
  s.verify_peer = true;
  return s;
}

/// Moves all pending ciphertext from one engine to the other; returns the byte count.
inline std::size_t transfer(tlsmux::tls::engine& from, tlsmux::tls::engine& to) {
  const std::size_t n = from.output_size();
  to.feed(from.output(), n);
  from.consume_output(n);
  return n;
}

/// A connected pair of engines; contexts are made in the constructor.
struct tls_pair {
  std::shared_ptr<tlsmux::tls::context> server_ctx, client_ctx;
  std::unique_ptr<tlsmux::tls::engine> server, client;
  std::string error;
  tlsmux::tls::status server_status = tlsmux::tls::status::want_input;
  tlsmux::tls::status client_status = tlsmux::tls::status::want_input;
  int rounds = 0;

  tls_pair(const tlsmux::tls::settings& s, const tlsmux::tls::settings& c) {
    server_ctx = tlsmux::tls::context::make_server(s, error);
    if (server_ctx) client_ctx = tlsmux::tls::context::make_client(c, error);
    if (server_ctx && client_ctx) {
      server.reset(new tlsmux::tls::engine(server_ctx));
      client.reset(new tlsmux::tls::engine(client_ctx));
    }
  }
  bool ok() const { return server && client; }

  /// Steps both handshakes until both are done, one fails, or max_rounds pass.
  bool handshake(int max_rounds = 10) {
    using tlsmux::tls::status;
    for (rounds = 1; rounds <= max_rounds; ++rounds) {
      client_status = client->handshake();
      transfer(*client, *server);
      server_status = server->handshake();
      transfer(*server, *client);
      if (client_status == status::error || server_status == status::error) {
        // Let each side see the other's alert, as a real connection would.
        client_status = client->handshake();
        return false;
      }
      if (client_status == status::ok && server_status == status::ok) return true;
    }
    return false;
  }

  /// Reads everything currently readable from an engine into out; returns the last status.
  static tlsmux::tls::status drain(tlsmux::tls::engine& e, std::vector<std::uint8_t>& out,
                                   std::size_t chunk = 65536) {
    std::vector<std::uint8_t> buf(chunk);
    for (;;) {
      std::size_t got = 0;
      const tlsmux::tls::status st = e.read(buf.data(), buf.size(), got);
      if (st != tlsmux::tls::status::ok) return st;
      out.insert(out.end(), buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(got));
    }
  }
};

}  // namespace tlsmux_test

#endif
