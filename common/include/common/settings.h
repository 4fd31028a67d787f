// Settings: the merge of built-in defaults, the INI file and the command line, in
// that order of precedence (a flag wins). Each setting is both a flag and an INI key of
// the same name (SPEC "Programs").
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "common/command_line.h"
#include "common/status.h"

namespace correlare {

class Settings {
 public:
  // Reads --config FILE if given (a missing file is an error), else ./correlare.ini if
  // it exists, then applies every flag of `cmd` on top.
  static Result<Settings> Load(const CommandLine& cmd);

  std::string data_dir() const { return GetString("data", "var"); }
  std::string taxonomy_file() const { return GetString("taxonomy", "taxonomy/taxonomy.json"); }

  std::string GetString(const std::string& key, const std::string& fallback) const;
  // Fails with a message naming the key when the value is not a whole number.
  Result<int64_t> GetInt(const std::string& key, int64_t fallback) const;

  void Set(const std::string& key, const std::string& value) { values_[key] = value; }

 private:
  std::map<std::string, std::string> values_;
};

}  // namespace correlare
