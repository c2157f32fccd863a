// SPDX-License-Identifier: GPL-2.0-or-later
// Shared helpers of the fuzz targets: checked assertions, exact-size heap copies and a reader
// that takes fuzzer-chosen values from the front of the input.
#ifndef TLSMUX_TESTS_FUZZ_FUZZ_SUPPORT_HPP
#define TLSMUX_TESTS_FUZZ_FUZZ_SUPPORT_HPP

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>

/// Aborts (a crash for libFuzzer) when cond is false, naming the broken property.
#define FUZZ_CHECK(cond)                                                              \
  do {                                                                                \
    if (!(cond)) {                                                                    \
      std::fprintf(stderr, "fuzz property violated: %s (%s:%d)\n", #cond, __FILE__, \
                   __LINE__);                                                         \
      std::abort();                                                                   \
    }                                                                                 \
  } while (0)

namespace tlsmux_fuzz {

/// A heap copy of exactly n bytes, so that ASan reports a read of p[n] (new[0] included).
class heap_copy {
 public:
  /// Copies p[0..n).
  heap_copy(const std::uint8_t* p, std::size_t n) : data_(new std::uint8_t[n]), size_(n) {
    if (n > 0) std::memcpy(data_.get(), p, n);
  }
  /// The copy.
  const std::uint8_t* data() const { return data_.get(); }
  /// Its size.
  std::size_t size() const { return size_; }

 private:
  std::unique_ptr<std::uint8_t[]> data_;
  std::size_t size_;
};

/// Takes fuzzer-chosen values from the front of the input; returns zeros once it runs out.
class reader {
 public:
  /// Reads from p[0..n).
  reader(const std::uint8_t* p, std::size_t n) : p_(p), n_(n) {}
  /// One byte.
  std::uint8_t byte() {
    if (n_ == 0) return 0;
    --n_;
    return *p_++;
  }
  /// A big-endian 16-bit value.
  std::uint16_t u16() {
    std::uint16_t hi = byte();
    return static_cast<std::uint16_t>((hi << 8) | byte());
  }
  /// Up to k bytes as a string.
  std::string text(std::size_t k) {
    if (k > n_) k = n_;
    std::string s(reinterpret_cast<const char*>(p_), k);
    p_ += k;
    n_ -= k;
    return s;
  }
  /// Exactly k bytes into out, zero-padded when the input runs out.
  void fill(std::uint8_t* out, std::size_t k) {
    for (std::size_t i = 0; i < k; ++i) out[i] = byte();
  }
  /// The unread part.
  const std::uint8_t* rest() const { return p_; }
  /// Its size.
  std::size_t remaining() const { return n_; }

 private:
  const std::uint8_t* p_;
  std::size_t n_;
};

}  // namespace tlsmux_fuzz

#endif
