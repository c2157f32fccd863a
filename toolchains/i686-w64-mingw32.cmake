# SPDX-License-Identifier: GPL-2.0-or-later
# Windows x86 (32-bit) with Debian's mingw-w64, posix thread model: build only. Debian has
# no wine32 here, and wine runs an i686 exe as a silent no-op that exits 0 (PORTING G10a),
# so no emulator is set and ctest would run nothing useful.
set(TLSMUX_MINGW_TRIPLET i686-w64-mingw32)
set(TLSMUX_MINGW_PROCESSOR x86)
set(TLSMUX_MINGW_WINNT 0x0501)            # Windows XP / Server 2003 and later
set(TLSMUX_MINGW_PORT windows-i686)
include(${CMAKE_CURRENT_LIST_DIR}/x86_64-w64-mingw32.cmake)
unset(CMAKE_CROSSCOMPILING_EMULATOR)
