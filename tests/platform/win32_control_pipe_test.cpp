// SPDX-License-Identifier: GPL-2.0-or-later
// Windows: the control pipe's DACL is what the Unix socket's mode 0600 is on POSIX: SYSTEM,
// Administrators and the server's own account may connect; network logons are denied; nobody
// else (Everyone, Authenticated Users, Users) is listed.
#include "scratch.hpp"

#include <tlsmux/platform/control_socket.hpp>

#include <asio/io_context.hpp>

#include <string>
#include <vector>

#include <CppUTest/TestHarness.h>

#include <winsock2.h>
#include <windows.h>
#include <aclapi.h>
#include <sddl.h>

using namespace tlsmux;

namespace {

std::string own_sid() {
  HANDLE token = nullptr;
  std::vector<char> info(256);
  DWORD len = 0;
  char* text = nullptr;
  std::string sid;
  if (::OpenProcessToken(::GetCurrentProcess(), TOKEN_QUERY, &token) &&
      ::GetTokenInformation(token, TokenUser, info.data(), static_cast<DWORD>(info.size()), &len) &&
      ::ConvertSidToStringSidA(reinterpret_cast<TOKEN_USER*>(info.data())->User.Sid, &text)) {
    sid = text;
    ::LocalFree(text);
  }
  if (token != nullptr) ::CloseHandle(token);
  return sid;
}

std::string pipe_dacl(const std::string& pipe) {
  HANDLE h = ::CreateFileA(pipe.c_str(), READ_CONTROL, 0, nullptr, OPEN_EXISTING, 0, nullptr);
  if (h == INVALID_HANDLE_VALUE) return "CreateFile failed: " + std::to_string(::GetLastError());
  PSECURITY_DESCRIPTOR sd = nullptr;
  std::string out = "GetSecurityInfo failed";
  if (::GetSecurityInfo(h, SE_KERNEL_OBJECT, DACL_SECURITY_INFORMATION, nullptr, nullptr, nullptr, nullptr, &sd) ==
      ERROR_SUCCESS) {
    char* text = nullptr;
    if (::ConvertSecurityDescriptorToStringSecurityDescriptorA(sd, SDDL_REVISION_1, DACL_SECURITY_INFORMATION, &text,
                                                               nullptr)) {
      out = text;
      ::LocalFree(text);
    }
    ::LocalFree(sd);
  }
  ::CloseHandle(h);
  return out;
}

}  // namespace

TEST_GROUP(win32_control_pipe){};

TEST(win32_control_pipe, dacl_admits_system_administrators_and_the_server_account_only) {
  const std::string path = test::scratch_path("control_acl");
  asio::io_context io;
  platform::control_listener listener(io);
  std::string what;
  CHECK_TRUE_TEXT(listener.open(path, "", what), what.c_str());
  const std::string dacl = pipe_dacl(platform::control_endpoint(path));
  listener.close();
  const std::string sid = own_sid();
  CHECK_FALSE(sid.empty());
  CHECK_TEXT(dacl.compare(0, 3, "D:P") == 0, dacl.c_str());  // protected: nothing inherited
  CHECK_TEXT(dacl.find(";;;NU)") != std::string::npos && dacl.find("(D;") != std::string::npos, dacl.c_str());
  CHECK_TEXT(dacl.find(";;;SY)") != std::string::npos, dacl.c_str());
  CHECK_TEXT(dacl.find(";;;BA)") != std::string::npos, dacl.c_str());
  CHECK_TEXT(dacl.find(";;;" + sid + ")") != std::string::npos, dacl.c_str());
  const char* const others[] = {";;;WD)", ";;;AU)", ";;;BU)", ";;;IU)", ";;;AN)"};
  for (std::size_t i = 0; i < sizeof others / sizeof others[0]; ++i)
    CHECK_TEXT(dacl.find(others[i]) == std::string::npos, dacl.c_str());
}

TEST(win32_control_pipe, pipe_name_is_the_same_for_every_spelling_of_the_state_directory) {
  STRCMP_EQUAL(platform::control_endpoint("C:\\ProgramData\\tlsmux\\control").c_str(),
               platform::control_endpoint("c:/programdata/TLSMUX/control").c_str());
  CHECK(platform::control_endpoint("C:\\a\\control") != platform::control_endpoint("C:\\b\\control"));
  STRCMP_CONTAINS("\\\\.\\pipe\\tlsmux-control-", platform::control_endpoint("C:\\a\\control").c_str());
}
