#include "common/settings.h"

#include <filesystem>

#include <Poco/AutoPtr.h>
#include <Poco/Exception.h>
#include <Poco/Util/IniFileConfiguration.h>

namespace correlare {
namespace {

Status ReadIni(const std::string& path, std::map<std::string, std::string>& into) {
  try {
    Poco::AutoPtr<Poco::Util::IniFileConfiguration> ini(
        new Poco::Util::IniFileConfiguration(path));
    // Keys may stand at top level ("data = var") or in a section; a section's keys are
    // also reachable without the section ("[indexer] data=..." sets "data").
    Poco::Util::AbstractConfiguration::Keys roots;
    ini->keys(roots);
    for (const auto& root : roots) {
      if (ini->hasOption(root) && !ini->getString(root).empty()) {
        into[root] = ini->getString(root);
      }
      Poco::Util::AbstractConfiguration::Keys inner;
      ini->keys(root, inner);
      for (const auto& key : inner) into[key] = ini->getString(root + "." + key);
    }
  } catch (const Poco::Exception& e) {
    return Status(StatusCode::kInvalidArgument,
                  "cannot read settings file '" + path + "': " + e.displayText());
  }
  return Status::Ok();
}

}  // namespace

Result<Settings> Settings::Load(const CommandLine& cmd) {
  Settings settings;
  std::string path = cmd.Get("config");
  if (!path.empty()) {
    if (!std::filesystem::is_regular_file(path)) {
      return Status(StatusCode::kNotFound, "settings file '" + path + "' does not exist");
    }
  } else if (std::filesystem::is_regular_file("correlare.ini")) {
    path = "correlare.ini";
  }
  if (!path.empty()) {
    Status read = ReadIni(path, settings.values_);
    if (!read.ok()) return read;
  }
  for (const auto& [name, value] : cmd.flags) {
    if (name != "config" && name != "help") settings.values_[name] = value;
  }
  return settings;
}

std::string Settings::GetString(const std::string& key, const std::string& fallback) const {
  auto it = values_.find(key);
  return it == values_.end() ? fallback : it->second;
}

Result<int64_t> Settings::GetInt(const std::string& key, int64_t fallback) const {
  auto it = values_.find(key);
  if (it == values_.end()) return fallback;
  try {
    size_t used = 0;
    int64_t value = std::stoll(it->second, &used);
    if (used == it->second.size()) return value;
  } catch (const std::exception&) {
  }
  return Status(StatusCode::kInvalidArgument,
                "setting '" + key + "' must be a whole number, not '" + it->second + "'");
}

}  // namespace correlare
