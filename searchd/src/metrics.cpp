#include "metrics.h"

#include <cstdio>

namespace correlare::searchd {
namespace {

std::string Number(double value) {
  char out[64];
  std::snprintf(out, sizeof(out), "%.9g", value);
  return out;
}

}  // namespace

void Metrics::Record(const std::string& route, int status, double seconds) {
  std::lock_guard lock(mutex_);
  ++requests_[{route, status}];
  ++count_;
  sum_seconds_ += seconds;
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) {
      ++bucket_counts_[i];
      break;
    }
  }
}

std::string Metrics::Render(uint64_t documents, const UsageSnapshot& usage) const {
  std::string out;
  std::lock_guard lock(mutex_);
  out += "# HELP correlare_http_requests_total HTTP requests answered, by route and status.\n";
  out += "# TYPE correlare_http_requests_total counter\n";
  for (const auto& [key, count] : requests_) {
    out += "correlare_http_requests_total{route=\"" + key.first + "\",status=\"" +
           std::to_string(key.second) + "\"} " + std::to_string(count) + "\n";
  }
  out += "# HELP correlare_http_request_duration_seconds Time to answer a request.\n";
  out += "# TYPE correlare_http_request_duration_seconds histogram\n";
  uint64_t cumulative = 0;
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    cumulative += bucket_counts_[i];
    out += "correlare_http_request_duration_seconds_bucket{le=\"" + Number(kBuckets[i]) + "\"} " +
           std::to_string(cumulative) + "\n";
  }
  out += "correlare_http_request_duration_seconds_bucket{le=\"+Inf\"} " + std::to_string(count_) +
         "\n";
  out += "correlare_http_request_duration_seconds_sum " + Number(sum_seconds_) + "\n";
  out += "correlare_http_request_duration_seconds_count " + std::to_string(count_) + "\n";
  out += "# HELP correlare_index_documents Documents in the index.\n";
  out += "# TYPE correlare_index_documents gauge\n";
  out += "correlare_index_documents " + std::to_string(documents) + "\n";
  out += "# HELP correlare_searches_total Searches (first pages), kept across restarts.\n";
  out += "# TYPE correlare_searches_total counter\n";
  out += "correlare_searches_total " + std::to_string(usage.searches) + "\n";
  out += "# HELP correlare_zero_result_searches_total Searches that found nothing.\n";
  out += "# TYPE correlare_zero_result_searches_total counter\n";
  out +=
      "correlare_zero_result_searches_total " + std::to_string(usage.zero_result_searches) + "\n";
  out += "# HELP correlare_downloads_total Originals downloaded.\n";
  out += "# TYPE correlare_downloads_total counter\n";
  out += "correlare_downloads_total " + std::to_string(usage.downloads) + "\n";
  return out;
}

}  // namespace correlare::searchd
