// The verbs of correlare-indexer, each a function main() dispatches to. They print
// their own progress and summary, and return the process exit code:
// 0 done, 1 done with failures, 2 bad usage or settings (nothing done).
#pragma once

#include <string>
#include <vector>

#include "common/command_line.h"
#include "common/settings.h"

namespace correlare::indexer {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;
inline constexpr int kExitUsage = 2;

int RunIndex(const CommandLine& cmd, const Settings& settings);   // index PATH...
int RunRemove(const CommandLine& cmd, const Settings& settings);  // remove ID
int RunCheck(const CommandLine& cmd, const Settings& settings);   // check [--repair]
int RunWatch(const CommandLine& cmd, const Settings& settings);   // watch [--poll S] [--once]
int RunRetry(const CommandLine& cmd, const Settings& settings);   // retry [PROVINCE]

// The flags of `watch` (--poll, --once, --settle-ms), for main's flag table.
std::vector<FlagSpec> WatchFlags();

// Writes "correlare-indexer: message" on stderr and returns `code`.
int Fail(const std::string& message, int code);

}  // namespace correlare::indexer
