// SPDX-License-Identifier: GPL-2.0-or-later
// Windows console prompts (CONIN$/CONOUT$) and blocking stdio for `tlsmux connect`.
#include "tlsmux/platform/terminal.hpp"

#include <cerrno>
#include <fcntl.h>
#include <io.h>
#include <stdio.h>
#include <windows.h>

namespace tlsmux {
namespace platform {

bool have_terminal() {
  HANDLE in = CreateFileA("CONIN$", GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
  if (in == INVALID_HANDLE_VALUE) return false;
  CloseHandle(in);
  return true;
}

bool ask_terminal(const std::string& prompt, std::string& answer) {
  HANDLE in = CreateFileA("CONIN$", GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
  HANDLE out = CreateFileA("CONOUT$", GENERIC_WRITE, FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0, NULL);
  if (in == INVALID_HANDLE_VALUE || out == INVALID_HANDLE_VALUE) {
    if (in != INVALID_HANDLE_VALUE) CloseHandle(in);
    if (out != INVALID_HANDLE_VALUE) CloseHandle(out);
    return false;
  }
  DWORD n = 0;
  WriteFile(out, prompt.data(), static_cast<DWORD>(prompt.size()), &n, NULL);
  answer.clear();
  char c = 0;
  while (ReadFile(in, &c, 1, &n, NULL) && n == 1 && c != '\n')
    if (c != '\r') answer.push_back(c);
  CloseHandle(in);
  CloseHandle(out);
  return true;
}

long read_stdin(void* buf, std::size_t n) {
  int got = _read(0, buf, static_cast<unsigned>(n));
  return got;
}

// A pipe could be peeked (PeekNamedPipe), a console or file not portably: no first bytes.
std::size_t read_stdin_ready(void*, std::size_t) { return 0; }

std::error_code write_stdout(const void* p, std::size_t n) {
  const char* c = static_cast<const char*>(p);
  while (n > 0) {
    int put = _write(1, c, static_cast<unsigned>(n));
    // The CRT maps a pipe whose reader is gone (ERROR_NO_DATA, ERROR_BROKEN_PIPE) to EPIPE.
    if (put < 0) return std::error_code(errno, std::generic_category());
    if (put == 0) return std::make_error_code(std::errc::io_error);
    c += put;
    n -= static_cast<std::size_t>(put);
  }
  return std::error_code();
}

void close_stdout() { _close(1); }

void binary_stdio() {
  _setmode(0, _O_BINARY);
  _setmode(1, _O_BINARY);
}

}  // namespace platform
}  // namespace tlsmux
