// SPDX-License-Identifier: GPL-2.0-or-later
// Portable tests for the file helpers (content, atomic replacement, directories, paths).
#include <tlsmux/platform/files.hpp>

#include "scratch.hpp"

#include <cstdio>
#include <string>

#include <CppUTest/TestHarness.h>

using namespace tlsmux;

TEST_GROUP(files) {
  std::string path;
  void setup() override {
    path = test::scratch_path("file");
    std::remove(path.c_str());
  }
  void teardown() override { std::remove(path.c_str()); }
};

TEST(files, write_then_read_round_trips_binary_data) {
  std::string data("key\0with\r\nbytes\xff", 16);
  CHECK_FALSE(platform::write_private_file(path, data));
  CHECK_TRUE(platform::file_exists(path));
  std::string back = "stale";
  CHECK_FALSE(platform::read_file(path, back));
  LONGS_EQUAL(16, back.size());
  CHECK(back == data);
}

TEST(files, write_replaces_whole_content_and_leaves_no_temporary) {
  CHECK_FALSE(platform::write_file(path, "a long first version\n"));
  CHECK_FALSE(platform::write_file(path, "short\n"));
  std::string back;
  CHECK_FALSE(platform::read_file(path, back));
  STRCMP_EQUAL("short\n", back.c_str());
  CHECK_FALSE(platform::file_exists(path + ".tmp." + std::to_string(platform::process_id())));
}

TEST(files, missing_file_is_an_error) {
  std::string back = "stale";
  CHECK_FALSE(platform::file_exists(path));
  CHECK_TRUE(platform::read_file(path, back));
  CHECK_TRUE(back.empty());
}

TEST(files, write_into_missing_directory_fails) {
  CHECK_TRUE(platform::write_file(platform::join_path(path, "x"), "data"));
}

TEST(files, make_private_dir_creates_parents_and_is_idempotent) {
  std::string top = test::scratch_path("tree");
  std::string leaf = platform::join_path(platform::join_path(top, "a"), "b");
  CHECK_FALSE(platform::make_private_dir(leaf));
  CHECK_FALSE(platform::make_private_dir(leaf));
  std::string inside = platform::join_path(leaf, "f");
  CHECK_FALSE(platform::write_file(inside, "x"));
  CHECK_TRUE(platform::file_exists(inside));
  std::remove(inside.c_str());
  std::remove(leaf.c_str());
  std::remove(platform::join_path(top, "a").c_str());
  std::remove(top.c_str());
}

TEST(files, make_private_dir_over_a_file_fails) {
  CHECK_FALSE(platform::write_file(path, "x"));
  CHECK_TRUE(platform::make_private_dir(path));
}

TEST(files, join_path_adds_one_separator) {
  std::string joined = platform::join_path("dir", "name");
  LONGS_EQUAL(8, joined.size());
  CHECK(joined.compare(0, 3, "dir") == 0);
  CHECK(joined.compare(4, 4, "name") == 0);
  CHECK(platform::join_path(joined.substr(0, 4), "name") == joined);
  STRCMP_EQUAL("name", platform::join_path("", "name").c_str());
}
