// SPDX-License-Identifier: GPL-2.0-or-later
// session_table: the capacity plan and the refusal texts (the table itself is a template).
#include "server/session_table.hpp"

#include <algorithm>

namespace tlsmux {
namespace server {

namespace {

const std::size_t reserved_descriptors = 32;  // listeners, logs, resolver, stdio
const std::size_t max_extra_sockets = 64;      // UDP sockets and BIND listeners, server-wide
const std::size_t descriptors_per_loop = 4;    // epoll, eventfd, timerfd, or select's pipe

}  // namespace

session_limits plan_capacity(const capacity_inputs& in, bool& clipped) {
  const std::size_t limit = in.descriptors;
  const std::size_t loops = in.threads > 0 ? in.threads : 1;
  std::size_t reserve = std::min(reserved_descriptors + descriptors_per_loop * (loops - 1), limit / 4);
  std::size_t extras = in.extra_sockets ? std::min(max_extra_sockets, limit / 8) : 0;
  session_limits out;
  out.sessions = limit > reserve + extras + 2 ? (limit - reserve - extras) / 2 : 1;
  out.per_client = in.per_client;
  out.extra_sockets = extras;
  // A client's share: as configured, but never more than a quarter of the reserve, so that
  // at least four clients find sockets when the reserve is small (ulimit -n 64).
  out.extra_per_client = std::min(in.extra_per_client, std::max<std::size_t>(1, extras / 4));
  clipped = in.max_sessions > out.sessions;
  if (in.max_sessions > 0 && !clipped) out.sessions = in.max_sessions;
  out.startups = std::max<std::size_t>(1, std::min(in.max_startups, out.sessions));
  out.startups_per_client = std::max<std::size_t>(1, std::min(in.startups_per_client, out.startups));
  // Refusals that wait for a ClientHello to answer (docs/protocol.md 1.1) live in the
  // reserve: a quarter of it, at most 16 (8 at the usual 1024 descriptors). A reserve smaller
  // than the full one is all taken by the server's own descriptors (listeners, log, resolver,
  // control socket: 13 under ulimit -n 64), and a waiting refusal there would leave no
  // descriptor to accept and close the next connection with: refused at once, then.
  out.refusals_waiting = reserve >= reserved_descriptors ? std::min<std::size_t>(16, reserve / 4) : 0;
  return out;
}

const char* admission_text(admission a) {
  switch (a) {
    case admission::admitted: return "admitted";
    case admission::shutting_down: return "shutting down";
    case admission::session_limit: return "session limit reached";
    case admission::client_limit: return "per-client session limit reached";
    case admission::startup_limit: return "per-client startup limit reached";
  }
  return "refused";
}

}  // namespace server
}  // namespace tlsmux
