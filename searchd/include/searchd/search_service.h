// SearchService: the domain side of correlare-searchd. It answers searches, document
// look-ups, suggestions and statistics over DIR/index and DIR/store, and knows nothing
// of HTTP or JSON (the handlers in http_*.cpp translate). Errors are Status values:
// kInvalidArgument for a bad parameter (HTTP 400), kNotFound for an unknown id (404).
//
// Thread safety: every method may be called from many threads at once. Each thread
// reads through its own Xapian::Database, reopened when the indexer has committed, so
// new documents appear without a restart and searches never wait for the writer.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "schema/document_record.h"

namespace correlare::searchd {

enum class SortOrder { kRelevance, kDateDesc, kDateAsc };

struct SearchRequest {
  std::string q;
  std::vector<std::string> axes;       // OR within a facet, AND across facets
  std::vector<std::string> provinces;  // ids (a sigla is accepted)
  std::vector<std::string> types;
  std::vector<std::string> langs;
  std::optional<int> year_from;
  std::optional<int> year_to;
  SortOrder sort = SortOrder::kRelevance;
  int page = 1;       // from 1
  int per_page = 10;  // 1..100
};

struct Hit {
  std::optional<int> page;   // the page (or slide) of the best passage
  std::string time;          // "HH:MM:SS" of the best passage's cue, "" when none
};

struct ResultItem {
  std::string id;
  std::string title;
  std::string snippet;  // HTML-escaped text; only <mark>…</mark> is markup
  std::string type;
  std::vector<std::string> axes;
  std::vector<std::string> provinces;
  std::string lang;
  std::string date;
  std::string mime;
  uint64_t size = 0;
  Hit hit;
};

struct FacetCount {
  std::string value;
  std::string label;
  uint64_t count = 0;
};

struct Facets {
  std::vector<FacetCount> axis, province, type, lang, year;  // each by count, then value
};

struct Correction {
  std::string query;
  bool applied = false;
};

struct SearchResult {
  std::string query;
  std::optional<Correction> corrected;
  uint64_t total = 0;
  int page = 1;
  int per_page = 10;
  double took_ms = 0;
  std::vector<ResultItem> results;
  Facets facets;
};

struct RelatedDocument {
  std::string id;
  std::string title;
  std::string type;
  std::vector<std::string> provinces;
};

struct DocumentView {
  schema::DocumentRecord record;  // all metadata, tags with why, sources, norms
  std::vector<RelatedDocument> related;          // more like this
  std::vector<RelatedDocument> other_provinces;  // the same or near-same material elsewhere
};

struct StoredFile {
  std::string path;       // inside DIR/store, never from the request
  std::string mime;
  std::string file_name;  // the original name, for Content-Disposition
  uint64_t size = 0;
};

struct CountBy {
  std::string value;
  std::string label;
  uint64_t count = 0;
};

struct IndexStats {
  uint64_t documents = 0;
  std::vector<CountBy> by_axis, by_province, by_type;
};

class SearchService {
 public:
  // Opens DIR/index read-only (it must exist) and loads the taxonomy (labels, norms,
  // synonyms are in the index).
  static Result<std::unique_ptr<SearchService>> Open(const std::string& data_dir,
                                                     const std::string& taxonomy_file);
  ~SearchService();

  Result<SearchResult> Search(const SearchRequest& request) const;
  Result<DocumentView> Document(const std::string& id) const;
  Result<StoredFile> File(const std::string& id) const;
  Result<std::string> Text(const std::string& id) const;
  // Completions of the last word of `prefix` from titles and frequent terms.
  Result<std::vector<std::string>> Suggest(const std::string& prefix) const;
  Result<IndexStats> Stats() const;
  uint64_t DocumentCount() const;
  // How many in-memory facet tables have been built: one per state of the index that
  // searches asked for. Facets are counted from a table only by searches that see the
  // state it was built from.
  uint64_t FacetTablesBuilt() const;

 private:
  struct Impl;
  explicit SearchService(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace correlare::searchd
