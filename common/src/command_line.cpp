#include "common/command_line.h"

#include <algorithm>

namespace correlare {

std::string CommandLine::Get(const std::string& name, const std::string& fallback) const {
  auto it = flags.find(name);
  return it == flags.end() ? fallback : it->second;
}

Result<CommandLine> ParseCommandLine(int argc, const char* const* argv,
                                     const std::vector<FlagSpec>& known) {
  CommandLine out;
  bool flags_ended = false;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (flags_ended || arg.size() < 2 || arg.rfind("--", 0) != 0) {
      if (!flags_ended && arg.size() >= 2 && arg[0] == '-' && arg[1] != '-') {
        return Status(StatusCode::kInvalidArgument,
                      "unknown option '" + arg + "' (options are spelled --name)");
      }
      out.positionals.push_back(arg);
      continue;
    }
    if (arg == "--") {
      flags_ended = true;
      continue;
    }
    std::string name = arg.substr(2);
    std::string value;
    bool has_inline_value = false;
    if (auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
      has_inline_value = true;
    }
    auto spec = std::find_if(known.begin(), known.end(),
                             [&](const FlagSpec& f) { return f.name == name; });
    if (spec == known.end()) {
      return Status(StatusCode::kInvalidArgument, "unknown option '--" + name + "'");
    }
    if (spec->takes_value && !has_inline_value) {
      if (i + 1 >= argc) {
        return Status(StatusCode::kInvalidArgument,
                      "option '--" + name + "' needs a value (" + spec->value_name + ")");
      }
      value = argv[++i];
    } else if (!spec->takes_value && has_inline_value) {
      return Status(StatusCode::kInvalidArgument, "option '--" + name + "' takes no value");
    }
    out.flags[name] = value;
  }
  return out;
}

std::vector<FlagSpec> CommonFlags() {
  return {
      {"config", true, "FILE", "INI settings file (default: ./correlare.ini if present)"},
      {"data", true, "DIR", "where the index, store and inbox live (default: var)"},
      {"taxonomy", true, "FILE", "taxonomy file (default: taxonomy/taxonomy.json)"},
      {"help", false, "", "print this help and exit"},
  };
}

std::string FormatFlagHelp(const std::vector<FlagSpec>& flags) {
  std::string out;
  for (const auto& f : flags) {
    std::string left = "  --" + f.name;
    if (f.takes_value) left += " " + f.value_name;
    if (left.size() < 24) left.resize(24, ' ');
    else left += "  ";
    out += left + f.help + "\n";
  }
  return out;
}

}  // namespace correlare
