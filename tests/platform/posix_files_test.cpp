// SPDX-License-Identifier: GPL-2.0-or-later
// POSIX-only file tests: permission bits and terminal handling.
#include <tlsmux/platform/file_lock.hpp>
#include <tlsmux/platform/files.hpp>
#include <tlsmux/platform/terminal.hpp>

#include "scratch.hpp"

#include <cstdio>
#include <string>

#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <CppUTest/TestHarness.h>

using namespace tlsmux;

namespace {

unsigned mode_of(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return 0xffff;
  return static_cast<unsigned>(st.st_mode & 07777);
}

}  // namespace

TEST_GROUP(posix_files) {
  std::string path;
  mode_t saved_umask = 0;
  void setup() override {
    path = test::scratch_path("mode");
    std::remove(path.c_str());
    saved_umask = ::umask(022);
  }
  void teardown() override {
    ::umask(saved_umask);
    std::remove(path.c_str());
  }
};

TEST(posix_files, private_file_is_0600) {
  CHECK_FALSE(platform::write_private_file(path, "secret"));
  LONGS_EQUAL(0600, mode_of(path));
  std::string back;
  CHECK_FALSE(platform::read_file(path, back));
  STRCMP_EQUAL("secret", back.c_str());
}

TEST(posix_files, private_file_replaces_a_readable_one) {
  CHECK_FALSE(platform::write_file(path, "public"));
  LONGS_EQUAL(0644, mode_of(path));
  CHECK_FALSE(platform::write_private_file(path, "secret"));
  LONGS_EQUAL(0600, mode_of(path));
}

TEST(posix_files, plain_file_is_0644_whatever_the_umask) {
  ::umask(027);
  CHECK_FALSE(platform::write_file(path, "pid"));
  LONGS_EQUAL(0644, mode_of(path));
}

TEST(posix_files, private_dir_is_0700_and_parents_are_not) {
  std::string top = test::scratch_path("dirs");
  std::string leaf = top + "/inner/keys/";
  CHECK_FALSE(platform::make_private_dir(leaf));
  LONGS_EQUAL(0700, mode_of(top + "/inner/keys"));
  LONGS_EQUAL(0755, mode_of(top + "/inner"));
  LONGS_EQUAL(0755, mode_of(top));
  ::rmdir((top + "/inner/keys").c_str());
  ::rmdir((top + "/inner").c_str());
  ::rmdir(top.c_str());
}

TEST(posix_files, no_terminal_means_no_secret) {
  int fds[2];
  CHECK_EQUAL(0, ::pipe(fds));
  pid_t pid = ::fork();
  if (pid == 0) {
    // A new session has no controlling terminal, so /dev/tty cannot be opened.
    ::setsid();
    ::dup2(fds[0], 0);
    std::string secret;
    bool tty = platform::stdin_is_tty();
    bool got = platform::read_secret("password: ", secret);
    ::_exit(!tty && !got && secret.empty() ? 0 : 1);
  }
  ::close(fds[0]);
  ::close(fds[1]);
  int status = 0;
  CHECK_EQUAL(pid, ::waitpid(pid, &status, 0));
  CHECK_TRUE(WIFEXITED(status));
  LONGS_EQUAL(0, WEXITSTATUS(status));
}

// tlsmux connect's first bytes: what a pipe on stdin holds now, never a wait for more.
TEST(posix_files, read_stdin_ready_takes_what_is_there_and_never_waits) {
  int fds[2];
  CHECK_EQUAL(0, ::pipe(fds));
  pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(fds[0], 0);
    ::close(fds[0]);
    char buf[16];
    std::size_t none = platform::read_stdin_ready(buf, sizeof buf);  // empty, writer open
    if (::write(fds[1], "hello", 5) != 5) ::_exit(2);
    std::size_t part = platform::read_stdin_ready(buf, 3);
    bool hel = part == 3 && std::string(buf, 3) == "hel";
    std::size_t rest = platform::read_stdin_ready(buf, sizeof buf);
    bool lo = rest == 2 && std::string(buf, 2) == "lo";
    ::close(fds[1]);
    std::size_t eof = platform::read_stdin_ready(buf, sizeof buf);  // at its end: 0
    ::_exit(none == 0 && hel && lo && eof == 0 ? 0 : 1);
  }
  ::close(fds[0]);
  ::close(fds[1]);
  int status = 0;
  CHECK_EQUAL(pid, ::waitpid(pid, &status, 0));
  CHECK_TRUE(WIFEXITED(status));
  LONGS_EQUAL(0, WEXITSTATUS(status));
}

// Two processes: the child waits for the parent's lock on the shared state file, and the
// file is created owner-only.
TEST(posix_files, shared_file_lock_excludes_another_process) {
  platform::shared_file f;
  CHECK_FALSE(f.open(path));
  LONGS_EQUAL(0600, mode_of(path));
  CHECK_FALSE(f.lock());
  CHECK_FALSE(f.replace("parent"));
  const pid_t child = ::fork();
  if (child == 0) {
    platform::shared_file g;
    std::string text;
    if (g.open(path) || g.lock() || g.read_all(text)) ::_exit(2);
    ::_exit(text == "parent, then released" ? 0 : 1);
  }
  ::usleep(200000);  // the child is now waiting in lock()
  CHECK_FALSE(f.replace("parent, then released"));
  f.unlock();
  int status = 0;
  CHECK_EQUAL(child, ::waitpid(child, &status, 0));
  CHECK(WIFEXITED(status));
  LONGS_EQUAL(0, WEXITSTATUS(status));
}

// The log holds failed user names, sometimes mistyped passwords (issue 13).
TEST(posix_files, log_file_is_created_0640_and_an_old_0644_one_narrowed) {
  std::FILE* f = platform::open_log_file(path);
  CHECK(f != nullptr);
  std::fclose(f);
  LONGS_EQUAL(0640, mode_of(path));
  CHECK_EQUAL(0, ::chmod(path.c_str(), 0644));
  f = platform::open_log_file(path);
  CHECK(f != nullptr);
  std::fclose(f);
  LONGS_EQUAL(0640, mode_of(path));
  CHECK_EQUAL(0, ::chmod(path.c_str(), 0600));
  f = platform::open_log_file(path);
  CHECK(f != nullptr);
  std::fclose(f);
  LONGS_EQUAL(0600, mode_of(path));  // an admin's narrower choice stays
}

// OpenSSH's StrictModes for the state directory.
TEST(posix_files, unsafe_dir_reason_names_writable_and_foreign_directories) {
  std::string dir = test::scratch_path("strict");
  ::rmdir(dir.c_str());
  STRCMP_EQUAL("", platform::unsafe_dir_reason(dir).c_str());  // missing: created private later
  CHECK_EQUAL(0, ::mkdir(dir.c_str(), 0700));
  STRCMP_EQUAL("", platform::unsafe_dir_reason(dir).c_str());
  CHECK_EQUAL(0, ::chmod(dir.c_str(), 0755));
  STRCMP_EQUAL("", platform::unsafe_dir_reason(dir).c_str());
  CHECK_EQUAL(0, ::chmod(dir.c_str(), 0770));
  STRCMP_EQUAL("is writable by its group (mode 0770)", platform::unsafe_dir_reason(dir).c_str());
  CHECK_EQUAL(0, ::chmod(dir.c_str(), 01777));
  STRCMP_EQUAL("is writable by everyone (mode 1777)", platform::unsafe_dir_reason(dir).c_str());
  CHECK_EQUAL(0, ::chmod(dir.c_str(), 0700));
  if (::geteuid() == 0) {
    CHECK_EQUAL(0, ::chown(dir.c_str(), 4321, 4321));
    STRCMP_EQUAL("belongs to uid 4321, neither this user (uid 0), root nor the service user",
                 platform::unsafe_dir_reason(dir).c_str());
    // A root server that drops to `user = 4321` keeps its state in that user's directory.
    STRCMP_EQUAL("", platform::unsafe_dir_reason(dir, "4321").c_str());
    STRCMP_EQUAL("belongs to uid 4321, neither this user (uid 0), root nor the service user",
                 platform::unsafe_dir_reason(dir, "4322").c_str());
  }
  ::rmdir(dir.c_str());
  FILE* f = std::fopen(path.c_str(), "w");
  CHECK(f != nullptr);
  std::fclose(f);
  STRCMP_EQUAL("is not a directory", platform::unsafe_dir_reason(path).c_str());
}
