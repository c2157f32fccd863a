// SPDX-License-Identifier: GPL-2.0-or-later
// Fuzz target: the client's known_hosts parser on arbitrary text. Corrupt lines must only
// produce warnings; a line the client writes itself (format()) must be found again.
#include "client/known_hosts.hpp"
#include "fuzz_support.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace kh = tlsmux::client;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 64 * 1024) return 0;
  const std::string text(reinterpret_cast<const char*>(data), size);
  const std::string pin = "sha256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=";
  const std::string other = "sha256:ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=";

  kh::known_hosts db;
  std::vector<std::string> warnings;
  db.load(text, "known_hosts", warnings);
  for (std::size_t i = 0; i < warnings.size(); ++i)
    FUZZ_CHECK(warnings[i].compare(0, 12, "known_hosts:") == 0);

  // Look up the first word of the text as a key, and a fixed key.
  std::string first = text.substr(0, text.find_first_of(" \t\r\n"));
  kh::known_host found;
  kh::trust t = db.check(first, pin, found);
  if (t != kh::trust::unknown) FUZZ_CHECK(found.line >= 1 && found.key.size() == first.size());

  // Appending a line the client would write makes that key and pin match, whatever came
  // before it.
  const std::string key = kh::known_hosts::make_key("Host.Example", 4430);
  std::string appended = text;
  if (!appended.empty() && appended[appended.size() - 1] != '\n') appended += '\n';
  appended += kh::known_hosts::format(key, pin);
  kh::known_hosts again;
  std::vector<std::string> warnings2;
  again.load(appended, "known_hosts", warnings2);
  FUZZ_CHECK(again.check(key, pin, found) == kh::trust::match && found.key == key);
  FUZZ_CHECK(again.check(key, other, found) != kh::trust::unknown);
  return 0;
}
