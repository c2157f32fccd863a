// SPDX-License-Identifier: GPL-2.0-or-later
// Small file helpers with the permissions a key store needs.
#ifndef TLSMUX_PLATFORM_FILES_HPP
#define TLSMUX_PLATFORM_FILES_HPP

#include <cstdio>
#include <string>
#include <system_error>

namespace tlsmux {
namespace platform {

/// Creates dir and missing parents; the last component with owner-only access (0700).
std::error_code make_private_dir(const std::string& dir);
/// Writes data to path atomically (temporary + rename) with owner-only access (0600).
std::error_code write_private_file(const std::string& path, const std::string& data);
/// Writes data to path atomically with mode 0644.
std::error_code write_file(const std::string& path, const std::string& data);
/// Reads a whole file.
std::error_code read_file(const std::string& path, std::string& data);
/// Opens path for appending log lines (binary, close-on-exec). On Windows the file is opened
/// with FILE_SHARE_DELETE, so that it can be renamed while open, as on POSIX, for rotation.
/// A new file is readable by its owner and group only (0640; Windows: the owner, SYSTEM and
/// Administrators); an existing file of ours that others may read loses those bits (it holds
/// failed user names, sometimes mistyped passwords). nullptr with errno set on failure.
std::FILE* open_log_file(const std::string& path);
/// Why an existing directory must not hold keys and state (OpenSSH's StrictModes): writable
/// by group or others, owned by neither this user, root nor the service user (`user =`, the
/// account the server drops to), or not a directory. Empty when
/// it is fine or does not exist. Windows: always empty (the ACLs of make_private_dir).
std::string unsafe_dir_reason(const std::string& dir, const std::string& service_user = std::string());
/// True when path exists.
bool file_exists(const std::string& path);
/// path made absolute against the current directory ("" stays ""), so files named in a
/// configuration are found again on reload after --daemon changed to "/".
std::string absolute_path(const std::string& path);
/// path made absolute against dir (itself absolute); an absolute path stays as it is.
std::string absolute_path_in(const std::string& dir, const std::string& path);
/// The directory part of a file's path ("." when it has none).
std::string directory_of(const std::string& path);
/// Joins a directory and a file name with the platform's separator.
std::string join_path(const std::string& dir, const std::string& name);
/// Whether stdin is a terminal (for trust-on-first-use prompts).
bool stdin_is_tty();
/// Reads a line from the terminal without echo (passwords). false when there is no TTY.
bool read_secret(const std::string& prompt, std::string& out);

}  // namespace platform
}  // namespace tlsmux

#endif
