// correlare-searchd: the HTTP daemon (see ../shared/SPEC.md, "Programs" and "HTTP API").
// A thin main: parse flags, read settings, run the daemon, map failures to exit codes.
#include <cstdio>
#include <iostream>
#include <string>

#include "common/command_line.h"
#include "common/settings.h"
#include "daemon.h"

namespace {

namespace sd = correlare::searchd;

std::vector<correlare::FlagSpec> Flags() {
  auto flags = correlare::CommonFlags();
  for (auto& flag : sd::DaemonFlags()) flags.push_back(flag);
  return flags;
}

int Fail(const std::string& message, int code) {
  std::cerr << "correlare-searchd: " << message << "\n";
  return code;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    auto cmd = correlare::ParseCommandLine(argc, argv, Flags());
    if (!cmd.ok()) return Fail(cmd.status().message() + " (see --help)", sd::kExitUsage);
    if (cmd.value().Has("help")) {
      std::cout << "Usage: correlare-searchd [options]\n\n"
                << "Serves the HTTP API and the web UI over DATA/index and DATA/store until\n"
                << "SIGINT or SIGTERM. Binds 127.0.0.1 by default: in production it sits\n"
                << "behind a reverse proxy.\n\n"
                << "Options (each also an INI key of the same name in the --config file):\n"
                << correlare::FormatFlagHelp(Flags());
      return sd::kExitOk;
    }
    if (!cmd.value().positionals.empty()) {
      return Fail("unexpected argument '" + cmd.value().positionals[0] + "' (see --help)",
                  sd::kExitUsage);
    }
    auto settings = correlare::Settings::Load(cmd.value());
    if (!settings.ok()) return Fail(settings.status().message(), sd::kExitUsage);
    auto options = sd::DaemonOptionsFromSettings(settings.value());
    if (!options.ok()) return Fail(options.status().message(), sd::kExitUsage);
    return sd::RunDaemon(options.value());
  } catch (const std::exception& e) {
    return Fail(std::string("unexpected error: ") + e.what(), sd::kExitFailed);
  }
}
