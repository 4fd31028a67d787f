// correlare-indexer: extract, index and watch documents (see ../shared/SPEC.md).
// A thin main: parse flags, call the libraries, map failures to exit codes.
#include <iostream>
#include <string>

#include "common/command_line.h"
#include "common/settings.h"
#include "extractors/json_codec.h"
#include "extractors/worker.h"
#include "indexer/commands.h"
#include "indexer/extraction_settings.h"

namespace {

using correlare::indexer::Fail;
using correlare::indexer::kExitFailed;
using correlare::indexer::kExitUsage;

std::vector<correlare::FlagSpec> Flags() {
  auto flags = correlare::CommonFlags();
  for (auto& flag : correlare::indexer::ExtractionFlags()) flags.push_back(flag);
  flags.push_back({"province", true, "ID", "index: file what is indexed under this province"});
  flags.push_back({"type", true, "ID", "index: give what is indexed this document type"});
  flags.push_back({"repair", false, "", "check: delete stored files no document refers to"});
  flags.push_back({"commit_interval_s", true, "S",
                   "index: commit at least this often (default 20; a kill loses at most this much work)"});
  flags.push_back({"commit_batch", true, "N", "index: commit after this many documents (default 2000)"});
  for (auto& flag : correlare::indexer::WatchFlags()) flags.push_back(flag);
  return flags;
}

void PrintHelp() {
  std::cout << "Usage: correlare-indexer [options] VERB [arguments]\n\n"
            << "Verbs:\n"
            << "  extract FILE        print what the extractors see in FILE, as JSON\n"
            << "  index PATH...       add or update files and folders (recursively)\n"
            << "  watch               take what provinces drop into DATA/inbox/<province>/\n"
            << "  retry [PROVINCE]    put rejected inbox files back after fixing the cause\n"
            << "  remove ID           remove a document\n"
            << "  check               verify that index and store agree\n\n"
            << "Options (each also an INI key of the same name in the --config file):\n"
            << correlare::FormatFlagHelp(Flags());
}

int RunExtract(const std::vector<std::string>& args, const correlare::Settings& settings) {
  if (args.size() != 2) return Fail("usage: extract FILE (exactly one file)", kExitUsage);
  auto limits = correlare::indexer::LimitsFromSettings(settings);
  if (!limits.ok()) return Fail(limits.status().message(), kExitUsage);
  correlare::extractors::WorkerOptions options;
  options.limits = limits.value();
  auto result = correlare::extractors::ExtractInWorker(args[1], options);
  if (!result.ok()) {
    std::cout << correlare::extractors::FailureToJson(args[1], result.status(), true) << "\n";
    return Fail(args[1] + ": " + result.status().ToString(), kExitFailed);
  }
  std::cout << correlare::extractors::DocumentToJson(result.value(), true) << "\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    auto cmd = correlare::ParseCommandLine(argc, argv, Flags());
    if (!cmd.ok()) return Fail(cmd.status().message() + " (see --help)", kExitUsage);
    if (cmd.value().Has("help")) {
      PrintHelp();
      return 0;
    }
    const auto& args = cmd.value().positionals;
    if (args.empty()) return Fail("missing verb (see --help)", kExitUsage);
    auto settings = correlare::Settings::Load(cmd.value());
    if (!settings.ok()) return Fail(settings.status().message(), kExitUsage);

    namespace ix = correlare::indexer;
    const std::string& verb = args[0];
    if (verb == "extract") return RunExtract(args, settings.value());
    if (verb == "index") return ix::RunIndex(cmd.value(), settings.value());
    if (verb == "watch") return ix::RunWatch(cmd.value(), settings.value());
    if (verb == "retry") return ix::RunRetry(cmd.value(), settings.value());
    if (verb == "remove") return ix::RunRemove(cmd.value(), settings.value());
    if (verb == "check") return ix::RunCheck(cmd.value(), settings.value());
    return Fail("unknown verb '" + verb + "' (see --help)", kExitUsage);
  } catch (const std::exception& e) {
    return Fail(std::string("unexpected error: ") + e.what(), kExitFailed);
  }
}
