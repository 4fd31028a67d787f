#include "usage_stats.h"

#include <ctime>
#include <filesystem>

#include "json_codec.h"
#include "schema/store.h"

namespace correlare::searchd {

std::string UtcNow() {
  std::time_t now = std::time(nullptr);
  std::tm parts{};
  gmtime_r(&now, &parts);
  char out[32];
  std::strftime(out, sizeof(out), "%Y-%m-%dT%H:%M:%SZ", &parts);
  return out;
}

Result<UsageSnapshot> UsageStats::Load(const std::string& path) {
  auto bytes = schema::ReadWholeFile(path);
  if (!bytes.ok()) {
    if (bytes.status().code() != StatusCode::kNotFound) return bytes.status();
    UsageSnapshot fresh;
    fresh.since = UtcNow();
    return fresh;
  }
  auto snapshot = UsageFromJson(bytes.value());
  if (!snapshot.ok()) {
    return Status(snapshot.status().code(), path + ": " + snapshot.status().message());
  }
  if (snapshot.value().since.empty()) snapshot.value().since = UtcNow();
  return snapshot;
}

UsageStats::UsageStats(UsageSnapshot start) : counts_(std::move(start)) {}

void UsageStats::RecordSearch(const std::string& query, bool zero_results) {
  std::lock_guard lock(mutex_);
  ++counts_.searches;
  ++changes_;
  if (!zero_results) return;
  ++counts_.zero_result_searches;
  if (query.empty()) return;
  counts_.zero_result_queries.push_front({query, UtcNow()});
  if (counts_.zero_result_queries.size() > kRecentZeroResultQueries) {
    counts_.zero_result_queries.pop_back();
  }
}

void UsageStats::RecordDownload() {
  std::lock_guard lock(mutex_);
  ++counts_.downloads;
  ++changes_;
}

UsageSnapshot UsageStats::Snapshot() const {
  std::lock_guard lock(mutex_);
  return counts_;
}

Status UsageStats::SaveIfChanged(const std::string& path) {
  UsageSnapshot snapshot;
  uint64_t changes = 0;
  {
    std::lock_guard lock(mutex_);
    if (changes_ == saved_changes_ && std::filesystem::exists(path)) return Status::Ok();
    snapshot = counts_;
    changes = changes_;
  }
  Status written = schema::WriteFileAtomically(path, UsageToJson(snapshot));
  if (!written.ok()) return written;
  std::lock_guard lock(mutex_);
  if (changes > saved_changes_) saved_changes_ = changes;
  return Status::Ok();
}

}  // namespace correlare::searchd
