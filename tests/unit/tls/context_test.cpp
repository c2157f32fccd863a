// SPDX-License-Identifier: GPL-2.0-or-later
// tls::context: library start-up, version string and the errors of bad settings.
#include "tls/context.hpp"
#include "unit/tls/tls_pair.hpp"

#include <string>

#include <CppUTest/TestHarness.h>

using tlsmux::tls::context;
using tlsmux::tls::settings;
using tlsmux_test::data_file;
using tlsmux_test::server_settings;

namespace {

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

}  // namespace

TEST_GROUP(context) {};

TEST(context, library_init_is_idempotent) {
  std::string error;
  CHECK(tlsmux::tls::library_init(error));
  CHECK(tlsmux::tls::library_init(error));
  STRCMP_EQUAL("", error.c_str());
}

TEST(context, library_version_names_wolfssl_and_flavour) {
  const std::string v = tlsmux::tls::library_version();
  CHECK_TEXT(v.compare(0, 10, "wolfSSL 5.") == 0, v.c_str());
  CHECK_TEXT(contains(v, "(" TLSMUX_WOLFSSL_FLAVOUR " build"), v.c_str());
  CHECK(v[v.size() - 1] == ')');
}

TEST(context, error_text_has_code_and_reason) {
  const std::string t = tlsmux::tls::error_text(-313);
  CHECK_TEXT(t.compare(0, 5, "-313 ") == 0, t.c_str());
  CHECK(t.size() > 6);
}

TEST(context, server_and_client_contexts_build) {
  std::string error;
  std::shared_ptr<context> s = context::make_server(server_settings(), error);
  CHECK_TEXT(s != nullptr, error.c_str());
  CHECK(s->is_server());
  CHECK(s->native() != nullptr);
  std::shared_ptr<context> c = context::make_client(settings(), error);
  CHECK_TEXT(c != nullptr, error.c_str());
  CHECK_FALSE(c->is_server());
  settings modern = server_settings();
  modern.profile = "modern";
  const bool made = context::make_server(modern, error) != nullptr;
  CHECK_TEXT(made, error.c_str());
}

TEST(context, missing_certificate_file_is_named) {
  settings s = server_settings();
  s.cert_file = data_file("no-such.crt");
  std::string error;
  CHECK(context::make_server(s, error) == nullptr);
  CHECK_TEXT(contains(error, "no-such.crt"), error.c_str());
  CHECK_TEXT(contains(error, "cannot open"), error.c_str());
}

TEST(context, unparsable_certificate_file_is_named) {
  settings s = server_settings();
  s.cert_file = data_file("README.md");
  std::string error;
  CHECK(context::make_server(s, error) == nullptr);
  CHECK_TEXT(contains(error, "README.md"), error.c_str());
  CHECK_TEXT(contains(error, "certificate"), error.c_str());
  CHECK_TEXT(contains(error, "no valid PEM"), error.c_str());
  s = server_settings();
  s.key_file = data_file("server.crt");  // a certificate where the key should be
  CHECK(context::make_server(s, error) == nullptr);
  CHECK_TEXT(contains(error, "private key"), error.c_str());
}

TEST(context, missing_key_file_is_named) {
  settings s = server_settings();
  s.key_file = data_file("no-such.key");
  std::string error;
  CHECK(context::make_server(s, error) == nullptr);
  CHECK_TEXT(contains(error, "no-such.key"), error.c_str());
}

TEST(context, key_not_matching_certificate_is_refused) {
  settings s = server_settings();
  s.key_file = data_file("other.key");
  std::string error;
  CHECK(context::make_server(s, error) == nullptr);
  CHECK_TEXT(contains(error, "other.key"), error.c_str());
  CHECK_TEXT(contains(error, "does not match"), error.c_str());
  settings c;
  c.cert_file = data_file("client.crt");
  c.key_file = data_file("other.key");
  CHECK(context::make_client(c, error) == nullptr);
  CHECK_TEXT(contains(error, "does not match"), error.c_str());
  c.key_file = data_file("client.key");
  const bool made = context::make_client(c, error) != nullptr;
  CHECK_TEXT(made, error.c_str());
}

TEST(context, server_without_certificate_is_refused) {
  std::string error;
  CHECK(context::make_server(settings(), error) == nullptr);
  CHECK(!error.empty());
}

TEST(context, unknown_profile_and_version_are_refused) {
  settings s = server_settings();
  s.profile = "old";
  std::string error;
  CHECK(context::make_server(s, error) == nullptr);
  CHECK_TEXT(contains(error, "old"), error.c_str());
  s = server_settings();
  s.max_version = "1.1";
  CHECK(context::make_server(s, error) == nullptr);
  CHECK_TEXT(contains(error, "1.1"), error.c_str());
  s.profile = "modern";
  s.max_version = "1.2";
  CHECK(context::make_server(s, error) == nullptr);
  s.profile = "intermediate";
  CHECK(context::make_server(s, error) == nullptr);  // a 1.2-only server: clients only
  CHECK_TEXT(contains(error, "clients only"), error.c_str());
  CHECK(context::make_client(s, error) != nullptr);
  s.max_version = "1.3";
  CHECK(context::make_server(s, error) != nullptr);
}

TEST(context, peer_verification_needs_a_ca_file) {
  settings s = server_settings();
  s.require_peer_cert = true;
  std::string error;
  CHECK(context::make_server(s, error) == nullptr);
  CHECK(!error.empty());
  settings c;
  c.verify_peer = true;
  error.clear();
  CHECK(context::make_client(c, error) == nullptr);
  CHECK(!error.empty());
  c.ca_file = data_file("no-such-ca.crt");
  CHECK(context::make_client(c, error) == nullptr);
  CHECK_TEXT(contains(error, "no-such-ca.crt"), error.c_str());
}
