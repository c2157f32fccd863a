// SPDX-License-Identifier: GPL-2.0-or-later
// A splice between two in-memory connections, shared by the splice tests:
//   client <-> a =splice= b <-> service
// The test drives client and service; the splice owns a and b.
#ifndef TLSMUX_TESTS_UNIT_RELAY_SPLICE_RIG_HPP
#define TLSMUX_TESTS_UNIT_RELAY_SPLICE_RIG_HPP

#include "fakes/memory_stream.hpp"
#include "relay/splice.hpp"

#include <asio/io_context.hpp>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace relay_test {

using tlsmux::relay::splice;
using tlsmux::relay::splice_end;
using tlsmux::relay::splice_outcome;
using tlsmux::relay::splice_side;
using tlsmux_fakes::memory_stream;

inline std::vector<std::uint8_t> bytes(const std::string& s) { return std::vector<std::uint8_t>(s.begin(), s.end()); }

/// n bytes of a repeating, position-dependent pattern (a lost or reordered byte shows).
inline std::string pattern(std::size_t n) {
  std::string s(n, '\0');
  for (std::size_t i = 0; i < n; ++i) s[i] = static_cast<char>('a' + (i * 7 + i / 26) % 26);
  return s;
}

struct splice_rig {
  asio::io_context io;
  std::shared_ptr<memory_stream> client, a, b, service;
  std::shared_ptr<splice> sp;
  int done_calls = 0;
  splice_outcome outcome;

  /// buffer: the splice's buffer per direction; window: each connection's receive capacity.
  explicit splice_rig(std::size_t buffer = 16, std::size_t window = 64) {
    std::pair<std::shared_ptr<memory_stream>, std::shared_ptr<memory_stream> > x = memory_stream::make_pair(io, window);
    std::pair<std::shared_ptr<memory_stream>, std::shared_ptr<memory_stream> > y = memory_stream::make_pair(io, window);
    client = x.first;
    a = x.second;
    b = y.first;
    service = y.second;
    sp = std::make_shared<splice>(a, b, buffer, [this](const splice_outcome& o) {
      ++done_calls;
      outcome = o;
    });
  }
  ~splice_rig() {
    sp->stop();  // breaks the handler cycles of a splice the test left running
    settle();
  }
  void start(const std::string& first_a_to_b = std::string(), const std::string& first_b_to_a = std::string()) {
    sp->start(bytes(first_a_to_b), bytes(first_b_to_a));
  }
  /// Runs ready handlers until none is left; nobody reads on the test's side.
  void settle() {
    for (;;) {
      io.restart();
      if (io.poll() == 0) return;
    }
  }
  /// Like settle(), but client and service read everything that reaches them.
  void flow() {
    for (;;) {
      io.restart();
      std::size_t n = io.poll();
      n += client->drain();
      n += service->drain();
      if (n == 0) return;
    }
  }
};

}  // namespace relay_test

#endif
