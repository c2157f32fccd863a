// SPDX-License-Identifier: GPL-2.0-or-later
// The control channel on Windows, server side: a named pipe whose DACL admits SYSTEM,
// Administrators and the server's own account, denies network logons, and rejects remote
// clients. Windows builds use Asio's select reactor, which has no pipes, so a listener
// thread waits in ConnectNamedPipe and each connection has a worker thread for its reads and
// writes; both hand their results to the io_context with asio::post and never call or post
// anything after close().
#include <tlsmux/platform/control_socket.hpp>

#include "control_pipe.hpp"

#include <asio/error.hpp>
#include <asio/post.hpp>

#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

#include <sddl.h>

#ifndef PIPE_REJECT_REMOTE_CLIENTS
#define PIPE_REJECT_REMOTE_CLIENTS 0x00000008
#endif

namespace tlsmux {
namespace platform {

namespace {

std::error_code win_error(DWORD err) {
  if (err == ERROR_OPERATION_ABORTED) return asio::error::operation_aborted;
  if (err == ERROR_BROKEN_PIPE || err == ERROR_PIPE_NOT_CONNECTED || err == ERROR_NO_DATA) return asio::error::eof;
  return std::error_code(static_cast<int>(err), std::system_category());
}

// ---- one connection: a worker thread runs its reads and writes in order ----

struct pipe_job {
  bool write;
  std::size_t size;
  std::shared_ptr<std::vector<char> > data;  // the bytes to write, or the bytes read
  char* dest;                                // the caller's read buffer
  control_stream::io_handler handler;
};

struct pipe_io {
  pipe_io(asio::io_context& c, HANDLE h) : io(c), pipe(h), cancel(::CreateEventA(nullptr, TRUE, FALSE, nullptr)) {}
  ~pipe_io() {
    if (cancel != nullptr) ::CloseHandle(cancel);
  }
  asio::io_context& io;
  HANDLE pipe, cancel;
  std::mutex mutex;
  std::condition_variable wake;
  std::deque<pipe_job> jobs;
  bool closed = false;
};

// Closes the pipe when the worker ends (after close()): the client reads what was written,
// then sees the end.
struct pipe_closer {
  HANDLE h;
  ~pipe_closer() { ::CloseHandle(h); }
};

void run_pipe_io(std::shared_ptr<pipe_io> p) {
  pipe_closer closer = {p->pipe};
  for (;;) {
    bool write = false;
    std::shared_ptr<std::vector<char> > data;
    {
      std::unique_lock<std::mutex> lock(p->mutex);
      p->wake.wait(lock, [&p] { return p->closed || !p->jobs.empty(); });
      if (p->closed) return;
      write = p->jobs.front().write;
      data = write ? p->jobs.front().data : std::make_shared<std::vector<char> >(p->jobs.front().size);
    }
    DWORD err = 0, done = 0, total = 0;
    do {  // a write moves every byte; a read returns what came
      err = pipe_transfer(p->pipe, write, data->data() + total, static_cast<DWORD>(data->size() - total), p->cancel,
                          INFINITE, done);
      total += done;
    } while (write && err == 0 && total < data->size());
    std::lock_guard<std::mutex> lock(p->mutex);
    if (p->closed) return;
    pipe_job job = p->jobs.front();
    p->jobs.pop_front();
    const std::error_code ec = err != 0 ? win_error(err) : std::error_code();
    const std::size_t n = total;
    asio::post(p->io, [job, data, ec, n] {
      if (!job.write && n > 0) std::memcpy(job.dest, data->data(), n);
      job.handler(ec, n);
    });
  }
}

class pipe_stream : public control_stream {
 public:
  pipe_stream(asio::io_context& io, HANDLE h) : io_(std::make_shared<pipe_io>(io, h)) {
    std::thread(run_pipe_io, io_).detach();
  }
  ~pipe_stream() { close(); }

  void async_read_some(char* buf, std::size_t n, io_handler h) override { queue(false, buf, n, h); }
  void async_write(const char* data, std::size_t n, io_handler h) override {
    pipe_job job = {true, n, std::make_shared<std::vector<char> >(data, data + n), nullptr, h};
    push(job);
  }
  void close() override {
    std::deque<pipe_job> dropped;  // destroyed outside the lock
    {
      std::lock_guard<std::mutex> lock(io_->mutex);
      if (io_->closed) return;
      io_->closed = true;
      dropped.swap(io_->jobs);
    }
    ::SetEvent(io_->cancel);
    io_->wake.notify_all();
  }

 private:
  void queue(bool write, char* buf, std::size_t n, const io_handler& h) {
    pipe_job job = {write, n, std::shared_ptr<std::vector<char> >(), buf, h};
    push(job);
  }
  void push(const pipe_job& job) {
    std::lock_guard<std::mutex> lock(io_->mutex);
    if (io_->closed) return;
    io_->jobs.push_back(job);
    io_->wake.notify_all();
  }

  std::shared_ptr<pipe_io> io_;
};

// The DACL: SYSTEM, Administrators and this process's account (the service account when it
// runs as a service), plus `user` when set; network logons denied first.
bool make_descriptor(const std::string& user, PSECURITY_DESCRIPTOR& sd, std::string& what) {
  std::string sids;
  HANDLE token = nullptr;
  std::vector<char> info(256);
  DWORD len = 0;
  char* sid_text = nullptr;
  if (::OpenProcessToken(::GetCurrentProcess(), TOKEN_QUERY, &token)) {
    if (::GetTokenInformation(token, TokenUser, info.data(), static_cast<DWORD>(info.size()), &len) &&
        ::ConvertSidToStringSidA(reinterpret_cast<TOKEN_USER*>(info.data())->User.Sid, &sid_text)) {
      sids += std::string("(A;;GA;;;") + sid_text + ")";
      ::LocalFree(sid_text);
    }
    ::CloseHandle(token);
  }
  if (!user.empty()) {
    char sid[SECURITY_MAX_SID_SIZE], domain[256];
    DWORD sid_len = sizeof sid, domain_len = sizeof domain;
    SID_NAME_USE use;
    if (!::LookupAccountNameA(nullptr, user.c_str(), sid, &sid_len, domain, &domain_len, &use) ||
        !::ConvertSidToStringSidA(sid, &sid_text)) {
      what = "cannot create the control pipe: unknown account " + user;
      return false;
    }
    sids += std::string("(A;;GA;;;") + sid_text + ")";
    ::LocalFree(sid_text);
  }
  const std::string sddl = "D:P(D;;GA;;;NU)(A;;GA;;;SY)(A;;GA;;;BA)" + sids;
  if (!::ConvertStringSecurityDescriptorToSecurityDescriptorA(sddl.c_str(), SDDL_REVISION_1, &sd, nullptr)) {
    what = "cannot create the control pipe's security descriptor " + sddl + ": " +
           std::system_category().message(static_cast<int>(::GetLastError()));
    return false;
  }
  return true;
}

}  // namespace

// ---- the listener ----

struct control_listener::impl {
  explicit impl(asio::io_context& c) : io(c) {}
  HANDLE create_instance(bool first);
  void run();
  DWORD connect();

  asio::io_context& io;
  std::string name;
  PSECURITY_DESCRIPTOR sd = nullptr;
  HANDLE next = INVALID_HANDLE_VALUE;  // the instance waiting for the next client
  HANDLE stop = nullptr;
  std::thread thread;
  std::mutex mutex;
  std::condition_variable wake;
  accept_handler pending;
  bool stopping = false, open = false;
};

HANDLE control_listener::impl::create_instance(bool first) {
  SECURITY_ATTRIBUTES sa = {sizeof sa, sd, FALSE};
  const DWORD open_mode = PIPE_ACCESS_DUPLEX | FILE_FLAG_OVERLAPPED | (first ? FILE_FLAG_FIRST_PIPE_INSTANCE : 0);
  const DWORD mode = PIPE_TYPE_BYTE | PIPE_READMODE_BYTE | PIPE_WAIT;
  HANDLE h = ::CreateNamedPipeA(name.c_str(), open_mode, mode | PIPE_REJECT_REMOTE_CLIENTS, PIPE_UNLIMITED_INSTANCES,
                                65536, 4096, 0, &sa);
  if (h == INVALID_HANDLE_VALUE && ::GetLastError() == ERROR_INVALID_PARAMETER)  // XP: no such flag
    h = ::CreateNamedPipeA(name.c_str(), open_mode, mode, PIPE_UNLIMITED_INSTANCES, 65536, 4096, 0, &sa);
  return h;
}

// Waits for a client on `next`; 0 when one is connected, ERROR_OPERATION_ABORTED on close().
DWORD control_listener::impl::connect() {
  OVERLAPPED ov;
  ZeroMemory(&ov, sizeof ov);
  ov.hEvent = ::CreateEventA(nullptr, TRUE, FALSE, nullptr);
  if (ov.hEvent == nullptr) return ::GetLastError();
  DWORD err = ::ConnectNamedPipe(next, &ov) ? 0 : ::GetLastError();
  if (err == ERROR_IO_PENDING) {
    HANDLE events[2] = {ov.hEvent, stop};
    if (::WaitForMultipleObjects(2, events, FALSE, INFINITE) != WAIT_OBJECT_0) ::CancelIo(next);
    DWORD n = 0;
    err = ::GetOverlappedResult(next, &ov, &n, TRUE) ? 0 : ::GetLastError();
  }
  ::CloseHandle(ov.hEvent);
  if (err == ERROR_PIPE_CONNECTED) err = 0;  // the client came before ConnectNamedPipe
  return err;
}

void control_listener::impl::run() {
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mutex);
      wake.wait(lock, [this] { return stopping || pending; });
      if (stopping) return;
    }
    DWORD err = 0;
    if (next == INVALID_HANDLE_VALUE) next = create_instance(false);
    if (next == INVALID_HANDLE_VALUE) err = ::GetLastError();
    else err = connect();
    std::shared_ptr<control_stream> stream;
    if (err == 0) {
      stream = std::make_shared<pipe_stream>(io, next);
      next = create_instance(false);  // keeps the name alive; retried on the next accept
    } else if (next != INVALID_HANDLE_VALUE && err != ERROR_OPERATION_ABORTED) {
      ::CloseHandle(next);  // e.g. ERROR_NO_DATA: the client came and went
      next = INVALID_HANDLE_VALUE;
    }
    if (err != 0 && err != ERROR_NO_DATA) ::WaitForSingleObject(stop, 100);  // no spinning on errors
    std::lock_guard<std::mutex> lock(mutex);
    if (stopping) return;
    accept_handler h = pending;
    pending = accept_handler();
    const std::error_code ec = err != 0 ? win_error(err) : std::error_code();
    asio::post(io, [h, ec, stream] { h(ec, stream); });
  }
}

control_listener::control_listener(asio::io_context& io) : impl_(new impl(io)) {}

control_listener::~control_listener() { close(); }

bool control_listener::open(const std::string& path, const std::string& user, std::string& what) {
  impl_->name = control_pipe_name(path);
  if (!make_descriptor(user, impl_->sd, what)) return false;
  impl_->next = impl_->create_instance(true);
  if (impl_->next == INVALID_HANDLE_VALUE) {
    DWORD err = ::GetLastError();
    what = err == ERROR_ACCESS_DENIED
               ? "another tlsmux server (or another program) owns the control pipe " + impl_->name +
                     " of " + path + " (the state directory is in use)"
               : "cannot create the control pipe " + impl_->name + ": " + std::system_category().message(static_cast<int>(err));
    ::LocalFree(impl_->sd);
    impl_->sd = nullptr;
    return false;
  }
  impl_->stop = ::CreateEventA(nullptr, TRUE, FALSE, nullptr);
  impl_->stopping = false;
  impl_->open = true;
  impl_->thread = std::thread(&impl::run, impl_.get());
  return true;
}

bool control_listener::is_open() const { return impl_->open; }

void control_listener::async_accept(accept_handler h) {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  impl_->pending = h;
  impl_->wake.notify_all();
}

void control_listener::close() {
  if (!impl_->open) return;
  accept_handler dropped;
  {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    impl_->stopping = true;
    dropped.swap(impl_->pending);
  }
  ::SetEvent(impl_->stop);
  impl_->wake.notify_all();
  impl_->thread.join();
  if (impl_->next != INVALID_HANDLE_VALUE) ::CloseHandle(impl_->next);
  impl_->next = INVALID_HANDLE_VALUE;
  ::CloseHandle(impl_->stop);
  ::LocalFree(impl_->sd);
  impl_->sd = nullptr;
  impl_->open = false;
}

}  // namespace platform
}  // namespace tlsmux
