// SPDX-License-Identifier: GPL-2.0-or-later
// workers: extra io_contexts, each run by its own thread.
#include "server/workers.hpp"

#include <asio/execution/context.hpp>
#include <asio/query.hpp>
#include <system_error>

namespace tlsmux {
namespace server {

workers::workers(asio::io_context& main) : main_(main) {}

workers::~workers() { stop(); }

bool workers::start(std::size_t threads, std::string& error) {
  for (std::size_t i = 1; i < threads; ++i) {
    std::unique_ptr<loop> l(new loop);
    asio::io_context* io = &l->io;
    try {
      l->thread = std::thread([io]() { io->run(); });
    } catch (const std::system_error& e) {
      error = "cannot start thread " + std::to_string(i + 1) + " of " + std::to_string(threads) +
              ": " + e.what();
      return false;
    }
    loops_.push_back(std::move(l));
    running_ = true;
  }
  return true;
}

void workers::stop() {
  for (std::size_t i = 0; i < loops_.size(); ++i) {
    loops_[i]->guard.reset();
    loops_[i]->io.stop();
  }
  for (std::size_t i = 0; i < loops_.size(); ++i)
    if (loops_[i]->thread.joinable()) loops_[i]->thread.join();
  running_ = false;
}

asio::io_context& workers::context(std::size_t i) {
  return i == 0 || i > loops_.size() ? main_ : loops_[i - 1]->io;
}

std::size_t workers::index_of(const asio::any_io_executor& ex) const {
  const asio::execution_context* c = &asio::query(ex, asio::execution::context);
  for (std::size_t i = 0; i < loops_.size(); ++i)
    if (c == &loops_[i]->io) return i + 1;
  return 0;
}

}  // namespace server
}  // namespace tlsmux
