// Metrics: request counts by route and status and a latency histogram, rendered in
// the Prometheus text format (version 0.0.4) for GET /metrics.
//
// Thread safety: every method may be called from many threads at once.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>

#include "usage_stats.h"

namespace correlare::searchd {

class Metrics {
 public:
  // `route` is a route's name (a small fixed set, so labels stay few); `seconds` the
  // time from the request line to the last byte.
  void Record(const std::string& route, int status, double seconds);

  // Everything, with the index's document count and the usage counters.
  std::string Render(uint64_t documents, const UsageSnapshot& usage) const;

 private:
  static constexpr std::array<double, 12> kBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                      0.1,   0.25,   0.5,   1,    2.5,   5};
  mutable std::mutex mutex_;
  std::map<std::pair<std::string, int>, uint64_t> requests_;
  std::array<uint64_t, kBuckets.size()> bucket_counts_{};  // per bucket, not cumulative
  uint64_t count_ = 0;
  double sum_seconds_ = 0;
};

}  // namespace correlare::searchd
