// SPDX-License-Identifier: GPL-2.0-or-later
// File helpers for Windows: owner-only ACLs, atomic replacement, console prompts.
#include <tlsmux/platform/files.hpp>

#include "atomic_file.hpp"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include <winsock2.h>
#include <windows.h>
#include <fcntl.h>
#include <io.h>
#include <sddl.h>

namespace tlsmux {
namespace platform {

namespace {

std::error_code last_error() {
  return std::error_code(static_cast<int>(::GetLastError()), std::system_category());
}

/// The current user's SID as an SDDL string ("S-1-5-21-..."), empty on failure.
std::string user_sid() {
  HANDLE token = nullptr;
  if (!::OpenProcessToken(::GetCurrentProcess(), TOKEN_QUERY, &token)) return std::string();
  DWORD size = 0;
  ::GetTokenInformation(token, TokenUser, nullptr, 0, &size);
  std::vector<ULONGLONG> buf(size / sizeof(ULONGLONG) + 1);
  std::string result;
  if (size != 0 && ::GetTokenInformation(token, TokenUser, buf.data(), size, &size)) {
    LPSTR text = nullptr;
    if (::ConvertSidToStringSidA(reinterpret_cast<TOKEN_USER*>(buf.data())->User.Sid, &text)) {
      result = text;
      ::LocalFree(text);
    }
  }
  ::CloseHandle(token);
  return result;
}

/// A security descriptor granting full access to the current user, SYSTEM and the
/// Administrators group only (the Windows reading of 0600 / 0700), protected from
/// inheriting the parent's ACL.
class private_security {
 public:
  explicit private_security(bool directory) : sd_(nullptr) {
    attributes_.nLength = sizeof attributes_;
    attributes_.lpSecurityDescriptor = nullptr;
    attributes_.bInheritHandle = FALSE;
    std::string sid = user_sid();
    if (sid.empty()) return;
    const char* inherit = directory ? "OICI" : "";
    std::string sddl = std::string("D:P(A;") + inherit + ";FA;;;" + sid + ")(A;" + inherit +
                       ";FA;;;SY)(A;" + inherit + ";FA;;;BA)";
    if (::ConvertStringSecurityDescriptorToSecurityDescriptorA(sddl.c_str(), SDDL_REVISION_1,
                                                               &sd_, nullptr)) {
      attributes_.lpSecurityDescriptor = sd_;
    }
  }
  ~private_security() {
    if (sd_ != nullptr) ::LocalFree(sd_);
  }
  /// nullptr when the descriptor could not be built (the caller fails closed).
  SECURITY_ATTRIBUTES* get() { return sd_ != nullptr ? &attributes_ : nullptr; }

 private:
  private_security(const private_security&);
  private_security& operator=(const private_security&);
  PSECURITY_DESCRIPTOR sd_;
  SECURITY_ATTRIBUTES attributes_;
};

bool is_separator(char c) { return c == '\\' || c == '/'; }

bool is_directory(const std::string& path) {
  DWORD attributes = ::GetFileAttributesA(path.c_str());
  return attributes != INVALID_FILE_ATTRIBUTES && (attributes & FILE_ATTRIBUTE_DIRECTORY) != 0;
}

std::error_code write_all(HANDLE h, const std::string& data) {
  std::size_t done = 0;
  while (done < data.size()) {
    DWORD chunk = static_cast<DWORD>(data.size() - done > 1u << 30 ? 1u << 30 : data.size() - done);
    DWORD written = 0;
    if (!::WriteFile(h, data.data() + done, chunk, &written, nullptr)) return last_error();
    done += written;
  }
  return std::error_code();
}

}  // namespace

namespace detail {

std::error_code write_atomic(const std::string& path, const std::string& data, bool owner_only,
                             std::string& what) {
  std::string tmp = path + ".tmp." + std::to_string(static_cast<unsigned long>(
                                         ::GetCurrentProcessId()));
  private_security security(false);
  if (owner_only && security.get() == nullptr) {
    std::error_code ec = last_error();
    what = "ConvertStringSecurityDescriptorToSecurityDescriptor() failed";
    return ec ? ec : std::make_error_code(std::errc::permission_denied);
  }
  // A leftover temporary would keep its old ACL under CREATE_ALWAYS; start from nothing.
  ::DeleteFileA(tmp.c_str());
  HANDLE h = ::CreateFileA(tmp.c_str(), GENERIC_WRITE, 0, owner_only ? security.get() : nullptr,
                           CREATE_NEW, FILE_ATTRIBUTE_NORMAL, nullptr);
  if (h == INVALID_HANDLE_VALUE) {
    std::error_code ec = last_error();
    what = "CreateFile(" + tmp + ") failed";
    return ec;
  }
  std::error_code ec = write_all(h, data);
  if (ec) {
    what = "WriteFile(" + tmp + ") failed";
  } else if (!::FlushFileBuffers(h)) {
    ec = last_error();
    what = "FlushFileBuffers(" + tmp + ") failed";
  }
  ::CloseHandle(h);
  // MoveFileEx keeps the temporary's ACL, so a private file stays private after the move.
  if (!ec && !::MoveFileExA(tmp.c_str(), path.c_str(),
                            MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH)) {
    ec = last_error();
    what = "MoveFileEx(" + tmp + ", " + path + ") failed";
  }
  if (ec) ::DeleteFileA(tmp.c_str());
  return ec;
}

}  // namespace detail

std::error_code make_private_dir(const std::string& dir) {
  std::string last = dir;
  while (last.size() > 1 && is_separator(last[last.size() - 1])) last.erase(last.size() - 1);
  if (last.empty()) return std::make_error_code(std::errc::invalid_argument);
  // Parents are created with default ACLs. Failures are ignored here: drive letters and
  // UNC "\\server\share" prefixes cannot be created, and a parent that is really missing
  // makes the last CreateDirectory fail with ERROR_PATH_NOT_FOUND.
  for (std::size_t pos = 1; pos < last.size(); ++pos) {
    if (!is_separator(last[pos]) || is_separator(last[pos - 1]) || last[pos - 1] == ':') continue;
    ::CreateDirectoryA(last.substr(0, pos).c_str(), nullptr);
  }
  private_security security(true);
  if (security.get() == nullptr) return std::make_error_code(std::errc::permission_denied);
  if (::CreateDirectoryA(last.c_str(), security.get())) return std::error_code();
  DWORD err = ::GetLastError();
  if (err == ERROR_ALREADY_EXISTS) {
    return is_directory(last) ? std::error_code()
                              : std::make_error_code(std::errc::not_a_directory);
  }
  return std::error_code(static_cast<int>(err), std::system_category());
}

std::error_code write_private_file(const std::string& path, const std::string& data) {
  std::string what;
  return detail::write_atomic(path, data, true, what);
}

std::error_code write_file(const std::string& path, const std::string& data) {
  std::string what;
  return detail::write_atomic(path, data, false, what);
}

std::error_code read_file(const std::string& path, std::string& data) {
  data.clear();
  HANDLE h = ::CreateFileA(path.c_str(), GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE,
                           nullptr, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, nullptr);
  if (h == INVALID_HANDLE_VALUE) return last_error();
  char buf[8192];
  std::error_code ec;
  for (;;) {
    DWORD n = 0;
    if (!::ReadFile(h, buf, sizeof buf, &n, nullptr)) {
      ec = last_error();
      break;
    }
    if (n == 0) break;
    data.append(buf, n);
  }
  ::CloseHandle(h);
  return ec;
}

bool file_exists(const std::string& path) {
  return ::GetFileAttributesA(path.c_str()) != INVALID_FILE_ATTRIBUTES;
}

std::string join_path(const std::string& dir, const std::string& name) {
  if (dir.empty()) return name;
  if (is_separator(dir[dir.size() - 1])) return dir + name;
  return dir + "\\" + name;
}

bool stdin_is_tty() { return ::_isatty(::_fileno(stdin)) != 0; }

bool read_secret(const std::string& prompt, std::string& out) {
  out.clear();
  // CONIN$/CONOUT$ reach the console even when stdin or stdout are redirected.
  HANDLE in = ::CreateFileA("CONIN$", GENERIC_READ | GENERIC_WRITE,
                            FILE_SHARE_READ | FILE_SHARE_WRITE, nullptr, OPEN_EXISTING, 0,
                            nullptr);
  if (in == INVALID_HANDLE_VALUE) return false;
  HANDLE con = ::CreateFileA("CONOUT$", GENERIC_READ | GENERIC_WRITE,
                             FILE_SHARE_READ | FILE_SHARE_WRITE, nullptr, OPEN_EXISTING, 0,
                             nullptr);
  DWORD saved = 0;
  if (!::GetConsoleMode(in, &saved)) {
    ::CloseHandle(in);
    if (con != INVALID_HANDLE_VALUE) ::CloseHandle(con);
    return false;
  }
  ::SetConsoleMode(in, (saved & ~static_cast<DWORD>(ENABLE_ECHO_INPUT)) | ENABLE_LINE_INPUT);
  DWORD n = 0;
  if (con != INVALID_HANDLE_VALUE)
    ::WriteConsoleA(con, prompt.data(), static_cast<DWORD>(prompt.size()), &n, nullptr);
  bool got_line = false;
  char c = 0;
  while (::ReadConsoleA(in, &c, 1, &n, nullptr) && n == 1) {
    if (c == '\n') {
      got_line = true;
      break;
    }
    if (c != '\r' && out.size() < 4096) out.push_back(c);
  }
  ::SetConsoleMode(in, saved);
  if (con != INVALID_HANDLE_VALUE) {
    ::WriteConsoleA(con, "\r\n", 2, &n, nullptr);  // echo was off, so end the prompt line
    ::CloseHandle(con);
  }
  ::CloseHandle(in);
  return got_line || !out.empty();
}

std::string absolute_path(const std::string& path) {
  if (path.empty()) return path;
  char full[MAX_PATH];
  if (!_fullpath(full, path.c_str(), sizeof full)) return path;
  return full;
}

std::string absolute_path_in(const std::string& dir, const std::string& path) {
  if (path.empty()) return path;
  bool absolute = is_separator(path[0]) || (path.size() > 1 && path[1] == ':');
  return absolute_path(absolute ? path : join_path(dir, path));
}

std::string directory_of(const std::string& path) {
  std::string::size_type sep = path.find_last_of("/\\");
  if (sep == std::string::npos) return path.size() > 1 && path[1] == ':' ? path.substr(0, 2) : ".";
  return path.substr(0, sep == 0 || (sep == 2 && path[1] == ':') ? sep + 1 : sep);
}

std::FILE* open_log_file(const std::string& path) {
  // A new file gets the owner-only ACL of the key files; an existing one keeps its own.
  private_security security(false);
  HANDLE h = ::CreateFileA(path.c_str(), FILE_APPEND_DATA,
                           FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, security.get(),
                           OPEN_ALWAYS, FILE_ATTRIBUTE_NORMAL, nullptr);
  if (h == INVALID_HANDLE_VALUE) {
    errno = ::GetLastError() == ERROR_ACCESS_DENIED ? EACCES : ENOENT;
    return nullptr;
  }
  int fd = ::_open_osfhandle(reinterpret_cast<intptr_t>(h), _O_APPEND | _O_BINARY);
  if (fd < 0) {
    ::CloseHandle(h);
    return nullptr;
  }
  std::FILE* f = ::_fdopen(fd, "ab");
  if (f == nullptr) ::_close(fd);
  return f;
}

std::string unsafe_dir_reason(const std::string&, const std::string&) { return std::string(); }

}  // namespace platform
}  // namespace tlsmux
