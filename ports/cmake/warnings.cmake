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
    target_link_options(tlsmux_flags INTERFACE -fsanitize=${_san})
  endif()
endif()
