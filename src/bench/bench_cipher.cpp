// SPDX-License-Identifier: GPL-2.0-or-later
// tlsmux bench cipher: what wolfSSL's AES-128-GCM costs per GB in this build, without
// sockets. It is the part of a TLS relay's floor that comes on top of a plain copy relay
// (issue 18, part 3): bench/compare.sh adds it to the floor relay's CPU per GB.
#include "bench/bench.hpp"
#include "bench/bench_internal.hpp"

#include <wolfssl/options.h>
#include <wolfssl/wolfcrypt/aes.h>

#include <ctime>
#include <vector>

namespace tlsmux {
namespace bench {

namespace {

double cpu_seconds() { return static_cast<double>(std::clock()) / CLOCKS_PER_SEC; }

}  // namespace

// Seals size-byte records for o.seconds of CPU time, then opens as many; both per GB.
bool run_cipher_bench(const bench_options& o, bench_report report) {
#if defined(HAVE_AESGCM)
  Aes aes;
  const byte key[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
  byte iv[12] = {0};
  byte tag[16];
  std::vector<byte> plain(o.size, 'x'), sealed(o.size);
  if (wc_AesInit(&aes, nullptr, INVALID_DEVID) != 0 || wc_AesGcmSetKey(&aes, key, sizeof key) != 0) {
    report("error=\"AES-GCM is not available in this build\"");
    return false;
  }
  std::uint64_t records = 0;
  double t0 = cpu_seconds(), enc = 0;
  while ((enc = cpu_seconds() - t0) < o.seconds) {
    for (int i = 0; i < 64; ++i, ++records) {
      iv[11] = static_cast<byte>(records);
      wc_AesGcmEncrypt(&aes, sealed.data(), plain.data(), static_cast<word32>(o.size), iv, sizeof iv, tag,
                       sizeof tag, nullptr, 0);
    }
  }
  double t1 = cpu_seconds();
  int bad = 0;
  for (std::uint64_t i = 0; i < records; ++i) {
    // Opening the last record again and again: the same work, the tag checks every time.
    bad += wc_AesGcmDecrypt(&aes, plain.data(), sealed.data(), static_cast<word32>(o.size), iv, sizeof iv, tag,
                            sizeof tag, nullptr, 0) != 0;
  }
  double dec = cpu_seconds() - t1;
  wc_AesFree(&aes);
  const double gb = static_cast<double>(records) * static_cast<double>(o.size) / 1e9;
  if (bad != 0 || gb <= 0) {
    report("error=\"AES-GCM self-check failed\"");
    return false;
  }
  report("mode=cipher cipher=AES-128-GCM size=" + std::to_string(o.size) + " records=" + std::to_string(records) +
         " encrypt_cpu_s_per_gb=" + fixed(enc / gb, 3) + " decrypt_cpu_s_per_gb=" + fixed(dec / gb, 3));
  return true;
#else
  (void)o;
  report("error=\"AES-GCM is not in this wolfSSL build\"");
  return false;
#endif
}

}  // namespace bench
}  // namespace tlsmux
