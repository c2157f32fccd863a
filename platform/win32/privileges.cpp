// SPDX-License-Identifier: GPL-2.0-or-later
// Privileges for Windows: the service account replaces privilege dropping, so only the
// administrator check does real work.
#include <tlsmux/platform/privileges.hpp>

#include <winsock2.h>
#include <windows.h>

namespace tlsmux {
namespace platform {

std::error_code drop_privileges(const std::string& user, const std::string& group,
                                const std::string& chroot_dir, std::string& what) {
  if (user.empty() && group.empty() && chroot_dir.empty()) return std::error_code();
  // The service account (for example NT AUTHORITY\LocalService) takes the place of a
  // user switch, and there is no chroot.
  what = "user, group and chroot are not supported on Windows: choose the service account";
  return std::make_error_code(std::errc::not_supported);
}

bool is_privileged() {
  // Membership is checked on the effective token, so a UAC-filtered administrator (whose
  // Administrators entry is deny-only) is not privileged. Works on XP too.
  SID_IDENTIFIER_AUTHORITY nt = SECURITY_NT_AUTHORITY;
  PSID admins = nullptr;
  if (!::AllocateAndInitializeSid(&nt, 2, SECURITY_BUILTIN_DOMAIN_RID,
                                  DOMAIN_ALIAS_RID_ADMINS, 0, 0, 0, 0, 0, 0, &admins))
    return false;
  BOOL member = FALSE;
  if (!::CheckTokenMembership(nullptr, admins, &member)) member = FALSE;
  ::FreeSid(admins);
  return member != FALSE;
}

}  // namespace platform
}  // namespace tlsmux
