// Extraction in a helper process, so that one file can neither hang nor crash the
// caller: the worker (`correlare-extract-worker`) runs with an address-space and CPU
// rlimit and is killed at a wall-clock deadline. A crash, a timeout or running out of
// memory comes back as a Status naming it ("the PDF extractor crashed (signal 11)"),
// distinct from the worker's own "this file is corrupt" answers.
//
// Thread safety: ExtractInWorker may be called from many threads at once; each call
// starts its own process.
#pragma once

#include <string>

#include "common/status.h"
#include "extractors/document.h"
#include "extractors/limits.h"

namespace correlare::extractors {

struct WorkerOptions {
  // Path of the correlare-extract-worker binary. Empty: the one next to the running
  // program (/proc/self/exe), else $CORRELARE_EXTRACT_WORKER.
  std::string worker_path;
  Limits limits;
  // When set, the worker writes the bytes of every bundle member to this folder as
  // files named by their content id (it may write nothing else, and no more than the
  // bundle limits allow). Must exist.
  std::string members_dir;
};

Result<ExtractedDocument> ExtractInWorker(const std::string& file_path,
                                          const WorkerOptions& options);

// The worker's side: parses its argv, extracts, writes JSON to stdout. Returns the exit
// code. Used by the worker's main and nothing else.
int RunExtractWorker(int argc, char** argv);

}  // namespace correlare::extractors
