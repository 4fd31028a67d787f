// Extraction in a helper process, so that one file can neither hang nor crash the
// caller: the worker (`correlare-extract-worker`) runs with an address-space and CPU
// rlimit and is killed at a wall-clock deadline. A crash, a timeout or running out of
// memory comes back as a Status naming it ("the PDF extractor crashed (signal 11)"),
// distinct from the worker's own "this file is corrupt" answers.
//
// Two ways to use it: ExtractInWorker starts a process for one file; an ExtractionWorker
// keeps one process for many files (the indexer: starting a process and loading the
// extractors' data per file cost more than extracting a small file).
//
// Thread safety: ExtractInWorker may be called from many threads at once; each call
// starts its own process. An ExtractionWorker is used by one thread at a time.
#pragma once

#include <memory>
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

// A worker process kept for many files. Each file has the limits of a one-shot worker:
// the wall-clock deadline and the CPU limit are per file, the memory limit is the
// process's. After a crash, a timeout or running out of memory the process is replaced;
// a file that crashed or exhausted a process that had already served other files is
// tried once more in a fresh one, so that no file pays for another's leftovers. The
// process is also replaced after `kFilesPerProcess` files.
class ExtractionWorker {
 public:
  static constexpr int kFilesPerProcess = 500;

  // options.members_dir is ignored: each Extract names its own.
  explicit ExtractionWorker(WorkerOptions options);
  ~ExtractionWorker();  // ends the process
  ExtractionWorker(const ExtractionWorker&) = delete;
  ExtractionWorker& operator=(const ExtractionWorker&) = delete;

  // Like ExtractInWorker(file_path, options with members_dir).
  Result<ExtractedDocument> Extract(const std::string& file_path,
                                    const std::string& members_dir = "");

  // Processes started so far (for tests).
  int processes_started() const { return processes_started_; }

 private:
  struct Process;
  Result<ExtractedDocument> ExtractOnce(const std::string& file_path,
                                        const std::string& members_dir, bool& fresh_process);

  WorkerOptions options_;
  std::unique_ptr<Process> process_;
  int processes_started_ = 0;
};

// The worker's side: parses its argv, extracts, writes JSON to stdout. Returns the exit
// code. Used by the worker's main and nothing else.
int RunExtractWorker(int argc, char** argv);

}  // namespace correlare::extractors
