// Ingestor: the indexing pipeline. Extraction runs in worker processes on several
// threads at once (one process per thread, kept for many files); one writer thread adds the results to the Repository and commits in
// batches. A job's callback runs only after the commit that made it durable, so a
// caller (the inbox watcher) may then delete the file it came from.
//
// Thread safety: Submit() and Drain() may be called from any thread.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "common/status.h"
#include "extractors/worker.h"
#include "indexer/repository.h"
#include "indexer/sidecar.h"

namespace correlare::indexer {

struct IngestResult {
  Status status;          // OK when indexed (or already there)
  std::string id;
  bool duplicate = false; // the bytes were already indexed: only the source was added
  size_t members = 0;     // documents made from a bundle's members
  // The index could not be written (its commit failed, or Xapian failed while writing
  // this document): not the file's fault, and no later file is likely to fare better.
  bool index_failed = false;
};

struct IngestJob {
  std::string path;
  SourceInfo source;
  std::optional<FileState> state;  // set for files indexed by path: recorded on success
  uint64_t size = 0;               // bytes, when known (for IngestOptions::large_file_bytes)
  // Runs on the writer thread after the commit (or on failure); must be quick.
  std::function<void(const IngestResult&)> on_done;
};

struct IngestOptions {
  extractors::WorkerOptions worker;
  int extract_threads = 2;
  size_t batch_size = 100;  // documents per commit at most
  // Longest a finished document waits for its commit while more work is flowing. 0:
  // commit as soon as nothing else is waiting (the inbox: a dropped file is searchable
  // at once). Batch indexing sets a few seconds, so that commits are few and large.
  int commit_interval_ms = 0;
  // When set, files of at least this many bytes are extracted by at most
  // extract_threads - 1 threads at once, so that one thread is always free for the
  // small files behind them (the inbox: a 5 MB PDF must not hold back a 20 KB notice).
  uint64_t large_file_bytes = 0;
  // When the index cannot be written (IngestResult::index_failed), drop the queued jobs
  // at once (CancelQueued): a batch run then stops instead of extracting every file for
  // nothing. The inbox watcher leaves it off: it pauses, and tries the files again.
  bool stop_on_index_failure = false;
};

class Ingestor {
 public:
  // `repository` must outlive the Ingestor.
  Ingestor(Repository& repository, IngestOptions options);
  ~Ingestor();  // drains
  Ingestor(const Ingestor&) = delete;
  Ingestor& operator=(const Ingestor&) = delete;

  void Submit(IngestJob job);
  // Jobs submitted that no extraction thread has started yet.
  size_t queued() const;
  // Returns once every job submitted so far has been committed and called back.
  void Drain();
  // Drain() for at most `timeout`: true when drained.
  bool DrainFor(std::chrono::milliseconds timeout);
  // Drops the jobs no extraction thread has started (their callbacks never run), so that
  // Drain() returns once the files in hand are committed. Returns how many were dropped.
  size_t CancelQueued();
  // Runs `work` on the writer thread between batches (for removals), then commits.
  void RunOnWriter(std::function<void(Repository&)> work);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace correlare::indexer
