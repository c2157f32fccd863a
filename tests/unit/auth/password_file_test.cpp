// SPDX-License-Identifier: GPL-2.0-or-later
// auth::password_db: PBKDF2 lines (checked against Python's hashlib), parsing errors, upsert.
#include "auth/password_file.hpp"

#include <string>
#include <vector>

#include <CppUTest/TestHarness.h>

using tlsmux::auth::make_entry;
using tlsmux::auth::password_db;
using tlsmux::auth::upsert_entry;
using tlsmux::auth::groups_field;

namespace {

// python3: hashlib.pbkdf2_hmac('sha256', b'correct horse', bytes(range(16)), 1000, 32)
const char alice_line[] =
    "alice:pbkdf2-sha256:1000:AAECAwQFBgcICQoLDA0ODw==:yRTMTwbMbo9G0VfjobWqerzuuxe7BETNTErBbKKumGQ=";
// Same salt, empty password.
const char empty_line[] =
    "empty:pbkdf2-sha256:1000:AAECAwQFBgcICQoLDA0ODw==:xbMBsf1hvO1j8AZCojBOxnRRn7182DxLyD2v4XQ/mFU=";

std::string with_user(const std::string& line, const std::string& user) {
  return user + line.substr(line.find(':'));
}

}  // namespace

TEST_GROUP(password_file) {
  password_db db;
  std::vector<std::string> errors;

  // Loads one line and returns its single error ("" when it loaded).
  std::string error_of(const std::string& line) {
    errors.clear();
    if (db.load("# header\n\n" + line + "\n", "users", errors)) return "";
    CHECK_EQUAL(1u, errors.size());
    return errors[0];
  }
};

TEST(password_file, known_vector_from_another_implementation) {
  CHECK(db.load(std::string(alice_line) + "\n" + empty_line + "\n", "users", errors));
  CHECK_EQUAL(2u, db.size());
  CHECK(db.verify("alice", "correct horse"));
  CHECK_FALSE(db.verify("alice", "correct horsf"));
  CHECK_FALSE(db.verify("alice", "correct horse "));
  CHECK_FALSE(db.verify("alice", ""));
  CHECK_FALSE(db.verify("Alice", "correct horse"));
  CHECK(db.verify("empty", ""));
  CHECK_FALSE(db.verify("empty", "x"));
}

TEST(password_file, unknown_user_is_refused) {
  CHECK(db.load(alice_line, "users", errors));
  CHECK_FALSE(db.verify("bob", "correct horse"));
  CHECK_FALSE(db.verify("", ""));
  password_db empty;
  CHECK_FALSE(empty.verify("alice", "correct horse"));
}

TEST(password_file, make_entry_round_trip) {
  std::string line, error;
  CHECK_TEXT(make_entry("bob", "s3cret:with:colons", 1000, line, error), error.c_str());
  CHECK(line.compare(0, 23, "bob:pbkdf2-sha256:1000:") == 0);
  CHECK(db.load(line, "users", errors));
  CHECK(db.verify("bob", "s3cret:with:colons"));
  CHECK_FALSE(db.verify("bob", "s3cret"));
  std::string again;
  CHECK(make_entry("bob", "s3cret:with:colons", 1000, again, error));
  CHECK(line != again);  // fresh random salt
}

TEST(password_file, make_entry_default_iterations) {
  std::string line, error;
  CHECK(make_entry("carol", "pw", tlsmux::auth::default_iterations, line, error));
  CHECK(line.find(":pbkdf2-sha256:20000:") != std::string::npos);
  CHECK(db.load(line, "users", errors));
  CHECK(db.verify("carol", "pw"));
}

TEST(password_file, make_entry_refuses_bad_users_and_iterations) {
  std::string line, error;
  CHECK_FALSE(make_entry("", "pw", 1000, line, error));
  CHECK(!error.empty());
  CHECK_FALSE(make_entry("a:b", "pw", 1000, line, error));
  CHECK_FALSE(make_entry("a\nb", "pw", 1000, line, error));
  CHECK_FALSE(make_entry(std::string(256, 'u'), "pw", 1000, line, error));
  CHECK(make_entry(std::string(255, 'u'), "pw", 1000, line, error));
  CHECK_FALSE(make_entry("dave", "pw", 999, line, error));
  CHECK_FALSE(make_entry("dave", "pw", 10000001, line, error));
}

TEST(password_file, corrupt_lines_report_file_and_line) {
  STRCMP_EQUAL("", error_of(alice_line).c_str());
  const std::string l(alice_line);
  const std::string salt = "AAECAwQFBgcICQoLDA0ODw==";
  const std::string hash = "yRTMTwbMbo9G0VfjobWqerzuuxe7BETNTErBbKKumGQ=";
  const std::string bad[] = {
      "alice",
      "alice:pbkdf2-sha256:1000:" + salt,
      l + ":ops:extra",
      l + ":ops,,dev",
      l + ":o ps",
      l + ":,",
      "alice:pbkdf2-sha1:1000:" + salt + ":" + hash,
      "alice:pbkdf2-sha256:999:" + salt + ":" + hash,
      "alice:pbkdf2-sha256:10000001:" + salt + ":" + hash,
      "alice:pbkdf2-sha256:1e3:" + salt + ":" + hash,
      "alice:pbkdf2-sha256:-1000:" + salt + ":" + hash,
      "alice:pbkdf2-sha256::" + salt + ":" + hash,
      "alice:pbkdf2-sha256:1000:" + salt + "!:" + hash,
      "alice:pbkdf2-sha256:1000::" + hash,
      "alice:pbkdf2-sha256:1000:" + salt + ":" + hash.substr(4),
      "alice:pbkdf2-sha256:1000:" + salt + ":" + salt,
      ":pbkdf2-sha256:1000:" + salt + ":" + hash,
      "al\x01ice:pbkdf2-sha256:1000:" + salt + ":" + hash,
  };
  for (std::size_t i = 0; i < sizeof bad / sizeof bad[0]; ++i) {
    const std::string e = error_of(bad[i]);
    CHECK_TEXT(e.compare(0, 8, "users:3:") == 0, (bad[i] + " -> " + e).c_str());
  }
}

// The optional sixth field: the user's groups (for a service's allow-groups).
TEST(password_file, groups_are_an_optional_sixth_field) {
  const std::string l(alice_line);
  CHECK(db.load(l + ":ops,dev\n" + with_user(alice_line, "bob") + "\n" + with_user(alice_line, "carol") + ":\n",
                "users", errors));
  CHECK(errors.empty());
  LONGS_EQUAL(2, db.groups("alice").size());
  STRCMP_EQUAL("ops", db.groups("alice")[0].c_str());
  STRCMP_EQUAL("dev", db.groups("alice")[1].c_str());
  CHECK(db.groups("bob").empty());
  CHECK(db.groups("carol").empty());
  CHECK(db.groups("nobody").empty());
  CHECK(db.verify("alice", "password") == db.verify("bob", "password"));
  LONGS_EQUAL(3, db.names().size());
}

TEST(password_file, entries_carry_groups_and_keep_them_on_a_password_change) {
  std::string line, error;
  CHECK(make_entry("dave", "pw", 1000, line, error, std::vector<std::string>{"ops", "dev"}));
  CHECK(line.size() > 8 && line.compare(line.size() - 8, 8, ":ops,dev") == 0);
  CHECK(db.load(line + "\n", "users", errors));
  LONGS_EQUAL(2, db.groups("dave").size());
  STRCMP_EQUAL("ops,dev", groups_field(line + "\n", "dave").c_str());
  STRCMP_EQUAL("", groups_field(std::string(alice_line) + "\n", "alice").c_str());
  STRCMP_EQUAL("", groups_field(line + "\n", "alice").c_str());
  CHECK_FALSE(make_entry("dave", "pw", 1000, line, error, std::vector<std::string>{"o:ps"}));
  CHECK_FALSE(make_entry("dave", "pw", 1000, line, error, std::vector<std::string>{""}));
}

TEST(password_file, good_lines_survive_bad_ones_and_duplicates_are_errors) {
  const std::string text = "# users\r\n" + std::string(alice_line) + "\r\n" + "garbage\n" +
                           "   \n" + with_user(alice_line, "bob") + "\n" + alice_line + "\n";
  CHECK_FALSE(db.load(text, "/etc/tlsmux/users", errors));
  CHECK_EQUAL(2u, errors.size());
  STRCMP_CONTAINS("/etc/tlsmux/users:3:", errors[0].c_str());
  STRCMP_CONTAINS("/etc/tlsmux/users:6:", errors[1].c_str());
  STRCMP_CONTAINS("duplicate", errors[1].c_str());
  CHECK_EQUAL(2u, db.size());
  CHECK(db.verify("alice", "correct horse"));  // CRLF line endings are fine
  CHECK(db.verify("bob", "correct horse"));
}

TEST(password_file, reload_replaces_previous_users) {
  CHECK(db.load(alice_line, "users", errors));
  CHECK(db.load(with_user(alice_line, "bob"), "users", errors));
  CHECK_EQUAL(1u, db.size());
  CHECK_FALSE(db.verify("alice", "correct horse"));
  CHECK(db.verify("bob", "correct horse"));
}

TEST(password_file, missing_file_is_an_error) {
  CHECK_FALSE(db.load_file("/nonexistent/tlsmux-users", errors));
  CHECK_EQUAL(1u, errors.size());
  STRCMP_CONTAINS("/nonexistent/tlsmux-users", errors[0].c_str());
}

TEST(password_file, upsert_replaces_or_appends) {
  const std::string text = "# users\nalice:old\nbob:keep\n";
  STRCMP_EQUAL("# users\nalice:new\nbob:keep\n", upsert_entry(text, "alice", "alice:new").c_str());
  STRCMP_EQUAL("# users\nalice:old\nbob:keep\ncarol:x\n",
               upsert_entry(text, "carol", "carol:x").c_str());
  STRCMP_EQUAL("a:1\nb:2\n", upsert_entry("a:1", "b", "b:2").c_str());
  STRCMP_EQUAL("b:2\n", upsert_entry("", "b", "b:2").c_str());
  // "al" is not "alice"; a duplicate user collapses into one line.
  STRCMP_EQUAL("alice:old\nal:1\n", upsert_entry("alice:old\n", "al", "al:1").c_str());
  STRCMP_EQUAL("x:new\ny:1\n", upsert_entry("x:a\ny:1\nx:b\n", "x", "x:new").c_str());
}

TEST(password_file, upsert_result_loads) {
  std::string line, error;
  CHECK(make_entry("erin", "pw1", 1000, line, error));
  std::string text = upsert_entry(std::string("# users\n") + alice_line + "\n", "erin", line);
  CHECK(make_entry("erin", "pw2", 1000, line, error));
  text = upsert_entry(text, "erin", line);
  CHECK(db.load(text, "users", errors));
  CHECK_EQUAL(2u, db.size());
  CHECK(db.verify("erin", "pw2"));
  CHECK_FALSE(db.verify("erin", "pw1"));
}
