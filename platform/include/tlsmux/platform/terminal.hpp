// SPDX-License-Identifier: GPL-2.0-or-later
// The controlling terminal and blocking standard I/O, for the client commands: prompts go
// to the terminal, never to stdin/stdout, which may carry the tunnelled data.
#ifndef TLSMUX_PLATFORM_TERMINAL_HPP
#define TLSMUX_PLATFORM_TERMINAL_HPP

#include <cstddef>
#include <string>
#include <system_error>

namespace tlsmux {
namespace platform {

/// True when the process has a controlling terminal to prompt on.
bool have_terminal();
/// Writes prompt to the terminal and reads one line (without the newline). false: no TTY.
bool ask_terminal(const std::string& prompt, std::string& answer);

/// Blocking read from standard input; returns bytes read, 0 at EOF, -1 on error.
long read_stdin(void* buf, std::size_t n);
/// What standard input holds right now, without waiting: bytes read (at most n); 0 when
/// nothing is there yet, at its end, or where this cannot be known without blocking
/// (Windows). Not for a terminal.
std::size_t read_stdin_ready(void* buf, std::size_t n);
/// Blocking write of all n bytes to standard output; the error on failure:
/// std::errc::broken_pipe when the reader closed its end (`| head`), else what the OS said.
std::error_code write_stdout(const void* p, std::size_t n);
/// Closes standard output (the peer sees EOF).
void close_stdout();
/// Puts stdin and stdout into binary mode where the OS distinguishes text mode.
void binary_stdio();

}  // namespace platform
}  // namespace tlsmux

#endif
