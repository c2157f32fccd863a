# SPDX-License-Identifier: GPL-2.0-or-later
# CPACK_PROJECT_CONFIG_FILE: which install component each generator packs
# (ports/cmake/install.cmake): the .deb the system layout, archives the relocatable tarball.
if(CPACK_GENERATOR STREQUAL "DEB")
  set(CPACK_COMPONENTS_ALL system)
else()
  set(CPACK_COMPONENTS_ALL tarball)
  set(CPACK_PACKAGING_INSTALL_PREFIX "/")
  # One top directory, tlsmux-VERSION-SYSTEM-CPU/, as tar users expect.
  set(CPACK_INCLUDE_TOPLEVEL_DIRECTORY ON)
  set(CPACK_COMPONENT_INCLUDE_TOPLEVEL_DIRECTORY ON)
endif()
