# SPDX-License-Identifier: GPL-2.0-or-later
# Warning and sanitizer flags for host builds; vendor compilers set their own in ports/<port>.
add_library(tlsmux_flags INTERFACE)
if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
  target_compile_options(tlsmux_flags INTERFACE -Wall -Wextra -Wformat=2 -Wno-psabi)
  if(TLSMUX_WERROR)
    target_compile_options(tlsmux_flags INTERFACE -Werror)
  endif()
  if(TLSMUX_SANITIZE)
    string(REPLACE ";" "," _san "${TLSMUX_SANITIZE}")
    target_compile_options(tlsmux_flags INTERFACE -fsanitize=${_san} -fno-omit-frame-pointer -fno-sanitize-recover=all)
    if("undefined" IN_LIST TLSMUX_SANITIZE)
      # vptr reports are recoverable so that UBSAN_OPTIONS=halt_on_error decides (1 in CI): the
      # one test that runs out of descriptors on purpose sets 0, because UBSan probes a vtable
      # with pipe() before reading it and reports a sound object as "invalid vptr" on EMFILE
      # (tests/abuse/client_fd_exhaustion.sh). Everything else stays fatal as compiled.
      target_compile_options(tlsmux_flags INTERFACE -fsanitize-recover=vptr)
    endif()
    target_link_options(tlsmux_flags INTERFACE -fsanitize=${_san})
  endif()
endif()
