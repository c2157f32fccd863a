// SPDX-License-Identifier: GPL-2.0-or-later
// The relay: pumps bytes both ways between two streams with one bounded buffer per
// direction. A direction reads only after its previous write completed (backpressure), and
// an EOF is passed on as a half-close; the splice ends when both directions ended or either
// side failed.
#ifndef TLSMUX_RELAY_SPLICE_HPP
#define TLSMUX_RELAY_SPLICE_HPP

#include "relay/stream.hpp"

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <system_error>
#include <vector>

namespace tlsmux {
namespace relay {

/// How a splice ended.
enum class splice_end {
  eof,           ///< both directions ended cleanly (or b closed, with finish_when_b_closes)
  read_failed,   ///< reading from one stream failed
  write_failed,  ///< writing to one stream failed
  stopped        ///< stop() was called
};

/// One of the two streams of a splice: a is the client side, b the service side.
enum class splice_side { a, b };

/// What ended a splice; a failure names the stream and the error.
struct splice_outcome {
  splice_end end = splice_end::eof;
  splice_side side = splice_side::a;  ///< the failed stream (read_failed, write_failed)
  std::error_code ec;                 ///< the failure; empty for a read that found nothing
  bool clean() const { return end == splice_end::eof; }
};

/// "eof", "read", "write" or "stopped".
const char* end_name(splice_end e);
/// The outcome as the session logs show it in close="...": "eof", "stopped", or the failed
/// side and operation with the error, such as "client read: Connection reset by peer".
std::string describe(const splice_outcome& o);

/// Two-way byte pump between stream a and stream b.
class splice : public std::enable_shared_from_this<splice> {
 public:
  /// Called once when the splice ends, with the first thing that ended it.
  typedef std::function<void(const splice_outcome& outcome)> done_handler;

  splice(std::shared_ptr<stream> a, std::shared_ptr<stream> b, std::size_t buffer_size,
         done_handler done);

  /// Starts both directions; first_a_to_b / first_b_to_a are bytes already read from a / b
  /// (pipelined data) that go out first.
  void start(const std::vector<std::uint8_t>& first_a_to_b,
             const std::vector<std::uint8_t>& first_b_to_a = std::vector<std::uint8_t>());
  /// Ends the whole splice as soon as b reaches EOF (stdio: the remote end closing ends
  /// the process even if stdin stays open).
  void finish_when_b_closes() { finish_on_b_eof_ = true; }
  /// Ends the splice now (outcome stopped); both streams are closed.
  void stop();

  std::uint64_t bytes_a_to_b() const { return dir_[0].bytes; }
  std::uint64_t bytes_b_to_a() const { return dir_[1].bytes; }
  /// When a byte last moved either way.
  std::chrono::steady_clock::time_point last_activity() const { return last_activity_; }
  bool finished() const { return finished_; }

 private:
  struct direction {
    std::shared_ptr<stream> from, to;
    std::unique_ptr<std::uint8_t[]> buf;  ///< null while the direction is quiet
    std::size_t size = 0;                 ///< buffer size when in use (not zero-filled)
    std::uint64_t bytes = 0;
    bool done = false;
  };
  void read(int d);
  void read_into_buffer(int d);
  void write(int d, std::size_t n);
  void end_direction(int d);
  void fail(splice_end e, int d, const std::error_code& ec);
  void finish(const splice_outcome& o);

  direction dir_[2];
  done_handler done_;
  bool finished_ = false;
  bool finish_on_b_eof_ = false;
  std::chrono::steady_clock::time_point last_activity_;
};

}  // namespace relay
}  // namespace tlsmux

#endif
