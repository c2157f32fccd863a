// SPDX-License-Identifier: GPL-2.0-or-later
// shared_file for Windows: CreateFileW and LockFileEx over the whole file range.
#include <tlsmux/platform/file_lock.hpp>

#include <vector>

#include <winsock2.h>
#include <windows.h>

namespace tlsmux {
namespace platform {

namespace {

std::error_code last_error() {
  return std::error_code(static_cast<int>(::GetLastError()), std::system_category());
}

std::wstring wide(const std::string& s) {
  if (s.empty()) return std::wstring();
  const int n = ::MultiByteToWideChar(CP_UTF8, 0, s.data(), static_cast<int>(s.size()), nullptr, 0);
  std::wstring out(static_cast<std::size_t>(n > 0 ? n : 0), L'\0');
  if (n > 0) ::MultiByteToWideChar(CP_UTF8, 0, s.data(), static_cast<int>(s.size()), &out[0], n);
  return out;
}

HANDLE handle_of(long long h) { return reinterpret_cast<HANDLE>(static_cast<INT_PTR>(h)); }

}  // namespace

shared_file::~shared_file() { close(); }

std::error_code shared_file::open(const std::string& path) {
  close();
  // The state directory is already owner-only; the file inherits its ACL.
  HANDLE h = ::CreateFileW(wide(path).c_str(), GENERIC_READ | GENERIC_WRITE,
                           FILE_SHARE_READ | FILE_SHARE_WRITE, nullptr, OPEN_ALWAYS,
                           FILE_ATTRIBUTE_NORMAL, nullptr);
  if (h == INVALID_HANDLE_VALUE) return last_error();
  handle_ = static_cast<long long>(reinterpret_cast<INT_PTR>(h));
  return std::error_code();
}

std::error_code shared_file::lock() {
  if (handle_ < 0) return std::make_error_code(std::errc::bad_file_descriptor);
  OVERLAPPED ov = OVERLAPPED();
  if (!::LockFileEx(handle_of(handle_), LOCKFILE_EXCLUSIVE_LOCK, 0, MAXDWORD, MAXDWORD, &ov))
    return last_error();
  return std::error_code();
}

void shared_file::unlock() {
  if (handle_ < 0) return;
  OVERLAPPED ov = OVERLAPPED();
  ::UnlockFileEx(handle_of(handle_), 0, MAXDWORD, MAXDWORD, &ov);
}

std::error_code shared_file::read_all(std::string& out) {
  out.clear();
  if (handle_ < 0) return std::make_error_code(std::errc::bad_file_descriptor);
  HANDLE h = handle_of(handle_);
  if (::SetFilePointer(h, 0, nullptr, FILE_BEGIN) == INVALID_SET_FILE_POINTER) return last_error();
  std::vector<char> buf(4096);
  for (;;) {
    DWORD n = 0;
    if (!::ReadFile(h, buf.data(), static_cast<DWORD>(buf.size()), &n, nullptr)) return last_error();
    if (n == 0) return std::error_code();
    out.append(buf.data(), n);
  }
}

std::error_code shared_file::replace(const std::string& data) {
  if (handle_ < 0) return std::make_error_code(std::errc::bad_file_descriptor);
  HANDLE h = handle_of(handle_);
  if (::SetFilePointer(h, 0, nullptr, FILE_BEGIN) == INVALID_SET_FILE_POINTER || !::SetEndOfFile(h))
    return last_error();
  std::size_t done = 0;
  while (done < data.size()) {
    DWORD n = 0;
    if (!::WriteFile(h, data.data() + done, static_cast<DWORD>(data.size() - done), &n, nullptr))
      return last_error();
    done += n;
  }
  return std::error_code();
}

void shared_file::close() {
  if (handle_ < 0) return;
  ::CloseHandle(handle_of(handle_));  // releases the lock too
  handle_ = -1;
}

}  // namespace platform
}  // namespace tlsmux
