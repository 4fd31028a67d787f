// The JSON of correlare-searchd, in one place: every response body of the HTTP API
// (shapes in ../shared/SPEC.md "HTTP API" and docs/api.md) and the file that keeps the
// usage counts across restarts. Strings are written as valid UTF-8 whatever they hold
// (an ill-formed byte becomes U+FFFD), so no value can break a document.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "api_error.h"
#include "common/status.h"
#include "searchd/search_service.h"
#include "taxonomy/taxonomy.h"
#include "usage_stats.h"

namespace correlare::searchd {

// The page of a document, its file and its text (the links every response uses).
std::string DocumentPagePath(const std::string& id);  // "/documenti/ID"
std::string DownloadPath(const std::string& id);      // "/api/documents/ID/file"
std::string TextPath(const std::string& id);          // "/api/documents/ID/text"

std::string SearchResultToJson(const SearchResult& result);
// Sub-theme labels come from `taxonomy` (the id stands in for an unknown one).
std::string DocumentViewToJson(const DocumentView& view, const taxonomy::Taxonomy& taxonomy);
std::string SuggestionsToJson(const std::vector<std::string>& suggestions);
std::string StatsToJson(const IndexStats& index, const UsageSnapshot& usage);
std::string HealthToJson(uint64_t documents);
std::string TaxonomyToJson(const taxonomy::Taxonomy& taxonomy);
std::string ErrorToJson(const ApiError& error);

// DIR/searchd-stats.json.
std::string UsageToJson(const UsageSnapshot& usage);
Result<UsageSnapshot> UsageFromJson(std::string_view json);

}  // namespace correlare::searchd
