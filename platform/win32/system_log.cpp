// SPDX-License-Identifier: GPL-2.0-or-later
// The system log on Windows: the Application Event Log under a registered source.
#include <tlsmux/platform/system_log.hpp>

#include <winsock2.h>
#include <windows.h>

namespace tlsmux {
namespace platform {

namespace {

// The source handle; `tlsmux service install` registers the source name in the registry.
// Without that registration Event Viewer still shows the text, with a "description not
// found" preamble.
HANDLE event_source = nullptr;

WORD event_type(int severity) {
  switch (severity) {
    case 0: return EVENTLOG_ERROR_TYPE;
    case 1: return EVENTLOG_WARNING_TYPE;
    default: return EVENTLOG_INFORMATION_TYPE;
  }
}

}  // namespace

void system_log_open(const std::string& ident) {
  system_log_close();
  event_source = ::RegisterEventSourceA(nullptr, ident.c_str());
}

void system_log_write(int severity, const std::string& text) {
  if (event_source == nullptr) return;
  // The text is passed as an insertion string, never as a message format.
  LPCSTR strings[1] = {text.c_str()};
  WORD type = event_type(severity);
  DWORD event_id = static_cast<DWORD>(severity < 0 ? 0 : severity) + 1;
  ::ReportEventA(event_source, type, 0, event_id, nullptr, 1, 0, strings, nullptr);
}

void system_log_close() {
  if (event_source == nullptr) return;
  ::DeregisterEventSource(event_source);
  event_source = nullptr;
}

}  // namespace platform
}  // namespace tlsmux
