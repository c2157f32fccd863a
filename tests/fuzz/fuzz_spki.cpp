// SPDX-License-Identifier: GPL-2.0-or-later
// Fuzz target: the DER walker that finds a certificate's SubjectPublicKeyInfo for pins.
// The SPKI it reports must lie inside the input and be a whole DER SEQUENCE.
#include "fuzz_support.hpp"
#include "tls/pin.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  tlsmux_fuzz::heap_copy copy(data, size);
  std::size_t offset = 0, length = 0;
  const bool found = tlsmux::tls::find_spki(copy.data(), copy.size(), offset, length);
  if (found) {
    FUZZ_CHECK(offset < size && length >= 2 && length <= size - offset);
    FUZZ_CHECK(copy.data()[offset] == 0x30);
  }
  const std::vector<std::uint8_t> der(data, data + size);   // exact size as well
  const std::string pin = tlsmux::tls::spki_pin(der);
  FUZZ_CHECK(pin.empty() != found);
  if (found) FUZZ_CHECK(tlsmux::tls::is_valid_pin(pin));
  return 0;
}
