// SPDX-License-Identifier: GPL-2.0-or-later
// Extra event loops for `threads` > 1: one io_context per thread, as in Asio's
// "io_context per CPU" server example. The caller's loop counts as the first.
#ifndef TLSMUX_SERVER_WORKERS_HPP
#define TLSMUX_SERVER_WORKERS_HPP

#include <asio/any_io_executor.hpp>
#include <asio/executor_work_guard.hpp>
#include <asio/io_context.hpp>
#include <cstddef>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace tlsmux {
namespace server {

/// The event loops that sessions are spread over.
class workers {
 public:
  explicit workers(asio::io_context& main);
  ~workers();

  /// Starts threads - 1 threads, each running a loop of its own. Returns false with a
  /// message when a thread cannot be created (the loops started so far keep running).
  bool start(std::size_t threads, std::string& error);
  /// Stops the extra loops and joins their threads. Handlers still queued there are
  /// destroyed with the loops, when the workers object is.
  void stop();
  /// True between start() with more than one thread and stop().
  bool running() const { return running_; }
  /// Number of loops, the caller's included.
  std::size_t size() const { return 1 + loops_.size(); }
  /// Loop i; 0 is the caller's.
  asio::io_context& context(std::size_t i);
  /// The index of the loop an executor belongs to (0 when it is none of the extra ones).
  std::size_t index_of(const asio::any_io_executor& ex) const;

 private:
  struct loop {
    loop() : io(1), guard(asio::make_work_guard(io)) {}
    asio::io_context io;
    asio::executor_work_guard<asio::io_context::executor_type> guard;
    std::thread thread;
  };

  asio::io_context& main_;
  std::vector<std::unique_ptr<loop> > loops_;
  bool running_ = false;
};

}  // namespace server
}  // namespace tlsmux

#endif
