// SPDX-License-Identifier: GPL-2.0-or-later
// Privileges for POSIX: chroot, supplementary groups, setgid and setuid, checked for good.
#include "tlsmux_config.h"

#include <tlsmux/platform/privileges.hpp>

#include "failed_call.hpp"

#include <cerrno>
#include <vector>

#include <grp.h>
#include <pwd.h>
#include <sys/types.h>
#include <unistd.h>

namespace tlsmux {
namespace platform {

using detail::failed;

namespace {

/// Parses a decimal user or group id ("65534"); false for names.
bool parse_id(const std::string& text, unsigned long& id) {
  if (text.empty() || text.size() > 9) return false;
  id = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    id = id * 10 + static_cast<unsigned long>(text[i] - '0');
  }
  return true;
}

std::error_code not_found(const std::string& call, std::string& what) {
  what = call + " found no such entry";
  return std::make_error_code(std::errc::invalid_argument);
}

/// Resolves user (name or id) to uid and its primary group; the name is kept for
/// initgroups(). Names are resolved before chroot, where /etc/passwd may not exist.
std::error_code find_user(const std::string& user, uid_t& uid, gid_t& gid, std::string& name,
                          std::string& what) {
  unsigned long id = 0;
  struct passwd* pw = parse_id(user, id) ? ::getpwuid(static_cast<uid_t>(id))
                                         : ::getpwnam(user.c_str());
  if (pw != nullptr) {
    uid = pw->pw_uid;
    gid = pw->pw_gid;
    name = pw->pw_name;
    return std::error_code();
  }
  if (!parse_id(user, id)) return not_found("getpwnam(" + user + ")", what);
  uid = static_cast<uid_t>(id);  // a bare id without a passwd entry keeps its group
  gid = static_cast<gid_t>(id);
  return std::error_code();
}

std::error_code find_group(const std::string& group, gid_t& gid, std::string& what) {
  unsigned long id = 0;
  if (parse_id(group, id)) {
    gid = static_cast<gid_t>(id);
    return std::error_code();
  }
  struct group* gr = ::getgrnam(group.c_str());
  if (gr == nullptr) return not_found("getgrnam(" + group + ")", what);
  gid = gr->gr_gid;
  return std::error_code();
}

/// Sets the supplementary groups: the user's from the group database, or gid alone.
std::error_code set_groups(const std::string& name, gid_t gid, std::string& what) {
#ifdef TLSMUX_HAVE_INITGROUPS
  if (!name.empty()) {
    if (::initgroups(name.c_str(), gid) != 0) {
      int err = errno;
      return failed(err, "initgroups(" + name + ", " + std::to_string(static_cast<long>(gid)) + ")",
                    what);
    }
    return std::error_code();
  }
#else
  (void)name;
#endif
  if (::setgroups(1, &gid) != 0) {
    int err = errno;
    return failed(err, "setgroups(1, " + std::to_string(static_cast<long>(gid)) + ")", what);
  }
  return std::error_code();
}

/// Proves the supplementary groups took effect: the list must hold gid. A user-mode emulator
/// that mistranslates setgroups() (qemu-sparc64 7.2 reads 16-bit ids and sets group 0 for
/// 65534) would otherwise leave the "dropped" daemon in root's group.
std::error_code verify_groups(gid_t gid, std::string& what) {
  int n = ::getgroups(0, nullptr);
  std::vector<gid_t> groups(n > 0 ? static_cast<std::size_t>(n) : 1, static_cast<gid_t>(-1));
  if (n > 0) n = ::getgroups(n, groups.data());
  for (int i = 0; i < n; ++i)
    if (groups[static_cast<std::size_t>(i)] == gid) return std::error_code();
  what = "setgroups() did not take effect: the supplementary groups lack " +
         std::to_string(static_cast<long>(gid));
  return std::make_error_code(std::errc::operation_not_permitted);
}

/// Proves a dropped process cannot become root again (saved set-user-id traps).
std::error_code verify_dropped(uid_t uid, std::string& what) {
  if (uid == 0) return std::error_code();
  if (::setuid(0) == 0 || ::seteuid(0) == 0 || ::getuid() != uid || ::geteuid() != uid) {
    what = "setuid(0) succeeded after dropping privileges";
    return std::make_error_code(std::errc::operation_not_permitted);
  }
  return std::error_code();
}

}  // namespace

std::error_code drop_privileges(const std::string& user, const std::string& group,
                                const std::string& chroot_dir, std::string& what) {
  uid_t uid = 0;
  gid_t gid = 0;
  std::string name;
  std::error_code ec;
  if (!user.empty() && (ec = find_user(user, uid, gid, name, what))) return ec;
  if (!group.empty() && (ec = find_group(group, gid, what))) return ec;
  bool change_ids = !user.empty() || !group.empty();
  // Already that user and group without privileges (a systemd unit with User=, started by a
  // service manager that set the groups): nothing to drop, and nothing could be changed.
  if (change_ids && chroot_dir.empty() && !is_privileged() &&
      (user.empty() || uid == ::getuid()) && gid == ::getgid() && ::getegid() == gid)
    return std::error_code();
  // Supplementary groups are set before chroot because initgroups() reads /etc/group,
  // which the chroot directory usually lacks. They give no way out of the chroot.
  if (change_ids && ((ec = set_groups(name, gid, what)) || (ec = verify_groups(gid, what))))
    return ec;
  if (!chroot_dir.empty()) {
    if (::chroot(chroot_dir.c_str()) != 0) {
      int err = errno;
      return failed(err, "chroot(" + chroot_dir + ")", what);
    }
    if (::chdir("/") != 0) return failed(errno, "chdir(/)", what);
  }
  // Group first: after setuid() the process may no longer change its group.
  if (change_ids && ::setgid(gid) != 0) {
    int err = errno;
    return failed(err, "setgid(" + std::to_string(static_cast<long>(gid)) + ")", what);
  }
  if (user.empty()) return std::error_code();
  if (::setuid(uid) != 0) {
    int err = errno;
    return failed(err, "setuid(" + std::to_string(static_cast<long>(uid)) + ")", what);
  }
  return verify_dropped(uid, what);
}

bool is_privileged() { return ::geteuid() == 0; }

}  // namespace platform
}  // namespace tlsmux
