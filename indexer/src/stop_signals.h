// SIGINT and SIGTERM ask a long-running verb (index, watch) to stop cleanly: it stops
// taking new files and commits what it has done before it exits. A second signal kills
// at once, which loses nothing either: the index keeps its last commit.
#pragma once

#include <atomic>

namespace correlare::indexer {

// Set by the first SIGINT or SIGTERM after HandleStopSignals().
std::atomic<bool>& StopRequested();

void HandleStopSignals();

}  // namespace correlare::indexer
