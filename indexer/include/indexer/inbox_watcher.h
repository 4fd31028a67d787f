// InboxWatcher: takes what partner provinces drop into DIR/inbox/<province>/ (SPEC
// "Inbox"). inotify wakes it when a file is closed or moved in; a sweep at start-up and
// every few seconds catches what events miss (and is all there is with --poll, for
// network shares). A file is taken only when complete: closed after writing, or stable
// in size and mtime for `settle_ms`; junk and partial files are left alone. A taken
// file is stored, extracted, tagged with the folder's province, committed, and only
// then removed from the inbox; a file that cannot be taken goes to
// <province>/.rejected/ with NAME.reason.txt. Nothing is lost if the process is killed
// at any moment: on restart the sweep finds every file still in the inbox, and
// re-taking one already committed only removes it.
#pragma once

#include <atomic>
#include <memory>
#include <ostream>
#include <functional>
#include <string>

#include "common/status.h"
#include "indexer/ingestor.h"

namespace correlare::indexer {

struct WatchOptions {
  std::string inbox_dir;     // DIR/inbox
  int poll_seconds = 0;      // 0: inotify, with a safety sweep every kSafetySweepSeconds
  int settle_ms = 500;       // a file unchanged this long is complete
  uint64_t max_file_bytes = 512ull << 20;  // larger files are rejected
  // Called once by Run(), when the first sweep is done and every folder is watched.
  std::function<void()> on_watching;
};

// True for names the inbox ignores: hidden (.*), Office locks (~$*), partial downloads
// (*.part, *.tmp, *.crdownload), system junk (Thumbs.db, desktop.ini, @eaDir, ._*).
bool IsIgnoredInboxName(const std::string& name);

class InboxWatcher {
 public:
  // Log lines ("taken lodi/x.pdf as <id>", "duplicate of <id>", "rejected: why") go to
  // `log`. `ingestor` must outlive the watcher.
  InboxWatcher(Ingestor& ingestor, WatchOptions options, std::ostream& log);
  ~InboxWatcher();

  // Watches until `stop` becomes true (checked at least every 200 ms).
  Status Run(const std::atomic<bool>& stop);
  // One sweep of every province folder: submits complete files, waits for them to be
  // committed and removed. For tests and `watch --once`.
  Status SweepOnce();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Moves files from <province>/.rejected/ back into <province>/ (all provinces when
// `province` is empty), dropping their reason files. Returns how many were moved.
Result<int> RetryRejected(const std::string& inbox_dir, const std::string& province);

}  // namespace correlare::indexer
