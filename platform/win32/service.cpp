// SPDX-License-Identifier: GPL-2.0-or-later
// The Windows service: ServiceMain with start/stop-pending checkpoints, the control handler,
// and the Service Control Manager calls behind `tlsmux service install|start|stop|...`.
#include "tlsmux/platform/service.hpp"

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include <winsock2.h>
#include <windows.h>

namespace tlsmux {
namespace platform {

namespace {

const DWORD control_status = 128;      // user-defined control: log the session list
const DWORD pending_wait_hint = 5000;  // ms; the checkpoint moves every second
const char* const event_log_key = "SYSTEM\\CurrentControlSet\\Services\\EventLog\\Application\\";

std::error_code last_error(std::string& what, const std::string& call) {
  what = call + " failed";
  return std::error_code(static_cast<int>(::GetLastError()), std::system_category());
}

// ---- the running service (one per process) ----

struct running_service {
  std::string name;
  service_handler* handler = nullptr;
  SERVICE_STATUS_HANDLE handle = nullptr;
  SERVICE_STATUS status;
  int exit_code = 0;
  std::mutex mutex;
  std::condition_variable wake;
  bool ticking = false;
};
running_service service;

// Callers hold service.mutex.
void set_status_locked(DWORD state, int exit_code) {
  SERVICE_STATUS& s = service.status;
  s.dwServiceType = SERVICE_WIN32_OWN_PROCESS;
  s.dwCurrentState = state;
  s.dwControlsAccepted = state == SERVICE_RUNNING
                             ? SERVICE_ACCEPT_STOP | SERVICE_ACCEPT_SHUTDOWN | SERVICE_ACCEPT_PARAMCHANGE
                             : 0;
  s.dwWin32ExitCode = exit_code == 0 ? NO_ERROR : ERROR_SERVICE_SPECIFIC_ERROR;
  s.dwServiceSpecificExitCode = static_cast<DWORD>(exit_code);
  bool pending = state == SERVICE_START_PENDING || state == SERVICE_STOP_PENDING;
  s.dwCheckPoint = pending ? 1 : 0;
  s.dwWaitHint = pending ? pending_wait_hint : 0;
  if (service.handle != nullptr) ::SetServiceStatus(service.handle, &s);
}

void set_status(DWORD state, int exit_code) {
  std::lock_guard<std::mutex> lock(service.mutex);
  // A late RUNNING must not undo a STOP_PENDING that a stop request already reported.
  if (state == SERVICE_RUNNING && service.status.dwCurrentState == SERVICE_STOP_PENDING) return;
  set_status_locked(state, exit_code);
}

// Advances the checkpoint every second while start or stop is pending, so the SCM sees
// progress during start-up (certificate generation) and during the drain of sessions.
void tick_checkpoints() {
  std::unique_lock<std::mutex> lock(service.mutex);
  while (service.ticking) {
    service.wake.wait_for(lock, std::chrono::seconds(1));
    DWORD state = service.status.dwCurrentState;
    if (service.ticking && (state == SERVICE_START_PENDING || state == SERVICE_STOP_PENDING)) {
      ++service.status.dwCheckPoint;
      ::SetServiceStatus(service.handle, &service.status);
    }
  }
}

DWORD WINAPI control_handler(DWORD code, DWORD, LPVOID, LPVOID) {
  switch (code) {
    case SERVICE_CONTROL_STOP:
    case SERVICE_CONTROL_SHUTDOWN:
      set_status(SERVICE_STOP_PENDING, 0);
      service.handler->on_control(control::stop);
      return NO_ERROR;
    case SERVICE_CONTROL_PARAMCHANGE:
      service.handler->on_control(control::reload);
      return NO_ERROR;
    case control_status:
      service.handler->on_control(control::status);
      return NO_ERROR;
    case SERVICE_CONTROL_INTERROGATE:
      return NO_ERROR;
    default:
      return ERROR_CALL_NOT_IMPLEMENTED;
  }
}

void WINAPI service_main(DWORD, LPSTR*) {
  service.handle = ::RegisterServiceCtrlHandlerExA(service.name.c_str(), control_handler, nullptr);
  if (service.handle == nullptr) {
    service.exit_code = 1;
    return;
  }
  set_status(SERVICE_START_PENDING, 0);
  {
    std::lock_guard<std::mutex> lock(service.mutex);
    service.ticking = true;
  }
  std::thread ticker(tick_checkpoints);
  int code = service.handler->run();
  {
    std::lock_guard<std::mutex> lock(service.mutex);
    service.ticking = false;
  }
  service.wake.notify_all();
  ticker.join();
  service.exit_code = code;
  set_status(SERVICE_STOPPED, code);  // the last call: the SCM may end the process after it
}

// ---- the Service Control Manager, for the management commands ----

/// An SCM or service handle, closed on scope exit.
class sc_handle {
 public:
  explicit sc_handle(SC_HANDLE h) : h_(h) {}
  ~sc_handle() {
    if (h_ != nullptr) ::CloseServiceHandle(h_);
  }
  SC_HANDLE get() const { return h_; }

 private:
  sc_handle(const sc_handle&);
  sc_handle& operator=(const sc_handle&);
  SC_HANDLE h_;
};

/// Opens service name with access; on failure returns null with ec and what set.
SC_HANDLE open_service(const std::string& name, DWORD access, std::error_code& ec,
                       std::string& what) {
  sc_handle scm(::OpenSCManagerA(nullptr, nullptr, SC_MANAGER_CONNECT));
  if (scm.get() == nullptr) {
    ec = last_error(what, "OpenSCManager");
    return nullptr;
  }
  SC_HANDLE svc = ::OpenServiceA(scm.get(), name.c_str(), access);
  if (svc == nullptr) ec = last_error(what, "OpenService(" + name + ")");
  return svc;
}

bool query(SC_HANDLE svc, SERVICE_STATUS_PROCESS& out) {
  DWORD needed = 0;
  return ::QueryServiceStatusEx(svc, SC_STATUS_PROCESS_INFO, reinterpret_cast<LPBYTE>(&out),
                                sizeof out, &needed) != FALSE;
}

/// Polls until the service leaves pending_state or max_seconds pass; true when it reached want.
bool wait_for(SC_HANDLE svc, DWORD pending_state, DWORD want, int max_seconds,
              SERVICE_STATUS_PROCESS& st) {
  for (int i = 0; i < max_seconds * 4; ++i) {
    if (!query(svc, st)) return false;
    if (st.dwCurrentState == want) return true;
    // A stop request is still RUNNING until the handler has reported STOP_PENDING.
    bool not_yet = pending_state == SERVICE_STOP_PENDING && st.dwCurrentState == SERVICE_RUNNING;
    if (st.dwCurrentState != pending_state && !not_yet) return false;
    ::Sleep(250);
  }
  return false;
}

/// Quotes one argument so that the C runtime's command-line parser gives it back unchanged.
std::string quote_arg(const std::string& arg) {
  if (!arg.empty() && arg.find_first_of(" \t\"") == std::string::npos) return arg;
  std::string out = "\"";
  std::size_t backslashes = 0;
  for (std::size_t i = 0; i < arg.size(); ++i) {
    if (arg[i] == '\\') {
      ++backslashes;
      continue;
    }
    out.append(arg[i] == '"' ? backslashes * 2 + 1 : backslashes, '\\');
    backslashes = 0;
    out += arg[i];
  }
  out.append(backslashes * 2, '\\');
  return out + "\"";
}

std::string state_name(DWORD state) {
  switch (state) {
    case SERVICE_STOPPED: return "stopped";
    case SERVICE_START_PENDING: return "start pending";
    case SERVICE_STOP_PENDING: return "stop pending";
    case SERVICE_RUNNING: return "running";
    case SERVICE_CONTINUE_PENDING: return "continue pending";
    case SERVICE_PAUSE_PENDING: return "pause pending";
    case SERVICE_PAUSED: return "paused";
    default: return "unknown";
  }
}

std::error_code exit_error(const SERVICE_STATUS_PROCESS& st, std::string& what) {
  what = "the service is " + state_name(st.dwCurrentState);
  if (st.dwWin32ExitCode == ERROR_SERVICE_SPECIFIC_ERROR)
    what += " (tlsmux exit code " + std::to_string(st.dwServiceSpecificExitCode) + "; see its log)";
  return std::make_error_code(std::errc::operation_canceled);
}

/// Registers name as an event log source of the Application log; exe holds the message
/// table (tlsmux_messages.mc) that Event Viewer formats the events with.
void register_event_source(const std::string& name, const std::string& exe) {
  HKEY key = nullptr;
  std::string path = event_log_key + name;
  if (::RegCreateKeyExA(HKEY_LOCAL_MACHINE, path.c_str(), 0, nullptr, 0, KEY_SET_VALUE, nullptr,
                        &key, nullptr) != ERROR_SUCCESS)
    return;
  DWORD types = EVENTLOG_ERROR_TYPE | EVENTLOG_WARNING_TYPE | EVENTLOG_INFORMATION_TYPE;
  ::RegSetValueExA(key, "EventMessageFile", 0, REG_EXPAND_SZ,
                   reinterpret_cast<const BYTE*>(exe.c_str()), static_cast<DWORD>(exe.size() + 1));
  ::RegSetValueExA(key, "TypesSupported", 0, REG_DWORD, reinterpret_cast<const BYTE*>(&types),
                   sizeof types);
  ::RegCloseKey(key);
}

}  // namespace

bool service_supported() { return true; }

bool service_dispatch(const std::string& name, service_handler& h, int& exit_code,
                      std::string& what) {
  service.name = name;
  service.handler = &h;
  std::vector<char> table_name(name.begin(), name.end());
  table_name.push_back('\0');
  SERVICE_TABLE_ENTRYA table[2] = {{table_name.data(), service_main}, {nullptr, nullptr}};
  if (!::StartServiceCtrlDispatcherA(table)) {
    bool not_scm = ::GetLastError() == ERROR_FAILED_SERVICE_CONTROLLER_CONNECT;
    last_error(what, "StartServiceCtrlDispatcher");
    if (not_scm) what = "not started by the service control manager: use `tlsmux service start`";
    return false;
  }
  exit_code = service.exit_code;
  return true;
}

void service_running() { set_status(SERVICE_RUNNING, 0); }

std::error_code service_install(const service_definition& def, std::string& what) {
  char exe[MAX_PATH];
  DWORD n = ::GetModuleFileNameA(nullptr, exe, sizeof exe);
  if (n == 0 || n >= sizeof exe) return last_error(what, "GetModuleFileName");
  std::string command = quote_arg(exe);
  for (std::size_t i = 0; i < def.args.size(); ++i) command += " " + quote_arg(def.args[i]);
  sc_handle scm(::OpenSCManagerA(nullptr, nullptr, SC_MANAGER_CREATE_SERVICE));
  if (scm.get() == nullptr) return last_error(what, "OpenSCManager (administrator rights?)");
  sc_handle svc(::CreateServiceA(scm.get(), def.name.c_str(), def.display_name.c_str(),
                                 SERVICE_ALL_ACCESS, SERVICE_WIN32_OWN_PROCESS, SERVICE_AUTO_START,
                                 SERVICE_ERROR_NORMAL, command.c_str(), nullptr, nullptr, nullptr,
                                 nullptr, nullptr));
  if (svc.get() == nullptr) return last_error(what, "CreateService(" + def.name + ")");
  std::vector<char> text(def.description.begin(), def.description.end());
  text.push_back('\0');
  SERVICE_DESCRIPTIONA description;
  description.lpDescription = text.data();
  ::ChangeServiceConfig2A(svc.get(), SERVICE_CONFIG_DESCRIPTION, &description);
  register_event_source(def.name, exe);
  return std::error_code();
}

std::error_code service_uninstall(const std::string& name, std::string& what) {
  std::error_code ec;
  sc_handle svc(open_service(name, DELETE | SERVICE_STOP | SERVICE_QUERY_STATUS, ec, what));
  if (svc.get() == nullptr) return ec;
  SERVICE_STATUS_PROCESS st;
  if (query(svc.get(), st) && st.dwCurrentState != SERVICE_STOPPED) {
    SERVICE_STATUS ignored;
    ::ControlService(svc.get(), SERVICE_CONTROL_STOP, &ignored);
    wait_for(svc.get(), SERVICE_STOP_PENDING, SERVICE_STOPPED, 120, st);
  }
  if (!::DeleteService(svc.get())) return last_error(what, "DeleteService(" + name + ")");
  ::RegDeleteKeyA(HKEY_LOCAL_MACHINE, (event_log_key + name).c_str());
  return std::error_code();
}

std::error_code service_start(const std::string& name, std::string& what) {
  std::error_code ec;
  sc_handle svc(open_service(name, SERVICE_START | SERVICE_QUERY_STATUS, ec, what));
  if (svc.get() == nullptr) return ec;
  if (!::StartServiceA(svc.get(), 0, nullptr)) return last_error(what, "StartService(" + name + ")");
  SERVICE_STATUS_PROCESS st;
  if (wait_for(svc.get(), SERVICE_START_PENDING, SERVICE_RUNNING, 120, st)) return ec;
  return exit_error(st, what);
}

std::error_code service_stop(const std::string& name, std::string& what) {
  std::error_code ec;
  sc_handle svc(open_service(name, SERVICE_STOP | SERVICE_QUERY_STATUS, ec, what));
  if (svc.get() == nullptr) return ec;
  SERVICE_STATUS ignored;
  if (!::ControlService(svc.get(), SERVICE_CONTROL_STOP, &ignored))
    return last_error(what, "ControlService(" + name + ", stop)");
  SERVICE_STATUS_PROCESS st;
  // The drain of open sessions may take the configured drain-timeout.
  if (wait_for(svc.get(), SERVICE_STOP_PENDING, SERVICE_STOPPED, 300, st)) return ec;
  return exit_error(st, what);
}

std::error_code service_send(const std::string& name, control c, std::string& what) {
  DWORD code = c == control::reload ? SERVICE_CONTROL_PARAMCHANGE : control_status;
  DWORD access = c == control::reload ? SERVICE_PAUSE_CONTINUE : SERVICE_USER_DEFINED_CONTROL;
  if (c != control::reload && c != control::status) {
    what = "only reload and status can be sent";
    return std::make_error_code(std::errc::invalid_argument);
  }
  std::error_code ec;
  sc_handle svc(open_service(name, access, ec, what));
  if (svc.get() == nullptr) return ec;
  SERVICE_STATUS ignored;
  if (!::ControlService(svc.get(), code, &ignored))
    return last_error(what, "ControlService(" + name + ")");
  return ec;
}

std::error_code service_query(const std::string& name, service_state& out, std::string& what) {
  std::error_code ec;
  sc_handle svc(open_service(name, SERVICE_QUERY_STATUS | SERVICE_QUERY_CONFIG, ec, what));
  if (svc.get() == nullptr) return ec;
  SERVICE_STATUS_PROCESS st;
  if (!query(svc.get(), st)) return last_error(what, "QueryServiceStatusEx(" + name + ")");
  out.state = state_name(st.dwCurrentState);
  out.pid = st.dwProcessId;
  out.exit_code = st.dwWin32ExitCode == ERROR_SERVICE_SPECIFIC_ERROR ? st.dwServiceSpecificExitCode
                                                                      : st.dwWin32ExitCode;
  DWORD needed = 0;
  ::QueryServiceConfigA(svc.get(), nullptr, 0, &needed);
  std::vector<ULONGLONG> buf(needed / sizeof(ULONGLONG) + 1);
  QUERY_SERVICE_CONFIGA* cfg = reinterpret_cast<QUERY_SERVICE_CONFIGA*>(buf.data());
  if (needed != 0 && ::QueryServiceConfigA(svc.get(), cfg, needed, &needed) &&
      cfg->lpBinaryPathName != nullptr)
    out.command = cfg->lpBinaryPathName;
  return ec;
}

}  // namespace platform
}  // namespace tlsmux
