// SPDX-License-Identifier: GPL-2.0-or-later
// Test doubles for the policy's two boundaries: the host's addresses and name resolution.
#ifndef TLSMUX_TESTS_FAKES_FAKE_POLICY_HPP
#define TLSMUX_TESTS_FAKES_FAKE_POLICY_HPP

#include "policy/decider.hpp"

#include <asio/ip/address.hpp>
#include <cstddef>
#include <deque>
#include <string>
#include <system_error>
#include <vector>

namespace tlsmux_fakes {

/// Parses an address literal; test input is trusted.
inline asio::ip::address ip(const std::string& text) { return asio::ip::make_address(text); }

/// A configurable list of "interface" addresses.
class fake_address_source : public tlsmux::policy::address_source {
 public:
  /// Starts with the given literals.
  explicit fake_address_source(const std::vector<std::string>& literals = {}) {
    for (std::size_t i = 0; i < literals.size(); ++i) list.push_back(ip(literals[i]));
  }
  /// Returns list and counts the call.
  std::vector<asio::ip::address> addresses() override {
    ++calls;
    return list;
  }
  std::vector<asio::ip::address> list;  ///< what addresses() returns
  int calls = 0;                        ///< how often it was asked
};

/// One scripted resolver answer.
struct fake_answer {
  std::error_code error;
  std::vector<asio::ip::address> addresses;
};

/// Returns the next scripted answer on each call (the last one repeats) and counts calls.
/// With deferred set, the handler is stored and runs on complete().
class fake_resolver : public tlsmux::policy::resolver {
 public:
  /// Queues an answer made of address literals.
  void answer(const std::vector<std::string>& literals) {
    fake_answer a;
    for (std::size_t i = 0; i < literals.size(); ++i) a.addresses.push_back(ip(literals[i]));
    answers.push_back(a);
  }
  /// Queues a failure.
  void fail(const std::error_code& ec) {
    fake_answer a;
    a.error = ec;
    answers.push_back(a);
  }
  /// Records name, then answers now or (deferred) on complete().
  void resolve(const std::string& name, handler done) override {
    ++calls;
    names.push_back(name);
    if (!answers.empty()) {
      last = answers.front();
      answers.pop_front();
    }
    fake_answer a = last;
    if (deferred) {
      pending = done;
      pending_answer = a;
      return;
    }
    done(a.error, a.addresses);
  }
  /// Runs a deferred handler (twice when again is set, to test the once-guard).
  void complete(bool again = false) {
    handler h = pending;
    pending = handler();
    if (!h) return;
    h(pending_answer.error, pending_answer.addresses);
    if (again) h(pending_answer.error, pending_answer.addresses);
  }
  std::deque<fake_answer> answers;  ///< scripted answers, front first
  fake_answer last;                 ///< repeated once answers run out
  std::vector<std::string> names;   ///< every name asked for
  int calls = 0;                    ///< how often resolve() ran
  bool deferred = false;            ///< hold the handler until complete()
  handler pending;                  ///< the held handler
  fake_answer pending_answer;       ///< what the held handler will get
};

}  // namespace tlsmux_fakes

#endif
