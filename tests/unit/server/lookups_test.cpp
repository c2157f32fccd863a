// SPDX-License-Identifier: GPL-2.0-or-later
// Tests for the server's name lookups: literals and hosts-file names without the network,
// the per-client share, abandoning, and the hosts-file parser (issue 13, finding 4).
#include "server/hosts_table.hpp"
#include "server/name_lookups.hpp"

#include <tlsmux/platform/files.hpp>

#include <asio/io_context.hpp>
#include <condition_variable>
#include <memory>
#include <mutex>

#include <CppUTest/TestHarness.h>

using namespace tlsmux;

namespace {

/// A network lookup that blocks until released, as a DNS server that does not answer.
struct gate {
  std::mutex m;
  std::condition_variable cv;
  bool open = false;
  std::vector<std::string> started;

  std::error_code run(const std::string& name, std::vector<asio::ip::address>& out) {
    std::unique_lock<std::mutex> lock(m);
    started.push_back(name);
    cv.notify_all();
    cv.wait(lock, [this]() { return open; });
    out.push_back(asio::ip::make_address("127.0.0.9"));
    return std::error_code();
  }
  void release() {
    std::lock_guard<std::mutex> lock(m);
    open = true;
    cv.notify_all();
  }
  bool wait_started(std::size_t n) {
    std::unique_lock<std::mutex> lock(m);
    return cv.wait_for(lock, std::chrono::seconds(5), [this, n]() { return started.size() >= n; });
  }
  std::size_t count() {
    std::lock_guard<std::mutex> lock(m);
    return started.size();
  }
};

struct answer {
  bool called = false;
  std::error_code ec;
  std::vector<asio::ip::address> addresses;
};

server::name_lookups::handler record(answer& a) {
  return [&a](const std::error_code& ec, const std::vector<asio::ip::address>& v) {
    a.called = true;
    a.ec = ec;
    a.addresses = v;
  };
}

/// Runs the loop until every answer in `want` has arrived (or 5 s passed).
void run_until(asio::io_context& io, const std::vector<answer*>& want) {
  std::chrono::steady_clock::time_point end = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  for (;;) {
    bool all = true;
    for (std::size_t i = 0; i < want.size(); ++i) all = all && want[i]->called;
    if (all || std::chrono::steady_clock::now() > end) return;
    io.restart();
    io.run_for(std::chrono::milliseconds(10));
  }
}

const server::client_key client_a = server::client_key::of(asio::ip::make_address("192.0.2.1"));
const server::client_key client_b = server::client_key::of(asio::ip::make_address("192.0.2.2"));

std::string hosts_file() {
  std::string path = platform::join_path(TLSMUX_TEST_TMP, "lookups_test_hosts");
  platform::write_file(path, "# test\n127.0.0.5 MyHost alias5\n::1 myhost\n");
  return path;
}

server::lookup_limits limits(std::size_t threads, std::size_t per_client) {
  server::lookup_limits l;
  l.threads = threads;
  l.per_client = per_client;
  return l;
}

}  // namespace

TEST_GROUP(hosts_table){};

TEST(hosts_table, names_aliases_comments_and_several_lines) {
  server::hosts_table t;
  t.parse("127.0.0.1 localhost\n# 10.0.0.1 hidden\n::1 localhost ip6-localhost # comment\n"
          "bogus notanaddress\n  \n192.0.2.7\tWeb.Example web\n");
  std::vector<asio::ip::address> v;
  CHECK_TRUE(t.find("localhost", v));
  UNSIGNED_LONGS_EQUAL(2, v.size());
  CHECK_TRUE(v[0] == asio::ip::make_address("127.0.0.1"));
  CHECK_TRUE(v[1] == asio::ip::make_address("::1"));
  CHECK_TRUE(t.find("WEB.example", v));
  CHECK_TRUE(v[0] == asio::ip::make_address("192.0.2.7"));
  CHECK_TRUE(t.find("ip6-localhost", v));
  CHECK_FALSE(t.find("hidden", v));
  CHECK_FALSE(t.find("notanaddress", v));
  CHECK_FALSE(t.find("bogus", v));
}

TEST_GROUP(name_lookups) {
  asio::io_context io;
  std::shared_ptr<gate> g;
  std::unique_ptr<server::name_lookups> lookups;

  void setup() override {
    g = std::make_shared<gate>();
    std::shared_ptr<gate> keep = g;  // the threads may outlive the test: they hold the gate
    lookups.reset(new server::name_lookups(hosts_file(), [keep](const std::string& n, std::vector<asio::ip::address>& out) {
      return keep->run(n, out);
    }));
  }
  void teardown() override {
    g->release();
    lookups.reset();
  }
};

TEST(name_lookups, literals_never_use_the_network) {
  lookups->configure(limits(1, 1));
  answer a, b;
  std::shared_ptr<server::lookup> la = lookups->start(client_a, "127.1", io.get_executor(), record(a));
  std::shared_ptr<server::lookup> lb = lookups->start(client_a, "::1", io.get_executor(), record(b));
  run_until(io, {&a, &b});
  CHECK_TRUE(a.called && !a.ec);
  CHECK_TRUE(a.addresses.at(0) == asio::ip::make_address("127.0.0.1"));
  CHECK_TRUE(b.called && !b.ec);
  UNSIGNED_LONGS_EQUAL(0, g->count());
}

TEST(name_lookups, hosts_names_are_answered_while_the_network_is_stuck) {
  lookups->configure(limits(1, 1));
  answer slow, local;
  std::shared_ptr<server::lookup> ls = lookups->start(client_a, "slow.example", io.get_executor(), record(slow));
  CHECK_TRUE(g->wait_started(1));
  // The only thread is blocked and the client is at its share: a hosts name still answers.
  std::shared_ptr<server::lookup> ll = lookups->start(client_a, "myhost", io.get_executor(), record(local));
  run_until(io, {&local});
  CHECK_TRUE(local.called && !local.ec);
  UNSIGNED_LONGS_EQUAL(2, local.addresses.size());
  CHECK_TRUE(local.addresses[0] == asio::ip::make_address("127.0.0.5"));
  CHECK_FALSE(slow.called);
}

TEST(name_lookups, a_client_over_its_share_is_refused_others_run) {
  lookups->configure(limits(4, 2));
  answer a1, a2, a3, b1;
  std::shared_ptr<server::lookup> l1 = lookups->start(client_a, "a1.example", io.get_executor(), record(a1));
  std::shared_ptr<server::lookup> l2 = lookups->start(client_a, "a2.example", io.get_executor(), record(a2));
  std::shared_ptr<server::lookup> l3 = lookups->start(client_a, "a3.example", io.get_executor(), record(a3));
  std::shared_ptr<server::lookup> l4 = lookups->start(client_b, "b1.example", io.get_executor(), record(b1));
  run_until(io, {&a3});
  CHECK_TRUE(a3.called);
  CHECK_TRUE(static_cast<bool>(a3.ec));
  CHECK_TRUE(g->wait_started(3));  // a1, a2 and b1 run at once
  g->release();
  run_until(io, {&a1, &a2, &b1});
  CHECK_TRUE(a1.called && !a1.ec && a2.called && !a2.ec && b1.called && !b1.ec);
  CHECK_TRUE(b1.addresses.at(0) == asio::ip::make_address("127.0.0.9"));
}

TEST(name_lookups, an_abandoned_lookup_is_never_answered_but_counts_until_it_returns) {
  lookups->configure(limits(2, 1));
  answer a1, a2, a3;
  std::shared_ptr<server::lookup> l1 = lookups->start(client_a, "a1.example", io.get_executor(), record(a1));
  CHECK_TRUE(g->wait_started(1));
  l1->abandon();
  // Still running in getaddrinfo: the client's share stays taken.
  std::shared_ptr<server::lookup> l2 = lookups->start(client_a, "a2.example", io.get_executor(), record(a2));
  run_until(io, {&a2});
  CHECK_TRUE(a2.called && a2.ec);
  g->release();
  std::chrono::steady_clock::time_point end = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  do {  // the thread returns and gives the share back
    a3 = answer();
    std::shared_ptr<server::lookup> l3 = lookups->start(client_a, "a3.example", io.get_executor(), record(a3));
    run_until(io, {&a3});
  } while (a3.ec && std::chrono::steady_clock::now() < end);
  CHECK_TRUE(a3.called && !a3.ec);
  io.restart();
  io.run_for(std::chrono::milliseconds(50));
  CHECK_FALSE(a1.called);
}

TEST(name_lookups, an_abandoned_queued_lookup_never_reaches_the_network) {
  lookups->configure(limits(1, 4));
  answer a1, a2, a3;
  std::shared_ptr<server::lookup> l1 = lookups->start(client_a, "first.example", io.get_executor(), record(a1));
  CHECK_TRUE(g->wait_started(1));
  std::shared_ptr<server::lookup> l2 = lookups->start(client_a, "queued.example", io.get_executor(), record(a2));
  std::shared_ptr<server::lookup> l3 = lookups->start(client_a, "last.example", io.get_executor(), record(a3));
  l2.reset();  // dropping the handle abandons it too
  g->release();
  run_until(io, {&a1, &a3});
  CHECK_TRUE(a1.called && a3.called);
  CHECK_FALSE(a2.called);
  std::lock_guard<std::mutex> lock(g->m);
  for (std::size_t i = 0; i < g->started.size(); ++i) CHECK_TRUE(g->started[i] != "queued.example");
}
