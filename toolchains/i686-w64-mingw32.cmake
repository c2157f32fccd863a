# SPDX-License-Identifier: GPL-2.0-or-later
# Windows x86 (32-bit) with Debian's mingw-w64, posix thread model: build only. Debian has
# no wine32 here, and wine runs an i686 exe as a silent no-op that exits 0 (PORTING G10a),
# so no emulator is set and ctest would run nothing useful.
set(TLSMUX_MINGW_TRIPLET i686-w64-mingw32)
set(TLSMUX_MINGW_PROCESSOR x86)
# Our code and Asio are held to the XP / Server 2003 API (0x0501). The exe still needs Vista /
# Server 2008: Debian's posix-thread libwinpthread imports GetTickCount64, and the win32
# thread model has no std::thread/std::mutex in gcc 12. tests/ci/windows.sh lists the imports.
set(TLSMUX_MINGW_WINNT 0x0501)
set(TLSMUX_MINGW_PORT windows-i686)
include(${CMAKE_CURRENT_LIST_DIR}/x86_64-w64-mingw32.cmake)
unset(CMAKE_CROSSCOMPILING_EMULATOR)
