// SPDX-License-Identifier: GPL-2.0-or-later
// Fuzz target: the client configuration file parser (tlsmux_config(5)) on arbitrary text.
// Bad lines only produce "FILE:LINE: ..." errors; the text split at a data-chosen point parses
// the same as whole; resolving any host yields only known option names.
#include "client/client_config.hpp"
#include "fuzz_support.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace cc = tlsmux::client;

namespace {

std::string flat(const std::vector<tlsmux::config::entry>& es) {
  std::string out;
  for (std::size_t i = 0; i < es.size(); ++i) out += es[i].key + "=" + es[i].value + "\n";
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 64 * 1024) return 0;
  const std::string text(reinterpret_cast<const char*>(data), size);
  cc::client_config_parser whole("fuzz");
  whole.feed(text.data(), text.size());
  whole.finish();
  for (std::size_t i = 0; i < whole.errors().size(); ++i) FUZZ_CHECK(whole.errors()[i].compare(0, 5, "fuzz:") == 0);

  const std::size_t cut = size == 0 ? 0 : data[0] % (size + 1);
  cc::client_config_parser split("fuzz");
  split.feed(text.data(), cut);
  split.feed(text.data() + cut, size - cut);
  split.finish();
  FUZZ_CHECK(split.errors() == whole.errors());

  std::vector<cc::client_config_file> a(1, whole.result()), b(1, split.result());
  const std::string host = text.substr(0, text.find_first_of(" \t\r\n"));
  const std::vector<tlsmux::config::entry> ra = cc::resolve_host(a, host);
  FUZZ_CHECK(flat(ra) == flat(cc::resolve_host(b, host)));
  static const char* const known[] = {"hostname", "port", "pin", "ca", "cert", "key", "user", "password-file",
                                      "timeout", "known-hosts", "server-name", "tls-profile", "no-check",
                                      "forward", "dynamic"};
  for (std::size_t i = 0; i < ra.size(); ++i) {
    bool ok = false;
    for (std::size_t k = 0; k < sizeof known / sizeof known[0]; ++k) ok = ok || ra[i].key == known[k];
    FUZZ_CHECK(ok && ra[i].line >= 1);
  }
  return 0;
}
