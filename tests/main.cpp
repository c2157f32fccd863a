// SPDX-License-Identifier: GPL-2.0-or-later
// CppUTest entry point shared by every test executable.
#include <cstring>

#include <CppUTest/CommandLineTestRunner.h>
#include <CppUTest/MemoryLeakWarningPlugin.h>

int main(int argc, char** argv) {
  // Asio, wolfSSL and the logger keep lazily created process-wide state that CppUTest's
  // per-test leak check would report; leaks are checked with LSan/valgrind instead.
  MemoryLeakWarningPlugin::turnOffNewDeleteOverloads();
  return CommandLineTestRunner::RunAllTests(argc, argv);
}
