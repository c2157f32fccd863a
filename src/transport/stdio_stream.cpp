// SPDX-License-Identifier: GPL-2.0-or-later
// stdio_stream: blocking stdio on helper threads, completions on the io_context.
#include "transport/stdio_stream.hpp"

#include "tlsmux/platform/terminal.hpp"

#include <asio/error.hpp>
#include <asio/post.hpp>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace tlsmux {
namespace transport {

// One thread that runs one blocking job at a time. The thread is detached: a read blocked
// on a terminal must not keep the process from exiting.
class blocking_worker : public std::enable_shared_from_this<blocking_worker> {
 public:
  void start() {
    std::shared_ptr<blocking_worker> self = shared_from_this();
    std::thread([self]() { self->loop(); }).detach();
  }
  void post(std::function<void()> job) {
    std::lock_guard<std::mutex> lock(mutex_);
    job_ = job;
    cv_.notify_one();
  }
  void stop() {
    std::lock_guard<std::mutex> lock(mutex_);
    stopped_ = true;
    cv_.notify_one();
  }

 private:
  void loop() {
    for (;;) {
      std::function<void()> job;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        while (!job_ && !stopped_) cv_.wait(lock);
        if (stopped_) return;
        job.swap(job_);
      }
      job();
    }
  }
  std::mutex mutex_;
  std::condition_variable cv_;
  std::function<void()> job_;
  bool stopped_ = false;
};

stdio_stream::stdio_stream(asio::io_context& io)
    : io_(io), reader_(std::make_shared<blocking_worker>()), writer_(std::make_shared<blocking_worker>()) {
  platform::binary_stdio();
  reader_->start();
  writer_->start();
}

stdio_stream::~stdio_stream() {
  reader_->stop();
  writer_->stop();
}

void stdio_stream::read_some(std::uint8_t* buf, std::size_t cap, io_handler h) {
  asio::io_context& io = io_;
  reader_->post([&io, buf, cap, h]() {
    long n = platform::read_stdin(buf, cap);
    std::error_code ec;
    if (n == 0) ec = asio::error::eof;
    else if (n < 0) ec = std::make_error_code(std::errc::io_error);
    std::size_t got = n > 0 ? static_cast<std::size_t>(n) : 0;
    asio::post(io, [h, ec, got]() { h(ec, got); });
  });
}

void stdio_stream::wait_readable(handler h) {
  asio::post(io_, [h]() { h(std::error_code()); });
}

void stdio_stream::write(const std::uint8_t* p, std::size_t n, handler h) {
  asio::io_context& io = io_;
  writer_->post([&io, p, n, h]() {
    std::error_code ec = platform::write_stdout(p, n);
    asio::post(io, [h, ec]() { h(ec); });
  });
}

void stdio_stream::shutdown_send(handler h) {
  asio::io_context& io = io_;
  writer_->post([&io, h]() {
    platform::close_stdout();
    asio::post(io, [h]() { h(std::error_code()); });
  });
}

void stdio_stream::close() {}

}  // namespace transport
}  // namespace tlsmux
