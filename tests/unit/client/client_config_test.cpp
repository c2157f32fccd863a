// SPDX-License-Identifier: GPL-2.0-or-later
// Unit tests: the client configuration file (tlsmux_config(5)): parser (table, split at every
// position), ssh's Host matching, first value wins, merging under the command line.
#include "client/client_config.hpp"
#include "client/config_files.hpp"

#include <CppUTest/TestHarness.h>

using namespace tlsmux;
using namespace tlsmux::client;

namespace {

const char* const sample =
    "# defaults first, as in ssh_config\n"
    "ConnectTimeout 5s\n"
    "Host mux1 mux1.example\n"
    "  HostName 192.0.2.7\n"
    "  PORT 8443\n"
    "  pin=sha256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n"
    "  LocalForward 2525 smtp\n"
    "  LocalForward 127.0.0.1:8080 web\n"
    "\tUser \"alice smith\"\n"
    "Host *.example !bad.example\n"
    "  Port 4431\n"
    "  CA /etc/ssl/ca.pem\n"
    "  CheckAtStart no\n"
    "Host *\r\n"
    "  DynamicForward 1080\n"
    "  LocalForward 9999:other\n"
    "  ConnectTimeout 30s";

client_config_file parse_all(const std::string& text, std::vector<std::string>& errors) {
  client_config_parser p("cfg");
  p.feed(text.data(), text.size());
  p.finish();
  errors = p.errors();
  return p.result();
}

// "key=value" for each resolved entry, joined by spaces.
std::string resolved(const std::string& text, const std::string& host) {
  std::vector<std::string> errors;
  std::vector<client_config_file> files(1, parse_all(text, errors));
  std::vector<config::entry> es = resolve_host(files, host);
  std::string out;
  for (std::size_t i = 0; i < es.size(); ++i) out += (i ? " " : "") + es[i].key + "=" + es[i].value;
  return out;
}

}  // namespace

TEST_GROUP(client_config) {};

TEST(client_config, first_value_wins_and_forwards_accumulate) {
  STRCMP_EQUAL("timeout=5s hostname=192.0.2.7 port=8443 pin=sha256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU= "
               "forward=2525:smtp forward=127.0.0.1:8080:web user=alice smith dynamic=1080 forward=9999:other",
               resolved(sample, "mux1").c_str());
  STRCMP_EQUAL("timeout=5s port=4431 ca=/etc/ssl/ca.pem no-check= dynamic=1080 forward=9999:other",
               resolved(sample, "Other.EXAMPLE").c_str());
  STRCMP_EQUAL("timeout=5s dynamic=1080 forward=9999:other", resolved(sample, "bad.example").c_str());
  STRCMP_EQUAL("timeout=5s hostname=192.0.2.7 port=8443 pin=sha256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU= "
               "forward=2525:smtp forward=127.0.0.1:8080:web user=alice smith ca=/etc/ssl/ca.pem no-check= "
               "dynamic=1080 forward=9999:other",
               resolved(sample, "mux1.example").c_str());
}

TEST(client_config, server_alive_interval_is_the_keepalive) {
  STRCMP_EQUAL("keepalive=30", resolved("Host *\n  ServerAliveInterval 30\n", "mux").c_str());
}

TEST(client_config, split_at_every_position_gives_the_same_result) {
  const std::string text = sample;
  std::vector<std::string> errors;
  const std::string whole = resolved(text, "mux1") + "|" + resolved(text, "x.example");
  for (std::size_t cut = 0; cut <= text.size(); ++cut) {
    for (std::size_t cut2 = cut; cut2 <= text.size(); cut2 += 7) {
      client_config_parser p("cfg");
      p.feed(text.data(), cut);
      p.feed(text.data() + cut, cut2 - cut);
      p.feed(text.data() + cut2, text.size() - cut2);
      p.finish();
      CHECK_TRUE(p.errors().empty());
      std::vector<client_config_file> files(1, p.result());
      std::string got;
      const char* hosts[] = {"mux1", "x.example"};
      for (int h = 0; h < 2; ++h) {
        std::vector<config::entry> es = resolve_host(files, hosts[h]);
        std::string one;
        for (std::size_t i = 0; i < es.size(); ++i) one += (i ? " " : "") + es[i].key + "=" + es[i].value;
        got += (h ? "|" : "") + one;
      }
      STRCMP_EQUAL(whole.c_str(), got.c_str());
    }
  }
}

TEST(client_config, bad_lines_are_reported_with_file_and_line) {
  const char* const cases[][2] = {
      {"Bogus x\n", "cfg:1: unknown keyword 'Bogus'"},
      {"\n\nHost\n", "cfg:3: Host needs at least one pattern"},
      {"Port 0\n", "cfg:1: Port must be 1 to 65535"},
      {"Port 70000\n", "cfg:1: Port must be 1 to 65535"},
      {"Port x\n", "cfg:1: Port must be 1 to 65535"},
      {"CheckAtStart maybe\n", "cfg:1: CheckAtStart must be yes or no"},
      {"Pin\n", "cfg:1: pin takes one value"},
      {"Pin a b\n", "cfg:1: pin takes one value"},
      {"LocalForward a b c\n", "cfg:1: localforward takes one or two values"},
      {"User \"alice\n", "cfg:1: unterminated quote"},
      {"User \"a\"b\n", "cfg:1: text right after a closing quote"},
      {"Match all\n", "cfg:1: unknown keyword 'Match'"},
      {"User a\0b\n", "cfg:1: NUL byte"}};
  for (std::size_t i = 0; i < sizeof cases / sizeof cases[0]; ++i) {
    std::vector<std::string> errors;
    std::string text(cases[i][0], cases[i][0] + std::string(cases[i][0]).size());
    if (i == 12) text = std::string("User a\0b\n", 9);
    parse_all(text, errors);
    LONGS_EQUAL(1, errors.size());
    STRCMP_EQUAL(cases[i][1], errors[0].c_str());
  }
  std::vector<std::string> errors;
  parse_all(std::string(5000, 'x') + "\nPort 1\n", errors);
  LONGS_EQUAL(1, errors.size());
  STRCMP_EQUAL("cfg:1: line longer than 4096 bytes", errors[0].c_str());
}

TEST(client_config, host_patterns_as_ssh) {
  CHECK_TRUE(glob_match("*", "anything"));
  CHECK_TRUE(glob_match("mux?", "MUX1"));
  CHECK_FALSE(glob_match("mux?", "mux12"));
  CHECK_TRUE(glob_match("*.example", "a.b.example"));
  CHECK_TRUE(glob_match("*a", "*ba"));
  CHECK_TRUE(glob_match("a*b*c", "aXXbYYc"));
  CHECK_FALSE(glob_match("a*b*c", "aXXbYY"));
  std::vector<std::string> pats;
  pats.push_back("*.example");
  pats.push_back("!bad.*");
  CHECK_TRUE(host_matches(pats, "good.example"));
  CHECK_FALSE(host_matches(pats, "bad.example"));
  CHECK_FALSE(host_matches(pats, "other.org"));
  std::vector<std::string> only_negated(1, "!x");
  CHECK_FALSE(host_matches(only_negated, "y"));  // as ssh: a negation alone matches nothing
}

TEST(client_config, the_command_line_wins) {
  std::vector<std::string> errors;
  std::vector<client_config_file> files(1, parse_all(sample, errors));
  config::command_line cl;
  config::entry pin;
  pin.key = "pin";
  pin.value = "sha256:cmdline";
  pin.file = "command line";
  cl.entries.push_back(pin);
  config::entry fwd = pin;
  fwd.key = "forward";
  fwd.value = "1:2";
  cl.entries.push_back(fwd);
  std::string host = "mux1";
  std::uint16_t port = 4430;
  merge_config(resolve_host(files, "mux1"), cl, host, port, true);
  STRCMP_EQUAL("192.0.2.7", host.c_str());
  LONGS_EQUAL(4430, port);  // HOST:PORT on the command line
  // File values first, so that the command line's, applied later, win; its -L replaces the file's.
  std::string order;
  for (std::size_t i = 0; i < cl.entries.size(); ++i) order += cl.entries[i].key + "=" + cl.entries[i].value + " ";
  STRCMP_EQUAL("timeout=5s pin=sha256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU= user=alice smith "
               "dynamic=1080 pin=sha256:cmdline forward=1:2 ",
               order.c_str());
  host = "x.example";
  port = 4430;
  config::command_line empty;
  merge_config(resolve_host(files, host), empty, host, port, false);
  LONGS_EQUAL(4431, port);
  CHECK_TRUE(empty.switches.count("no-check") == 1);
}
