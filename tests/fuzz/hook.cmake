# SPDX-License-Identifier: GPL-2.0-or-later
# Stand-in for the top-level `if(TLSMUX_FUZZ) add_subdirectory(tests/fuzz) endif()` while a
# tree does not have it yet: tests/ci/fuzz.sh passes this file as CMAKE_PROJECT_tlsmux_INCLUDE,
# and it includes tests/fuzz/CMakeLists.txt once the top-level directory was processed.
cmake_language(DEFER DIRECTORY ${CMAKE_SOURCE_DIR}
  CALL include ${CMAKE_SOURCE_DIR}/tests/fuzz/CMakeLists.txt)
