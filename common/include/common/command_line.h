// Command-line parsing shared by every Correlare program. Flags may stand before or
// after the verb (SPEC: `correlare-indexer --data D index P` equals
// `correlare-indexer index P --data D`); `--name value` and `--name=value` both work;
// `--` ends the flags.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "common/status.h"

namespace correlare {

struct FlagSpec {
  std::string name;       // without the leading dashes: "data"
  bool takes_value;       // --data DIR vs --help
  std::string value_name; // "DIR", for the help text
  std::string help;
};

struct CommandLine {
  std::vector<std::string> positionals;       // the verb first, then its arguments
  std::map<std::string, std::string> flags;   // name -> value ("" for switches)

  bool Has(const std::string& name) const { return flags.count(name) != 0; }
  // The flag's value, or `fallback` when it was not given.
  std::string Get(const std::string& name, const std::string& fallback = "") const;
};

// Parses argv[1..argc). Fails on an unknown flag or a flag missing its value, with a
// message naming it.
Result<CommandLine> ParseCommandLine(int argc, const char* const* argv,
                                     const std::vector<FlagSpec>& known);

// The flags every program takes: --config, --help, --data, --taxonomy.
std::vector<FlagSpec> CommonFlags();

// "  --data DIR      where the index, store and inbox live" lines for --help.
std::string FormatFlagHelp(const std::vector<FlagSpec>& flags);

}  // namespace correlare
