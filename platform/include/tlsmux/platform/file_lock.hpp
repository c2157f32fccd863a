// SPDX-License-Identifier: GPL-2.0-or-later
// A small file shared by processes under an exclusive lock: inetd-mode servers (one process
// per connection) keep their shared state in one, and the zero-config key generation takes
// one so that only one process makes the key pair. POSIX: fcntl() record locks; Windows:
// LockFileEx(). The lock is advisory: it binds only processes that take it.
#ifndef TLSMUX_PLATFORM_FILE_LOCK_HPP
#define TLSMUX_PLATFORM_FILE_LOCK_HPP

#include <string>
#include <system_error>

namespace tlsmux {
namespace platform {

/// A file kept open, locked around each use. Open it before dropping privileges or
/// entering a chroot: the descriptor keeps working after both.
class shared_file {
 public:
  shared_file() {}
  ~shared_file();
  shared_file(const shared_file&) = delete;
  shared_file& operator=(const shared_file&) = delete;

  /// Opens path (creating it with owner-only access, never following a symbolic link).
  std::error_code open(const std::string& path);
  bool is_open() const { return handle_ >= 0; }
  /// Waits until this process holds the exclusive lock.
  std::error_code lock();
  /// Releases the lock.
  void unlock();
  /// The whole content (lock first).
  std::error_code read_all(std::string& out);
  /// Replaces the content: truncate, then write from the start (lock first).
  std::error_code replace(const std::string& data);
  /// Closes (which also unlocks); done by the destructor.
  void close();

 private:
  long long handle_ = -1;  ///< a descriptor, or a Windows HANDLE as an integer
};

}  // namespace platform
}  // namespace tlsmux

#endif
