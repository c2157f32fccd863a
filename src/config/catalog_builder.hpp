// SPDX-License-Identifier: GPL-2.0-or-later
// Builds the service catalog from `[service NAME]` sections and `service = NAME k=v ...`
// entries. Private to the config module.
#ifndef TLSMUX_CONFIG_CATALOG_BUILDER_HPP
#define TLSMUX_CONFIG_CATALOG_BUILDER_HPP

#include "config/ini.hpp"
#include "policy/rules.hpp"

#include <string>
#include <vector>

namespace tlsmux {
namespace config {

/// Collects services. A later source (file) replaces a service of the same name; within one
/// source a name may be defined once.
class catalog_builder {
 public:
  /// Starts from services that an earlier apply already produced.
  explicit catalog_builder(const std::vector<policy::service>& existing);
  /// One key of section "service NAME".
  void section_entry(const std::string& name, const entry& e, std::vector<error>& errors);
  /// The flag form: value is "NAME key=value ...".
  void flag_entry(const entry& e, std::vector<error>& errors);
  /// Reports services without a port; replaces catalog with the result.
  void finish(std::vector<policy::service>& catalog, std::vector<error>& errors);

 private:
  struct item {
    policy::service svc;
    std::string file;
    int line = 0;
    bool port_set = false;
    bool from_flag = false;
  };
  item* find(const std::string& name);
  item& start(const std::string& name, const entry& e, bool from_flag);

  std::vector<item> items_;
};

}  // namespace config
}  // namespace tlsmux

#endif
