#include "searchd/search_service.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <system_error>
#include <thread>

#include <sys/stat.h>
#include <xapian.h>

#include "common/content_id.h"
#include "facet_counter.h"
#include "facet_table.h"
#include "query_builder.h"
#include "schema/schema.h"
#include "schema/store.h"
#include "snippet.h"
#include "taxonomy/norm_citations.h"
#include "taxonomy/taxonomy.h"
#include "taxonomy/text_keys.h"
#include "taxonomy/vocabulary.h"

namespace correlare::searchd {
namespace {

namespace s = schema;

// Counts are exact up to this many matches (and estimated past it).
constexpr Xapian::doccount kExactUpTo = 5000;
constexpr int kRelated = 6;
constexpr size_t kMaxSuggestions = 8;

enum class Facet { kAxis, kProvince, kType, kLang, kYear };
constexpr Facet kFacets[] = {Facet::kAxis, Facet::kProvince, Facet::kType, Facet::kLang, Facet::kYear};

std::string Label(Facet facet, const std::string& value) {
  auto find = [&](const auto& list) -> std::string {
    for (const auto& item : list) {
      if (item.id == value) return std::string(item.label);
    }
    return value;
  };
  switch (facet) {
    case Facet::kAxis: return find(taxonomy::Axes());
    case Facet::kProvince: return find(taxonomy::Provinces());
    case Facet::kType: return find(taxonomy::DocumentTypes());
    case Facet::kLang: return taxonomy::LanguageLabel(value);
    case Facet::kYear: return value;
  }
  return value;
}

Xapian::valueno SlotOf(Facet facet) {
  switch (facet) {
    case Facet::kAxis: return s::kSlotAxes;
    case Facet::kProvince: return s::kSlotProvinces;
    case Facet::kType: return s::kSlotType;
    case Facet::kLang: return s::kSlotLang;
    case Facet::kYear: return s::kSlotYear;
  }
  return s::kSlotType;
}

std::string Clock(int64_t ms) {
  char out[32];
  int64_t seconds = ms / 1000;
  std::snprintf(out, sizeof(out), "%02" PRId64 ":%02" PRId64 ":%02" PRId64, seconds / 3600,
                (seconds / 60) % 60, seconds % 60);
  return out;
}

Hit HitAt(const s::DocumentRecord& record, int64_t offset) {
  Hit hit;
  if (offset < 0) return hit;
  auto at = static_cast<uint64_t>(offset);
  for (const auto& page : record.pages) {
    if (page.offset <= at) hit.page = page.number;
  }
  for (const auto& cue : record.cues) {
    if (cue.offset <= at && at < cue.offset + std::max<uint64_t>(cue.length, 1)) {
      hit.time = Clock(cue.start_ms);
      break;
    }
  }
  return hit;
}

Xapian::Query OrOfTerms(const std::string& prefix, const std::vector<std::string>& values) {
  std::vector<Xapian::Query> terms;
  for (const auto& v : values) terms.emplace_back(prefix + v);
  return Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end());
}

std::atomic<uint64_t> next_service_serial{1};

}  // namespace

struct SearchService::Impl {
  uint64_t serial = next_service_serial++;
  std::string index_path;
  schema::Store store;
  taxonomy::Taxonomy taxonomy;
  std::unique_ptr<taxonomy::NormRecognizer> norms;
  // The facet table and its builder (TableFor).
  mutable std::mutex table_mutex;
  mutable std::shared_ptr<const FacetTable> latest_table;
  mutable bool building = false;
  mutable uint64_t tables_built = 0;
  mutable std::chrono::steady_clock::time_point next_build;
  mutable std::thread table_builder;
  mutable std::atomic<bool> stopping{false};

  Impl(const std::string& data_dir, taxonomy::Taxonomy tax)
      : index_path(data_dir + "/index"), store(data_dir + "/store"), taxonomy(std::move(tax)),
        norms(std::make_unique<taxonomy::NormRecognizer>(taxonomy.norms)) {}
  ~Impl() {
    stopping.store(true);  // a build under way gives up soon
    std::thread builder;
    {
      // Not joined under the lock: the builder takes it to finish.
      std::lock_guard lock(table_mutex);
      builder = std::move(table_builder);
    }
    if (builder.joinable()) builder.join();
  }

  // The facet table (facet_table.h) of the index's state `db` is at, or null while there
  // is none: then one is built in the background, one build at a time, and after a build
  // the next waits twice as long as that one took (an index that commits every second
  // is not re-read every second).
  std::shared_ptr<const FacetTable> TableFor(const Xapian::Database& db) const {
    IndexState state = IndexState::Of(db);
    std::lock_guard lock(table_mutex);
    if (latest_table != nullptr && latest_table->state() == state) return latest_table;
    auto now = std::chrono::steady_clock::now();
    if (!building && !stopping.load() && now >= next_build) {
      if (table_builder.joinable()) table_builder.join();  // done: it cleared `building`
      try {
        table_builder = std::thread([this] { BuildTable(); });
        building = true;  // the builder takes the lock to clear it: not before this returns
      } catch (const std::system_error&) {
        // No thread to be had now: counted from the value streams, asked again next time.
      }
    }
    return nullptr;
  }

  void BuildTable() const {
    auto started = std::chrono::steady_clock::now();
    std::shared_ptr<const FacetTable> built;
    try {
      Xapian::Database db(index_path);
      std::vector<Xapian::valueno> slots;
      for (Facet facet : kFacets) slots.push_back(SlotOf(facet));
      built = FacetTable::Build(db, IndexState::Of(db), slots, &stopping);
    } catch (const Xapian::Error&) {
      // The index changed under the build: the next search asks again.
    } catch (const std::bad_alloc&) {
    }
    auto took = std::chrono::steady_clock::now() - started;
    std::lock_guard lock(table_mutex);
    if (built != nullptr) {
      latest_table = std::move(built);
      ++tables_built;
    }
    building = false;
    next_build = std::chrono::steady_clock::now() + 2 * took;
  }

  // This thread's view of the index, brought up to the indexer's last commit. An index
  // the indexer compacted is a new folder in the old one's place (Repository::Compact),
  // whose revision may be one this reader has seen: a new folder means a new Database.
  // `fresh`: open it again whatever happened.
  Xapian::Database& Db(bool fresh = false) const {
    struct View {
      std::unique_ptr<Xapian::Database> db;
      ino_t folder = 0;
    };
    thread_local std::map<uint64_t, View> views;
    View& view = views[serial];
    struct stat folder {};
    ino_t now = stat(index_path.c_str(), &folder) == 0 ? folder.st_ino : 0;
    if (fresh || !view.db || now != view.folder) {
      view.db.reset();
      view.db = std::make_unique<Xapian::Database>(index_path);
      view.folder = now;
    } else {
      view.db->reopen();
    }
    return *view.db;
  }

  // Runs `work` on this thread's database. When the writer overtakes the reader mid-way
  // (it committed twice, or swapped in a compacted index), opens the index afresh and
  // tries once more.
  template <typename Work>
  auto WithDb(Work work) const -> decltype(work(std::declval<Xapian::Database&>())) {
    try {
      return work(Db());
    } catch (const Xapian::DatabaseError&) {
      return work(Db(/*fresh=*/true));
    }
  }

  std::optional<s::DocumentRecord> RecordOf(Xapian::Database& db, const std::string& id) const {
    Xapian::PostingIterator it = db.postlist_begin(s::kPrefixId + id);
    if (it == db.postlist_end(s::kPrefixId + id)) return std::nullopt;
    auto record = s::RecordFromJson(db.get_document(*it).get_data());
    if (!record.ok()) return std::nullopt;
    return record.value();
  }

  Status Validate(SearchRequest& r) const {
    if (r.page < 1) return Status(StatusCode::kInvalidArgument, "page must be 1 or more");
    if (r.per_page < 1 || r.per_page > 100) {
      return Status(StatusCode::kInvalidArgument, "per_page must be between 1 and 100");
    }
    for (const auto& axis : r.axes) {
      if (!taxonomy::IsAxis(axis)) return Status(StatusCode::kInvalidArgument, "unknown axis '" + axis + "'");
    }
    for (auto& province : r.provinces) {
      auto id = taxonomy::ResolveProvince(province);
      if (!id) return Status(StatusCode::kInvalidArgument, "unknown province '" + province + "'");
      province = *id;
    }
    for (const auto& type : r.types) {
      if (!taxonomy::IsDocumentType(type)) return Status(StatusCode::kInvalidArgument, "unknown type '" + type + "'");
    }
    for (const auto& lang : r.langs) {
      bool ok = lang.size() >= 2 && lang.size() <= 3 &&
                std::all_of(lang.begin(), lang.end(), [](char c) { return c >= 'a' && c <= 'z'; });
      if (!ok) return Status(StatusCode::kInvalidArgument, "unknown language '" + lang + "'");
    }
    if (r.year_from && r.year_to && *r.year_from > *r.year_to) {
      return Status(StatusCode::kInvalidArgument, "year_from is after year_to");
    }
    return Status::Ok();
  }

  // The filter of every facet but `except` (and the year range).
  Xapian::Query Filters(const SearchRequest& r, std::optional<Facet> except) const {
    std::vector<Xapian::Query> parts;
    auto add = [&](Facet facet, const char* prefix, const std::vector<std::string>& values) {
      if (!values.empty() && except != facet) parts.push_back(OrOfTerms(prefix, values));
    };
    add(Facet::kAxis, s::kPrefixAxis, r.axes);
    add(Facet::kProvince, s::kPrefixProvince, r.provinces);
    add(Facet::kType, s::kPrefixType, r.types);
    add(Facet::kLang, s::kPrefixLang, r.langs);
    if ((r.year_from || r.year_to) && except != Facet::kYear) {
      // Years are compared as 4-digit strings.
      char from[16], to[16];
      std::snprintf(from, sizeof(from), "%04d", r.year_from ? *r.year_from : 0);
      std::snprintf(to, sizeof(to), "%04d", r.year_to ? *r.year_to : 9999);
      parts.push_back(Xapian::Query(Xapian::Query::OP_VALUE_RANGE, s::kSlotYear, from, to));
    }
    if (parts.empty()) return MatchAll();
    return Xapian::Query(Xapian::Query::OP_AND, parts.begin(), parts.end());
  }

  bool FacetFiltered(const SearchRequest& r, Facet facet) const {
    switch (facet) {
      case Facet::kAxis: return !r.axes.empty();
      case Facet::kProvince: return !r.provinces.empty();
      case Facet::kType: return !r.types.empty();
      case Facet::kLang: return !r.langs.empty();
      case Facet::kYear: return r.year_from.has_value() || r.year_to.has_value();
    }
    return false;
  }

  static std::vector<FacetCount> ToCounts(Facet facet, const std::map<std::string, uint64_t>& counts) {
    std::vector<FacetCount> out;
    for (const auto& [value, count] : counts) out.push_back({value, Label(facet, value), count});
    std::sort(out.begin(), out.end(), [&](const FacetCount& a, const FacetCount& b) {
      if (facet == Facet::kYear) return a.value > b.value;
      return a.count != b.count ? a.count > b.count : a.value < b.value;
    });
    return out;
  }

  struct Run {
    Xapian::MSet mset;
    Facets facets;
  };

  // One search: the page of results, and every facet's counts — a facet with a filter
  // of its own is counted with that filter left out (so people can widen a selection),
  // every other filter kept.
  Run Execute(Xapian::Database& db, const Xapian::Query& words, const SearchRequest& r) const {
    Run run;
    Xapian::Enquire enquire(db);
    enquire.set_query(Xapian::Query(Xapian::Query::OP_FILTER, words, Filters(r, std::nullopt)));
    if (r.sort != SortOrder::kRelevance) {
      enquire.set_sort_by_value_then_relevance(s::kSlotDate, r.sort == SortOrder::kDateDesc);
    }
    std::shared_ptr<const FacetTable> table = TableFor(db);
    auto counter = [&](Facet facet) {
      return std::make_unique<FacetCounter>(db, SlotOf(facet), facet == Facet::kAxis || facet == Facet::kProvince,
                                            table != nullptr ? table->Find(SlotOf(facet)) : nullptr);
    };
    std::map<Facet, std::unique_ptr<FacetCounter>> spies;
    for (Facet facet : kFacets) {
      if (FacetFiltered(r, facet)) continue;
      spies[facet] = counter(facet);
      enquire.add_matchspy(spies[facet].get());
    }
    Xapian::doccount first = static_cast<Xapian::doccount>((r.page - 1) * r.per_page);
    run.mset = enquire.get_mset(first, static_cast<Xapian::doccount>(r.per_page),
                                std::min(db.get_doccount(), kExactUpTo));
    for (Facet facet : kFacets) {
      std::map<std::string, uint64_t> counts;
      if (spies.count(facet)) {
        counts = spies[facet]->counts();
      } else {
        Xapian::Enquire widened(db);
        widened.set_query(Xapian::Query(Xapian::Query::OP_FILTER, words, Filters(r, facet)));
        auto spy = counter(facet);
        widened.add_matchspy(spy.get());
        widened.get_mset(0, 0, std::min(db.get_doccount(), kExactUpTo));
        counts = spy->counts();
      }
      std::vector<FacetCount> list = ToCounts(facet, counts);
      switch (facet) {
        case Facet::kAxis: run.facets.axis = list; break;
        case Facet::kProvince: run.facets.province = list; break;
        case Facet::kType: run.facets.type = list; break;
        case Facet::kLang: run.facets.lang = list; break;
        case Facet::kYear: run.facets.year = list; break;
      }
    }
    return run;
  }

  // How many of the query's words the text of document `did` has, as the index counts
  // them: the word's wdf, or its stem's in the document's language, beyond kTitleWdf for
  // each time the title has it (the title's own prefixed terms say how many). A prefix
  // counts as present.
  static size_t WordsInText(Xapian::Database& db, Xapian::docid did, const std::string& lang,
                            const std::vector<HighlightTerm>& highlight) {
    auto wdf = [&](const std::string& term) -> Xapian::termcount {
      if (term.empty()) return 0;
      Xapian::PostingIterator it = db.postlist_begin(term);
      if (it == db.postlist_end(term)) return 0;
      it.skip_to(did);
      return it != db.postlist_end(term) && *it == did ? it.get_wdf() : 0;
    };
    // The stemmer the indexer used for this document, one per language and thread.
    thread_local std::map<std::string, Xapian::Stem> stemmers;
    std::string language = s::StemmerLanguage(lang);
    const std::string title = s::kPrefixTitle;
    size_t present = 0;
    for (const auto& term : highlight) {
      bool in_text = term.prefix || wdf(term.word) > s::kTitleWdf * wdf(title + term.word);
      if (!in_text && !language.empty()) {
        auto it = stemmers.find(language);
        if (it == stemmers.end()) it = stemmers.emplace(language, Xapian::Stem(language)).first;
        std::string stem = it->second(term.word);
        in_text = wdf("Z" + stem) > s::kTitleWdf * wdf("Z" + title + stem);
      }
      if (in_text) ++present;
    }
    return present;
  }

  ResultItem Item(Xapian::Database& db, Xapian::docid did, const s::DocumentRecord& record,
                  const std::vector<HighlightTerm>& highlight) const {
    ResultItem item;
    item.id = record.id;
    item.title = record.title;
    item.type = record.type.value;
    for (const auto& axis : record.axes) item.axes.push_back(axis.axis);
    item.provinces = record.provinces;
    item.lang = record.lang;
    item.date = record.date;
    item.mime = record.mime;
    item.size = record.size;
    // Most passages are near the start: the first 16 KB are read, and up to 1 MB only
    // when they do not show every word of the query that the document has.
    constexpr size_t kFirstScan = 16 << 10;
    auto text = store.ReadTextInThreadBuffer(record.id, kFirstScan + kSnippetMaxBytes * 2);
    Snippet snippet = MakeSnippet(text.ok() ? text.value() : std::string_view(), highlight,
                                  kSnippetMaxBytes, kFirstScan);
    if (text.ok() && text.value().size() > kFirstScan && snippet.distinct < highlight.size() &&
        snippet.distinct < WordsInText(db, did, record.lang, highlight)) {
      text = store.ReadTextInThreadBuffer(record.id, kSnippetScanBytes + kSnippetMaxBytes * 2);
      snippet = MakeSnippet(text.ok() ? text.value() : std::string_view(), highlight);
    }
    item.snippet = snippet.html;
    item.hit = HitAt(record, snippet.offset);
    return item;
  }
};

SearchService::SearchService(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SearchService::~SearchService() = default;

Result<std::unique_ptr<SearchService>> SearchService::Open(const std::string& data_dir,
                                                           const std::string& taxonomy_file) {
  auto taxonomy = taxonomy::Taxonomy::Load(taxonomy_file);
  if (!taxonomy.ok()) return taxonomy.status();
  try {
    Xapian::Database probe(data_dir + "/index");
    std::string version = probe.get_metadata(s::kMetadataSchemaVersion);
    if (!version.empty() && version != std::to_string(s::kSchemaVersion)) {
      return Status(StatusCode::kInvalidArgument, data_dir + "/index has schema version " + version +
                                                      "; this daemon reads version " +
                                                      std::to_string(s::kSchemaVersion));
    }
  } catch (const Xapian::Error& e) {
    return Status(StatusCode::kNotFound, "no index in " + data_dir + "/index (" + e.get_msg() +
                                             "): run correlare-indexer index first");
  }
  return std::unique_ptr<SearchService>(
      new SearchService(std::make_unique<Impl>(data_dir, std::move(taxonomy).value())));
}

Result<SearchResult> SearchService::Search(const SearchRequest& given) const {
  auto started = std::chrono::steady_clock::now();
  SearchRequest request = given;
  Status valid = impl_->Validate(request);
  if (!valid.ok()) return valid;
  try {
    return impl_->WithDb([&](Xapian::Database& db) -> Result<SearchResult> {
      SearchResult result;
      result.query = request.q;
      result.page = request.page;
      result.per_page = request.per_page;

      BuiltQuery built = BuildQuery(request.q, db, *impl_->norms, /*any_word=*/false);
      Impl::Run run = impl_->Execute(db, built.query, request);
      uint64_t total = run.mset.get_matches_estimated();
      // Spelling: suggested when the query finds little, applied when it finds nothing
      // and the correction finds something.
      if (built.has_words && total <= 2) {
        built.corrected = BuildQuery(request.q, db, *impl_->norms, false, /*correct_spelling=*/true)
                              .corrected;
      }
      if (!built.corrected.empty() && total <= 2) {
        Correction correction{built.corrected, false};
        if (total == 0) {
          BuiltQuery fixed = BuildQuery(built.corrected, db, *impl_->norms, false);
          Impl::Run corrected_run = impl_->Execute(db, fixed.query, request);
          if (corrected_run.mset.get_matches_estimated() > 0) {
            run = std::move(corrected_run);
            built.highlight = fixed.highlight;
            total = run.mset.get_matches_estimated();
            correction.applied = true;
          }
        }
        result.corrected = correction;
      }
      // All words found nothing: any word, ranked, is better than nothing.
      if (total == 0 && built.has_words) {
        BuiltQuery any = BuildQuery(request.q, db, *impl_->norms, /*any_word=*/true);
        Impl::Run loose = impl_->Execute(db, any.query, request);
        if (loose.mset.get_matches_estimated() > 0) {
          run = std::move(loose);
          built.highlight = any.highlight;
          total = run.mset.get_matches_estimated();
        }
      }
      result.total = total;
      result.facets = run.facets;
      for (auto it = run.mset.begin(); it != run.mset.end(); ++it) {
        auto record = s::RecordFromJson(it.get_document().get_data());
        if (!record.ok()) continue;
        result.results.push_back(impl_->Item(db, *it, record.value(), built.highlight));
      }
      result.took_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
      return result;
    });
  } catch (const Xapian::Error& e) {
    return Status(StatusCode::kInternal, "search failed: " + e.get_description());
  }
}

Result<DocumentView> SearchService::Document(const std::string& id) const {
  if (!IsValidContentId(id)) return Status(StatusCode::kNotFound, "no document with id '" + id + "'");
  try {
    return impl_->WithDb([&](Xapian::Database& db) -> Result<DocumentView> {
      Xapian::PostingIterator posting = db.postlist_begin(s::kPrefixId + id);
      if (posting == db.postlist_end(s::kPrefixId + id)) {
        return Status(StatusCode::kNotFound, "no document with id " + id);
      }
      Xapian::docid docid = *posting;
      auto record = s::RecordFromJson(db.get_document(docid).get_data());
      if (!record.ok()) return record.status();
      DocumentView view;
      view.record = record.value();

      // More like this: the document's most telling words, as a query.
      Xapian::RSet rset;
      rset.add_document(docid);
      Xapian::Enquire enquire(db);
      enquire.set_query(MatchAll());
      struct WordsOnly : Xapian::ExpandDecider {
        bool operator()(const std::string& term) const override {
          return !term.empty() && (std::islower(static_cast<unsigned char>(term[0])) ||
                                   (term[0] == 'Z' && term.size() > 4));
        }
      } words_only;
      Xapian::ESet eset = enquire.get_eset(24, rset, &words_only);
      std::vector<std::string> terms(eset.begin(), eset.end());
      if (!terms.empty()) {
        enquire.set_query(Xapian::Query(Xapian::Query::OP_AND_NOT,
                                        Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end()),
                                        Xapian::Query(s::kPrefixId + id)));
        Xapian::MSet similar = enquire.get_mset(0, 20);
        std::set<std::string> own(view.record.provinces.begin(), view.record.provinces.end());
        for (auto it = similar.begin(); it != similar.end(); ++it) {
          auto other = s::RecordFromJson(it.get_document().get_data());
          if (!other.ok()) continue;
          const auto& o = other.value();
          RelatedDocument related{o.id, o.title, o.type.value, o.provinces};
          bool elsewhere = !o.provinces.empty() &&
                           std::none_of(o.provinces.begin(), o.provinces.end(),
                                        [&](const std::string& p) { return own.count(p) != 0; });
          bool same_material = taxonomy::FoldText(o.title) == taxonomy::FoldText(view.record.title) ||
                               it.get_percent() >= 85;
          if (elsewhere && same_material) {
            view.other_provinces.push_back(related);
          } else if (static_cast<int>(view.related.size()) < kRelated) {
            view.related.push_back(related);
          }
        }
      }
      return view;
    });
  } catch (const Xapian::Error& e) {
    return Status(StatusCode::kInternal, "document look-up failed: " + e.get_description());
  }
}

Result<StoredFile> SearchService::File(const std::string& id) const {
  auto view = Document(id);
  if (!view.ok()) return view.status();
  const auto& r = view.value().record;
  if (!impl_->store.HasOriginal(id)) {
    return Status(StatusCode::kNotFound, "the original of " + id + " is missing from the store");
  }
  std::string name = r.sources.empty() ? id : r.sources.front().name;
  return StoredFile{impl_->store.OriginalPath(id), r.mime.empty() ? "application/octet-stream" : r.mime,
                    name, r.size};
}

Result<std::string> SearchService::Text(const std::string& id) const {
  auto view = Document(id);
  if (!view.ok()) return view.status();
  auto text = impl_->store.ReadText(id);
  if (!text.ok()) return Status(StatusCode::kNotFound, "the text of " + id + " is missing from the store");
  return text;
}

Result<std::vector<std::string>> SearchService::Suggest(const std::string& prefix) const {
  std::string folded = taxonomy::FoldText(prefix);
  size_t cut = folded.find_last_of(" \t");
  std::string head = cut == std::string::npos ? "" : folded.substr(0, cut + 1);
  std::string last = cut == std::string::npos ? folded : folded.substr(cut + 1);
  std::vector<std::string> out;
  if (last.size() < 2) return out;
  try {
    return impl_->WithDb([&](Xapian::Database& db) -> Result<std::vector<std::string>> {
      std::map<std::string, Xapian::doccount> frequency;
      // Words of titles count more than words of the text.
      for (const auto& [prefix_term, boost] :
           std::vector<std::pair<std::string, Xapian::doccount>>{{s::kPrefixTitle, 4}, {"", 1}}) {
        std::string start = prefix_term + last;
        size_t scanned = 0;
        for (auto it = db.allterms_begin(start); it != db.allterms_end(start) && scanned < 2000; ++it, ++scanned) {
          std::string word = (*it).substr(prefix_term.size());
          frequency[word] += it.get_termfreq() * boost;
        }
      }
      std::vector<std::pair<Xapian::doccount, std::string>> ranked;
      for (const auto& [word, f] : frequency) ranked.emplace_back(f, word);
      std::sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
        return a.first != b.first ? a.first > b.first : a.second < b.second;
      });
      for (const auto& [f, word] : ranked) {
        if (out.size() >= kMaxSuggestions) break;
        out.push_back(head + word);
      }
      return out;
    });
  } catch (const Xapian::Error& e) {
    return Status(StatusCode::kInternal, "suggest failed: " + e.get_description());
  }
}

Result<IndexStats> SearchService::Stats() const {
  try {
    return impl_->WithDb([&](Xapian::Database& db) -> Result<IndexStats> {
      IndexStats stats;
      stats.documents = db.get_doccount();
      Xapian::Enquire enquire(db);
      enquire.set_query(MatchAll());
      std::shared_ptr<const FacetTable> table = impl_->TableFor(db);
      auto slot = [&](Xapian::valueno n) { return table != nullptr ? table->Find(n) : nullptr; };
      FacetCounter axes(db, s::kSlotAxes, true, slot(s::kSlotAxes));
      FacetCounter provinces(db, s::kSlotProvinces, true, slot(s::kSlotProvinces));
      FacetCounter types(db, s::kSlotType, false, slot(s::kSlotType));
      enquire.add_matchspy(&axes);
      enquire.add_matchspy(&provinces);
      enquire.add_matchspy(&types);
      enquire.get_mset(0, 0, db.get_doccount());
      auto convert = [](Facet facet, const std::map<std::string, uint64_t>& counts) {
        std::vector<CountBy> out;
        for (const auto& c : Impl::ToCounts(facet, counts)) out.push_back({c.value, c.label, c.count});
        return out;
      };
      stats.by_axis = convert(Facet::kAxis, axes.counts());
      stats.by_province = convert(Facet::kProvince, provinces.counts());
      stats.by_type = convert(Facet::kType, types.counts());
      return stats;
    });
  } catch (const Xapian::Error& e) {
    return Status(StatusCode::kInternal, "stats failed: " + e.get_description());
  }
}

uint64_t SearchService::DocumentCount() const {
  try {
    return impl_->WithDb([](Xapian::Database& db) { return static_cast<uint64_t>(db.get_doccount()); });
  } catch (const Xapian::Error&) {
    return 0;
  }
}

uint64_t SearchService::FacetTablesBuilt() const {
  std::lock_guard lock(impl_->table_mutex);
  return impl_->tables_built;
}

}  // namespace correlare::searchd
