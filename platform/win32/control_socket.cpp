// SPDX-License-Identifier: GPL-2.0-or-later
// The control channel on Windows, client side: `tlsmux status` opens the server's named pipe
// (identification-only impersonation, so a pipe squatter learns nothing it can use), sends
// the request, and reads the reply until the server closes.
#include <tlsmux/platform/control_socket.hpp>

#include "control_pipe.hpp"

#include <cctype>
#include <cstdio>

namespace tlsmux {
namespace platform {

std::string control_pipe_name(const std::string& path) {
  unsigned long long h = 1469598103934665603ULL;
  for (std::size_t i = 0; i < path.size(); ++i) {
    char c = path[i] == '/' ? '\\' : static_cast<char>(std::tolower(static_cast<unsigned char>(path[i])));
    h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
  }
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", h);
  return std::string("\\\\.\\pipe\\tlsmux-control-") + hex;
}

std::string control_endpoint(const std::string& path) { return control_pipe_name(path); }

DWORD pipe_transfer(HANDLE h, bool write, char* buf, DWORD n, HANDLE cancel, DWORD timeout_ms, DWORD& done) {
  done = 0;
  OVERLAPPED ov;
  ZeroMemory(&ov, sizeof ov);
  ov.hEvent = ::CreateEventA(nullptr, TRUE, FALSE, nullptr);
  if (ov.hEvent == nullptr) return ::GetLastError();
  BOOL ok = write ? ::WriteFile(h, buf, n, nullptr, &ov) : ::ReadFile(h, buf, n, nullptr, &ov);
  DWORD err = ok ? 0 : ::GetLastError();
  if (ok || err == ERROR_IO_PENDING) {
    HANDLE events[2] = {ov.hEvent, cancel};
    DWORD w = ::WaitForMultipleObjects(cancel != nullptr ? 2 : 1, events, FALSE, timeout_ms);
    if (w != WAIT_OBJECT_0) ::CancelIo(h);  // CancelIo (not Ex): XP; this thread issued it
    err = ::GetOverlappedResult(h, &ov, &done, TRUE) ? 0 : ::GetLastError();
    if (w == WAIT_TIMEOUT && err == ERROR_OPERATION_ABORTED) err = ERROR_TIMEOUT;
  }
  ::CloseHandle(ov.hEvent);
  return err;
}

namespace {

std::string message(DWORD err) { return std::system_category().message(static_cast<int>(err)); }

// Milliseconds left until deadline (GetTickCount wraps every 49 days; the difference does not).
DWORD left(DWORD start, unsigned timeout_ms) {
  DWORD spent = ::GetTickCount() - start;
  return spent >= timeout_ms ? 0 : timeout_ms - spent;
}

HANDLE open_pipe(const std::string& name, const std::string& path, DWORD start, unsigned timeout_ms,
                 std::string& what) {
  for (;;) {
    HANDLE h = ::CreateFileA(name.c_str(), GENERIC_READ | GENERIC_WRITE, 0, nullptr, OPEN_EXISTING,
                             FILE_FLAG_OVERLAPPED | SECURITY_SQOS_PRESENT | SECURITY_IDENTIFICATION, nullptr);
    if (h != INVALID_HANDLE_VALUE) return h;
    DWORD err = ::GetLastError();
    if (err == ERROR_PIPE_BUSY && left(start, timeout_ms) > 0) {
      ::WaitNamedPipeA(name.c_str(), left(start, timeout_ms));
      continue;
    }
    if (err == ERROR_FILE_NOT_FOUND)
      what = "no control pipe " + name + " for " + path + ": is a server running with this state directory?";
    else if (err == ERROR_ACCESS_DENIED)
      what = "permission denied on " + name + ": run as an Administrator or as the server's account";
    else if (err == ERROR_PIPE_BUSY)
      what = "the control pipe " + name + " stayed busy";
    else
      what = "cannot connect to " + name + ": " + message(err);
    return INVALID_HANDLE_VALUE;
  }
}

}  // namespace

bool control_request(const std::string& path, const std::string& request, unsigned timeout_ms,
                     std::string& reply, std::string& what) {
  const std::string name = control_pipe_name(path);
  const DWORD start = ::GetTickCount();
  HANDLE h = open_pipe(name, path, start, timeout_ms, what);
  if (h == INVALID_HANDLE_VALUE) return false;
  std::string req = request;
  DWORD done = 0;
  DWORD err = pipe_transfer(h, true, &req[0], static_cast<DWORD>(req.size()), nullptr, left(start, timeout_ms), done);
  const std::size_t max_reply = 4u << 20;
  char buf[4096];
  while (err == 0 && reply.size() < max_reply) {
    err = pipe_transfer(h, false, buf, sizeof buf, nullptr, left(start, timeout_ms), done);
    if (err == 0) reply.append(buf, done);
  }
  ::CloseHandle(h);
  const bool ended = err == 0 || err == ERROR_BROKEN_PIPE || err == ERROR_PIPE_NOT_CONNECTED || err == ERROR_NO_DATA;
  if (ended && !reply.empty()) return true;
  what = "no reply from " + name + ": " +
         (ended ? std::string("the server closed the pipe") : err == ERROR_TIMEOUT ? std::string("timed out") : message(err));
  return false;
}

}  // namespace platform
}  // namespace tlsmux
