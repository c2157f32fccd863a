// SPDX-License-Identifier: GPL-2.0-or-later
// startup_log: a daemon's start-up errors on the terminal that started it.
#include "app/startup_log.hpp"

#include "tlsmux/platform/process.hpp"

#include <cstdio>

namespace tlsmux {
namespace app {

namespace {

bool detached = false;

class startup_sink : public log::sink {
 public:
  explicit startup_sink(std::unique_ptr<log::sink> inner) : inner_(std::move(inner)) {}

  void write(log::level l, const std::string& text) override {
    inner_->write(l, text);
    if (l != log::level::error) return;
    if (platform::daemon_starting()) {
      platform::daemon_report(text);
    } else if (!detached) {
      std::fprintf(stderr, "tlsmux: %s\n", text.c_str());
      std::fflush(stderr);
    }
  }

  void reopen() override { inner_->reopen(); }

 private:
  std::unique_ptr<log::sink> inner_;
};

}  // namespace

std::unique_ptr<log::sink> make_startup_sink(std::unique_ptr<log::sink> inner) {
  return std::unique_ptr<log::sink>(new startup_sink(std::move(inner)));
}

void startup_sink_detached() { detached = true; }

}  // namespace app
}  // namespace tlsmux
