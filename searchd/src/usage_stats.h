// UsageStats: what people do with the daemon, for /api/stats (SPEC: "searches,
// zero-result searches, downloads") — kept across restarts in DIR/searchd-stats.json.
//
// Thread safety: every method may be called from many threads at once.
#pragma once

#include <cstdint>
#include <deque>
#include <mutex>
#include <string>

#include "common/status.h"

namespace correlare::searchd {

inline constexpr size_t kRecentZeroResultQueries = 50;

struct ZeroResultQuery {
  std::string query;
  std::string at;  // ISO 8601 UTC
};

struct UsageSnapshot {
  uint64_t searches = 0;  // first pages only: paging is not a new search
  uint64_t zero_result_searches = 0;
  std::deque<ZeroResultQuery> zero_result_queries;  // newest first, at most 50
  uint64_t downloads = 0;                           // whole files and ranges starting at byte 0
  std::string since;                                // when counting started, ISO 8601 UTC
};

class UsageStats {
 public:
  // Starts from what `path` holds; a missing file starts from zero, now. A damaged
  // file is an error (the caller decides whether to start afresh).
  static Result<UsageSnapshot> Load(const std::string& path);

  explicit UsageStats(UsageSnapshot start);

  void RecordSearch(const std::string& query, bool zero_results);
  void RecordDownload();
  UsageSnapshot Snapshot() const;

  // Writes the counts to `path` atomically when they changed since the last save.
  Status SaveIfChanged(const std::string& path);

 private:
  mutable std::mutex mutex_;
  UsageSnapshot counts_;
  uint64_t changes_ = 0;
  uint64_t saved_changes_ = 0;
};

// Now, as "2024-05-01T10:00:00Z".
std::string UtcNow();

}  // namespace correlare::searchd
