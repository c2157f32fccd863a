// SPDX-License-Identifier: GPL-2.0-or-later
// Portable tests for process services: pid files, limits, host facts, time.
#include <tlsmux/platform/files.hpp>
#include <tlsmux/platform/host.hpp>
#include <tlsmux/platform/limits.hpp>
#include <tlsmux/platform/paths.hpp>
#include <tlsmux/platform/privileges.hpp>
#include <tlsmux/platform/process.hpp>

#include "scratch.hpp"

#include <cstdio>
#include <ctime>
#include <string>

#include <CppUTest/TestHarness.h>

using namespace tlsmux;

TEST_GROUP(process){};

TEST(process, pid_file_round_trip) {
  std::string path = test::scratch_path("pid");
  std::string what;
  CHECK_FALSE(platform::write_pid_file(path, what));
  std::string data;
  CHECK_FALSE(platform::read_file(path, data));
  STRCMP_EQUAL((std::to_string(platform::process_id()) + "\n").c_str(), data.c_str());
  platform::remove_pid_file(path);
  CHECK_FALSE(platform::file_exists(path));
  platform::remove_pid_file(path);  // a second removal is harmless
}

TEST(process, pid_file_in_missing_directory_names_the_call) {
  std::string what;
  std::string path = platform::join_path(test::scratch_path("nodir"), "pid");
  CHECK_TRUE(platform::write_pid_file(path, what));
  CHECK(what.find("failed") != std::string::npos);
}

TEST(process, descriptor_limit_is_usable) {
  std::size_t limit = platform::raise_descriptor_limit();
  CHECK(limit >= 1024);
  CHECK(platform::raise_descriptor_limit() == limit);  // idempotent
}

TEST(process, host_facts_are_present) {
  CHECK_FALSE(platform::host_name().empty());
  CHECK_FALSE(platform::default_state_dir().empty());
  CHECK(platform::process_id() > 0);
}

TEST(process, utc_time_breaks_down_the_epoch) {
  std::tm tm;
  CHECK_TRUE(platform::utc_time(86400 + 3661, tm));
  LONGS_EQUAL(70, tm.tm_year);
  LONGS_EQUAL(0, tm.tm_mon);
  LONGS_EQUAL(2, tm.tm_mday);
  LONGS_EQUAL(1, tm.tm_hour);
  LONGS_EQUAL(1, tm.tm_min);
  LONGS_EQUAL(1, tm.tm_sec);
}

TEST(process, drop_privileges_with_nothing_to_do_succeeds) {
  std::string what;
  CHECK_FALSE(platform::drop_privileges("", "", "", what));
}
