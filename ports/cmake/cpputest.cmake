# SPDX-License-Identifier: GPL-2.0-or-later
# Cross builds: finds the CppUTest that ports/cpputest/build-for-target.sh built for this
# target, so a toolchain file and -DCppUTest_DIR are not both needed. Debian's libcpputest-dev
# is for the host only (PORTING G14); tests/CMakeLists.txt uses CppUTest_DIR when it is set.
if(CMAKE_CROSSCOMPILING AND NOT CppUTest_DIR AND CMAKE_TOOLCHAIN_FILE)
  # build-for-target.sh installs to $TLSMUX_CACHE/cpputest-<toolchain file name>.
  get_filename_component(_tlsmux_tc "${CMAKE_TOOLCHAIN_FILE}" NAME_WE)
  set(_tlsmux_cpputest "${_tlsmux_cache}/cpputest-${_tlsmux_tc}/lib/CppUTest/cmake")
  if(EXISTS "${_tlsmux_cpputest}/CppUTestConfig.cmake")
    set(CppUTest_DIR "${_tlsmux_cpputest}" CACHE PATH "CppUTest built for ${_tlsmux_tc}")
  else()
    message(FATAL_ERROR "No CppUTest for ${_tlsmux_tc} in ${_tlsmux_cpputest}: run\n"
      "  ${PROJECT_SOURCE_DIR}/ports/cpputest/build-for-target.sh ${CMAKE_TOOLCHAIN_FILE}\n"
      "or pass -DCppUTest_DIR=<prefix>/lib/CppUTest/cmake, or -DTLSMUX_BUILD_TESTS=OFF.")
  endif()
endif()
