// SPDX-License-Identifier: GPL-2.0-or-later
// Fuzz target: the configuration path of the server on arbitrary text: parse_ini, then
// apply_entries and validate on whatever entries came out. Nothing may crash or hang, and the
// "true means no errors" contracts must hold.
#include "config/ini.hpp"
#include "config/server_config.hpp"
#include "fuzz_support.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace cfg = tlsmux::config;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 64 * 1024) return 0;
  const std::string text(reinterpret_cast<const char*>(data), size);
  std::vector<cfg::entry> entries;
  std::vector<cfg::error> errors;
  const bool parsed = cfg::parse_ini(text, "fuzz.conf", entries, errors);
  FUZZ_CHECK(parsed == errors.empty());
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const cfg::entry& e = entries[i];
    FUZZ_CHECK(!e.key.empty() && e.line >= 1 && e.file == "fuzz.conf");
    FUZZ_CHECK(e.key.find('_') == std::string::npos);
    FUZZ_CHECK(e.key.find('\0') == std::string::npos && e.value.find('\0') == std::string::npos);
    for (std::size_t k = 0; k < e.key.size(); ++k) FUZZ_CHECK(!(e.key[k] >= 'A' && e.key[k] <= 'Z'));
  }
  for (std::size_t i = 0; i < errors.size(); ++i) FUZZ_CHECK(!errors[i].to_string().empty());
  // Apply whatever parsed, also when some lines were bad (the server would stop, but the
  // code must still be safe on the rest).
  cfg::server_config config;
  std::vector<cfg::error> apply_errors;
  const bool applied = cfg::apply_entries(entries, config, apply_errors);
  FUZZ_CHECK(applied == apply_errors.empty());
  std::vector<cfg::error> validate_errors;
  const bool valid = cfg::validate(config, validate_errors);
  FUZZ_CHECK(valid == validate_errors.empty());
  if (applied && valid) {
    FUZZ_CHECK(config.buffer_size >= 1024);
    FUZZ_CHECK(config.tls_profile == "intermediate" || config.tls_profile == "modern");
  }
  return 0;
}
