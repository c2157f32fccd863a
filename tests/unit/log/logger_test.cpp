// SPDX-License-Identifier: GPL-2.0-or-later
// Tests for the logger: levels, escaping against log injection, the file sink and rotation.
#include "log/logger.hpp"

#include <tlsmux/platform/files.hpp>
#include <tlsmux/platform/process.hpp>

#include <cstdio>
#include <memory>
#include <regex>
#include <string>
#include <utility>
#include <vector>

#include <CppUTest/TestHarness.h>

using namespace tlsmux;

namespace {

/// Records what the logger hands to its sink.
struct captured {
  std::vector<std::pair<log::level, std::string> > lines;
  int reopens = 0;
};

class capture_sink : public log::sink {
 public:
  explicit capture_sink(captured& c) : c_(c) {}
  void write(log::level l, const std::string& text) override {
    c_.lines.push_back(std::make_pair(l, text));
  }
  void reopen() override { ++c_.reopens; }

 private:
  captured& c_;
};

std::string scratch(const std::string& name) {
  return platform::join_path(TLSMUX_TEST_TMP,
                             "log_" + std::to_string(platform::process_id()) + "_" + name);
}

std::string slurp(const std::string& path) {
  std::string data;
  platform::read_file(path, data);
  return data;
}

}  // namespace

TEST_GROUP(logger) {
  captured cap;
  void setup() override {
    log::set_sink(std::unique_ptr<log::sink>(new capture_sink(cap)));
    log::set_level(log::level::info);
  }
  void teardown() override {
    log::set_sink(log::make_stderr_sink());
    log::set_level(log::level::info);
  }
};

TEST(logger, parses_and_names_levels) {
  log::level l = log::level::error;
  CHECK_TRUE(log::parse_level("debug", l));
  CHECK(l == log::level::debug);
  CHECK_TRUE(log::parse_level("warning", l));
  CHECK(l == log::level::warning);
  CHECK_FALSE(log::parse_level("loud", l));
  CHECK_FALSE(log::parse_level("", l));
  CHECK(l == log::level::warning);
  STRCMP_EQUAL("notice", log::level_name(log::level::notice));
  STRCMP_EQUAL("error", log::level_name(log::level::error));
}

TEST(logger, drops_lines_above_the_level) {
  log::set_level(log::level::warning);
  CHECK_TRUE(log::enabled(log::level::error));
  CHECK_TRUE(log::enabled(log::level::warning));
  CHECK_FALSE(log::enabled(log::level::notice));
  log::info("quiet");
  log::debug("quieter");
  log::error("loud");
  log::warning("less loud");
  LONGS_EQUAL(2, cap.lines.size());
  STRCMP_EQUAL("loud", cap.lines[0].second.c_str());
  CHECK(cap.lines[0].first == log::level::error);
  CHECK(cap.lines[1].first == log::level::warning);
  log::set_level(log::level::debug);
  log::debug("now heard");
  LONGS_EQUAL(3, cap.lines.size());
}

// The last line of defence (text::escape with no extra bytes): only control and non-ASCII
// bytes. Peer text was already written as escaped log fields, so its backslashes pass.
TEST(logger, write_neutralises_control_bytes) {
  const char* cases[][2] = {
      {"plain text: 1 + 1 = 2", "plain text: 1 + 1 = 2"},
      {"a\r\nb", "a\\x0d\\x0ab"},
      {"\x1b[31mred", "\\x1b[31mred"},
      {"tab\tdel\x7f", "tab\\x09del\\x7f"},
      {"caf\xc3\xa9 \xff", "caf\\xc3\\xa9 \\xff"},
      {"already\\x5c escaped", "already\\x5c escaped"},
  };
  for (std::size_t i = 0; i < sizeof cases / sizeof cases[0]; ++i) {
    log::notice(cases[i][0]);
    STRCMP_EQUAL(cases[i][1], cap.lines.back().second.c_str());
  }
  log::notice(std::string("x\0y", 3));
  STRCMP_EQUAL("x\\x00y", cap.lines.back().second.c_str());
}

TEST(logger, write_escapes_injected_lines) {
  log::notice("user alice\n2026-01-01T00:00:00Z tlsmux[1] error: forged");
  LONGS_EQUAL(1, cap.lines.size());
  CHECK(cap.lines[0].second.find('\n') == std::string::npos);
  STRCMP_EQUAL("user alice\\x0a2026-01-01T00:00:00Z tlsmux[1] error: forged",
               cap.lines[0].second.c_str());
}

TEST(logger, reopen_reaches_the_current_sink) {
  log::reopen();
  LONGS_EQUAL(1, cap.reopens);
}

TEST_GROUP(file_sink) {
  std::string path;
  void setup() override {
    path = scratch("file.log");
    std::remove(path.c_str());
    std::remove((path + ".1").c_str());
  }
  void teardown() override {
    log::set_sink(log::make_stderr_sink());
    log::set_level(log::level::info);
    std::remove(path.c_str());
    std::remove((path + ".1").c_str());
  }
};

TEST(file_sink, writes_formatted_lines) {
  std::string error;
  std::unique_ptr<log::sink> s = log::make_file_sink(path, error);
  CHECK(s != nullptr);
  log::set_sink(std::move(s));
  log::warning("disk \"almost\" full\r");
  std::string data = slurp(path);
  std::regex line("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z tlsmux\\[(\\d+)\\] warning: "
                  "disk \"almost\" full\\\\x0d\n");
  std::smatch m;
  CHECK_TRUE(std::regex_match(data, m, line));
  STRCMP_EQUAL(std::to_string(platform::process_id()).c_str(), m[1].str().c_str());
}

TEST(file_sink, appends_to_an_existing_file) {
  platform::write_file(path, "old line\n");
  std::string error;
  log::set_sink(log::make_file_sink(path, error));
  log::error("new line");
  std::string data = slurp(path);
  CHECK(data.find("old line\n") == 0);
  CHECK(data.find("error: new line\n") != std::string::npos);
}

TEST(file_sink, reopen_after_rename_starts_a_new_file) {
  std::string error;
  log::set_sink(log::make_file_sink(path, error));
  log::info("before rotation");
  CHECK_EQUAL(0, std::rename(path.c_str(), (path + ".1").c_str()));
  log::info("still the old file");
  log::reopen();
  log::info("after rotation");
  std::string rotated = slurp(path + ".1");
  std::string fresh = slurp(path);
  CHECK(rotated.find("before rotation") != std::string::npos);
  CHECK(rotated.find("still the old file") != std::string::npos);
  CHECK(rotated.find("after rotation") == std::string::npos);
  CHECK(fresh.find("after rotation") != std::string::npos);
  CHECK(fresh.find("before rotation") == std::string::npos);
}

TEST(file_sink, unopenable_path_reports_an_error) {
  std::string error;
  std::unique_ptr<log::sink> s =
      log::make_file_sink(platform::join_path(scratch("no_such_dir"), "x.log"), error);
  CHECK(s == nullptr);
  CHECK(error.find("cannot open log file ") == 0);
}
