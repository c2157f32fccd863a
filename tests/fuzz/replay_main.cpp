// SPDX-License-Identifier: GPL-2.0-or-later
// Regression runner without libFuzzer: calls LLVMFuzzerTestOneInput once per file of the
// corpus directories (or files) named on the command line, so every committed input and
// crash reproducer is replayed by ctest, also with compilers that have no libFuzzer.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <dirent.h>
#include <fstream>
#include <iterator>
#include <string>
#include <sys/stat.h>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

bool is_dir(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

// Runs one file; false when it cannot be read.
bool replay(const std::string& path) {
  std::ifstream in(path.c_str(), std::ios::binary);
  if (!in) return false;
  std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<std::uint8_t> copy(bytes.begin(), bytes.end());   // exact size, like libFuzzer's
  LLVMFuzzerTestOneInput(copy.empty() ? nullptr : copy.data(), copy.size());
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t runs = 0;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    std::vector<std::string> files;
    if (is_dir(arg)) {
      DIR* d = opendir(arg.c_str());
      if (d == nullptr) {
        std::fprintf(stderr, "cannot open %s\n", arg.c_str());
        return 1;
      }
      while (dirent* e = readdir(d)) {
        std::string name = e->d_name;
        if (name != "." && name != ".." && !is_dir(arg + "/" + name)) files.push_back(arg + "/" + name);
      }
      closedir(d);
    } else {
      files.push_back(arg);
    }
    for (std::size_t f = 0; f < files.size(); ++f) {
      if (!replay(files[f])) {
        std::fprintf(stderr, "cannot read %s\n", files[f].c_str());
        return 1;
      }
      ++runs;
    }
  }
  std::printf("replayed %zu inputs\n", runs);
  return runs > 0 ? 0 : 1;
}
