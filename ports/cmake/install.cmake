# SPDX-License-Identifier: GPL-2.0-or-later
# Installation and packages (ports/README.md, "Packages"). Two layouts, two install components:
#
#   system   (the default: `cmake --install`, the .deb) the binary in BINDIR, the man pages,
#            SYSCONFDIR/tlsmux/tlsmux.conf (a conffile in the .deb), the systemd units in
#            TLSMUX_SYSTEMD_UNIT_DIR, the other service files under DATADIR/tlsmux/service.
#            Every service file names this layout's binary and configuration file: they are
#            rewritten here at configure time from ports/service.
#   tarball  (EXCLUDE_FROM_ALL: the relocatable .tar.gz per target, for old Unix) bin/, man/,
#            etc/tlsmux.conf.example, service/ as in ports/service, doc/ and install.sh, which
#            rewrites the paths for the PREFIX it installs to (ports/tarball/install.sh).
#
# cpack builds both: the DEB generator packs "system", the TGZ generator "tarball"
# (ports/cmake/cpack-generators.cmake picks them).
include(GNUInstallDirs)
set(TLSMUX_SYSTEMD_UNIT_DIR "/lib/systemd/system" CACHE PATH
    "where the system layout installs the systemd units (Debian 12: /lib/systemd/system)")
set(TLSMUX_SERVICE_USER "tlsmux" CACHE STRING
    "the user the system layout's service files run the server as (the .deb creates it)")

set(_bin "${CMAKE_INSTALL_FULL_BINDIR}/tlsmux")
set(_conf "${CMAKE_INSTALL_FULL_SYSCONFDIR}/tlsmux/tlsmux.conf")
set(_svc_src "${PROJECT_SOURCE_DIR}/ports/service")
set(_svc_out "${PROJECT_BINARY_DIR}/service-system")
file(GLOB_RECURSE _svc_files RELATIVE "${_svc_src}" "${_svc_src}/*")
foreach(_f ${_svc_files})
  file(READ "${_svc_src}/${_f}" _text)
  string(REPLACE "/usr/local/etc/tlsmux/tlsmux.conf" "@TLSMUX_CONF@" _text "${_text}")
  string(REPLACE "/etc/tlsmux/tlsmux.conf" "@TLSMUX_CONF@" _text "${_text}")
  string(REPLACE "@TLSMUX_CONF@" "${_conf}" _text "${_text}")
  string(REPLACE "/usr/local/bin/tlsmux" "${_bin}" _text "${_text}")
  string(REPLACE "/usr/bin/tlsmux" "${_bin}" _text "${_text}")
  string(REPLACE "TLSMUX_USER=\${TLSMUX_USER:-}" "TLSMUX_USER=\${TLSMUX_USER:-${TLSMUX_SERVICE_USER}}"
         _text "${_text}")
  file(WRITE "${_svc_out}/${_f}" "${_text}")
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${_svc_src}/${_f}")
endforeach()
set(_scripts sysv/tlsmux bsd-rc.d/tlsmux aix-src/mkssys.sh)

# ---- system layout ----
install(TARGETS tlsmux RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT system)
install(FILES man/tlsmux.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 COMPONENT system)
install(FILES man/tlsmux.conf.5 man/tlsmux_config.5 DESTINATION ${CMAKE_INSTALL_MANDIR}/man5 COMPONENT system)
if(NOT WIN32)
  install(FILES ports/tlsmux.conf.example DESTINATION ${CMAKE_INSTALL_FULL_SYSCONFDIR}/tlsmux
          RENAME tlsmux.conf COMPONENT system)
  install(FILES ports/tlsmux.conf.example DESTINATION ${CMAKE_INSTALL_DATADIR}/tlsmux COMPONENT system)
  install(FILES "${_svc_out}/systemd/tlsmux.service" "${_svc_out}/systemd/tlsmux.socket"
                "${_svc_out}/systemd/tlsmux-inetd.socket" "${_svc_out}/systemd/tlsmux-inetd@.service"
          DESTINATION ${TLSMUX_SYSTEMD_UNIT_DIR} COMPONENT system)
  install(DIRECTORY "${_svc_out}/" DESTINATION ${CMAKE_INSTALL_DATADIR}/tlsmux/service
          COMPONENT system PATTERN README.md EXCLUDE)
  foreach(_s ${_scripts})
    get_filename_component(_d "${_s}" DIRECTORY)
    install(PROGRAMS "${_svc_out}/${_s}" DESTINATION ${CMAKE_INSTALL_DATADIR}/tlsmux/service/${_d}
            COMPONENT system)
  endforeach()
endif()
install(FILES README.md DESTINATION ${CMAKE_INSTALL_DOCDIR} COMPONENT system)
install(FILES ports/service/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR} RENAME service-files.md
        COMPONENT system)
install(FILES docs/protocol.md docs/security.md DESTINATION ${CMAKE_INSTALL_DOCDIR} COMPONENT system)

# ---- relocatable tarball ----
install(TARGETS tlsmux RUNTIME DESTINATION bin COMPONENT tarball EXCLUDE_FROM_ALL)
install(FILES man/tlsmux.1 DESTINATION man/man1 COMPONENT tarball EXCLUDE_FROM_ALL)
install(FILES man/tlsmux.conf.5 man/tlsmux_config.5 DESTINATION man/man5 COMPONENT tarball EXCLUDE_FROM_ALL)
install(FILES ports/tlsmux.conf.example DESTINATION etc COMPONENT tarball EXCLUDE_FROM_ALL)
if(NOT WIN32)  # Windows: `tlsmux service install` registers the service itself
  install(DIRECTORY ports/service/ DESTINATION service COMPONENT tarball EXCLUDE_FROM_ALL
          PATTERN README.md EXCLUDE)
  foreach(_s ${_scripts})
    get_filename_component(_d "${_s}" DIRECTORY)
    install(PROGRAMS "ports/service/${_s}" DESTINATION service/${_d} COMPONENT tarball
            EXCLUDE_FROM_ALL)
  endforeach()
  install(PROGRAMS ports/tarball/install.sh DESTINATION . COMPONENT tarball EXCLUDE_FROM_ALL)
  install(FILES ports/tarball/README DESTINATION . COMPONENT tarball EXCLUDE_FROM_ALL)
endif()
install(FILES README.md docs/protocol.md docs/security.md
        DESTINATION doc COMPONENT tarball EXCLUDE_FROM_ALL)
install(FILES ports/service/README.md DESTINATION doc RENAME service-files.md
        COMPONENT tarball EXCLUDE_FROM_ALL)

# ---- packages ----
set(CPACK_PACKAGE_NAME tlsmux)
set(CPACK_PACKAGE_VENDOR "tlsmux developers")
set(CPACK_PACKAGE_CONTACT "tlsmux developers <dev@tlsmux.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "TLS access to every cleartext service of a host (TLSMUX)")
set(CPACK_RESOURCE_FILE_README ${PROJECT_SOURCE_DIR}/README.md)
set(CPACK_STRIP_FILES ON)
string(TOLOWER "${CMAKE_SYSTEM_NAME}-${CMAKE_SYSTEM_PROCESSOR}" CPACK_SYSTEM_NAME)
set(CPACK_COMPONENTS_GROUPING ALL_COMPONENTS_IN_ONE)
set(CPACK_PROJECT_CONFIG_FILE "${PROJECT_SOURCE_DIR}/ports/cmake/cpack-generators.cmake")
if(WIN32)
  set(CPACK_GENERATOR ZIP)
  set(CPACK_ARCHIVE_COMPONENT_INSTALL ON)
else()
  set(CPACK_GENERATOR "TGZ;DEB")
  set(CPACK_ARCHIVE_COMPONENT_INSTALL ON)
  set(CPACK_DEB_COMPONENT_INSTALL ON)
  # The DEB's paths are the system layout's, so the package prefix is the install prefix:
  # configure with -DCMAKE_INSTALL_PREFIX=/usr (the linux-x86_64-package preset does).
  set(CPACK_PACKAGING_INSTALL_PREFIX "${CMAKE_INSTALL_PREFIX}")
  set(CPACK_DEBIAN_PACKAGE_SECTION net)
  set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
  set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
  set(CPACK_DEBIAN_PACKAGE_DEPENDS "passwd")
  set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
  set(_deb "${PROJECT_BINARY_DIR}/debian-control")
  file(MAKE_DIRECTORY "${_deb}")
  file(WRITE "${_deb}/conffiles" "${_conf}\n")
  foreach(_m postinst prerm postrm)
    configure_file("${PROJECT_SOURCE_DIR}/ports/debian/${_m}" "${_deb}/in/${_m}" @ONLY)
    file(COPY "${_deb}/in/${_m}" DESTINATION "${_deb}"
         FILE_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE
                          WORLD_READ WORLD_EXECUTE)
  endforeach()
  set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA "${_deb}/conffiles;${_deb}/postinst;${_deb}/prerm;${_deb}/postrm")
endif()
include(CPack)
