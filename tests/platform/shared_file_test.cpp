// SPDX-License-Identifier: GPL-2.0-or-later
// platform::shared_file: the locked state file of inetd mode and of the key generation.
#include <tlsmux/platform/file_lock.hpp>

#include "scratch.hpp"

#include <cstdio>
#include <string>

#include <CppUTest/TestHarness.h>

using namespace tlsmux;

TEST_GROUP(shared_file) {
  std::string path;
  void setup() override {
    path = test::scratch_path("shared");
    std::remove(path.c_str());
  }
  void teardown() override { std::remove(path.c_str()); }
};

TEST(shared_file, creates_reads_and_replaces_under_the_lock) {
  platform::shared_file f;
  CHECK_FALSE(f.is_open());
  CHECK_FALSE(f.open(path));
  CHECK(f.is_open());
  CHECK_FALSE(f.lock());
  std::string text = "x";
  CHECK_FALSE(f.read_all(text));
  STRCMP_EQUAL("", text.c_str());
  CHECK_FALSE(f.replace("a longer first content\n"));
  CHECK_FALSE(f.replace("short\n"));  // shrinks: nothing of the first is left
  CHECK_FALSE(f.read_all(text));
  STRCMP_EQUAL("short\n", text.c_str());
  f.unlock();
  f.close();
  CHECK_FALSE(f.is_open());
  std::string on_disk;
  CHECK_FALSE(platform::read_file(path, on_disk));
  STRCMP_EQUAL("short\n", on_disk.c_str());
}

TEST(shared_file, a_closed_file_refuses_to_lock) {
  platform::shared_file f;
  CHECK(static_cast<bool>(f.lock()));
  std::string text;
  CHECK(static_cast<bool>(f.read_all(text)));
  CHECK(static_cast<bool>(f.replace("x")));
}
