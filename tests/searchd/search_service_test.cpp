// The search service over an index of corpus-samples/ built by the real indexer.
#include "searchd/search_service.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>

#include "test_support.h"

namespace correlare::searchd {
namespace {

using correlare::testing::CorpusPath;

// One index for the whole binary: building it is the slow part.
class CorpusIndex : public ::testing::Environment {
 public:
  void SetUp() override {
    dir_ = std::make_unique<correlare::testing::TempDir>();
    data_ = (dir_->path() / "var").string();
    std::string command = std::string(CORRELARE_BIN_DIR) + "/correlare-indexer --data '" + data_ +
                          "' --taxonomy '" + Taxonomy() + "' index";
    for (const char* folder : {"dispense", "normativa", "trascrizioni", "strumenti", "bundle",
                               "presentazioni", "raccomandazioni", "formazione"}) {
      command += " '" + CorpusPath(folder).string() + "'";
    }
    command += " > /dev/null";
    ASSERT_EQ(std::system(command.c_str()), 0) << command;
    auto service = SearchService::Open(data_, Taxonomy());
    ASSERT_TRUE(service.ok()) << service.status().ToString();
    service_ = std::move(service).value();
  }
  void TearDown() override {
    service_.reset();
    dir_.reset();
  }
  static std::string Taxonomy() { return std::string(CORRELARE_SOURCE_DIR) + "/taxonomy/taxonomy.json"; }

  static std::unique_ptr<SearchService> service_;
  static std::string data_;

 private:
  std::unique_ptr<correlare::testing::TempDir> dir_;
};

std::unique_ptr<SearchService> CorpusIndex::service_;
std::string CorpusIndex::data_;
const auto* const kEnvironment = ::testing::AddGlobalTestEnvironment(new CorpusIndex);

SearchResult Search(SearchRequest request) {
  auto result = CorpusIndex::service_->Search(request);
  EXPECT_TRUE(result.ok()) << result.status().ToString();
  return result.ok() ? result.value() : SearchResult{};
}

SearchResult Search(const std::string& q) {
  SearchRequest request;
  request.q = q;
  return Search(request);
}

bool AnyTitleContains(const SearchResult& result, const std::string& needle) {
  return std::any_of(result.results.begin(), result.results.end(),
                     [&](const ResultItem& item) { return item.title.find(needle) != std::string::npos; });
}

uint64_t CountOf(const std::vector<FacetCount>& facet, const std::string& value) {
  for (const auto& f : facet) {
    if (f.value == value) return f.count;
  }
  return 0;
}

TEST(SearchService, FindsWordsWithSnippetsAndHighlights) {
  SearchResult result = Search("permesso di soggiorno");
  ASSERT_GT(result.total, 3u);
  const ResultItem& first = result.results.front();
  EXPECT_NE(first.snippet.find("<mark>"), std::string::npos) << first.snippet;
  EXPECT_FALSE(first.id.empty());
  // Only <mark> is markup: document text is escaped.
  std::string without_marks = first.snippet;
  for (const char* tag : {"<mark>", "</mark>"}) {
    for (size_t at; (at = without_marks.find(tag)) != std::string::npos;) without_marks.erase(at, std::string(tag).size());
  }
  EXPECT_EQ(without_marks.find('<'), std::string::npos) << first.snippet;
}

TEST(SearchService, AccentsAreOptional) {
  EXPECT_EQ(Search("idoneità alloggiativa").total, Search("idoneita alloggiativa").total);
  EXPECT_GT(Search("idoneita alloggiativa").total, 0u);
}

TEST(SearchService, PhraseIsStricterThanWords) {
  uint64_t words = Search("centro impiego").total;
  uint64_t phrase = Search("\"centro per l'impiego\"").total;
  EXPECT_GT(phrase, 0u);
  EXPECT_LE(phrase, words);
}

TEST(SearchService, ExclusionRemovesDocuments) {
  uint64_t all = Search("permesso").total;
  uint64_t without = Search("permesso -questura").total;
  EXPECT_LT(without, all);
  EXPECT_GT(without, 0u);
}

TEST(SearchService, PrefixMatchesWordBeginnings) {
  SearchResult result = Search("ricongiung*");
  EXPECT_GT(result.total, 1u);
  EXPECT_TRUE(AnyTitleContains(result, "ricongiungimento") || AnyTitleContains(result, "Ricongiungimento"));
}

TEST(SearchService, TitleFieldSearchesTitlesOnly) {
  SearchResult in_title = Search("titolo:ricongiungimento");
  ASSERT_GT(in_title.total, 0u);
  for (const auto& item : in_title.results) {
    std::string lower = item.title;
    std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
    EXPECT_NE(lower.find("ricongiung"), std::string::npos) << item.title;
  }
  EXPECT_LT(in_title.total, Search("ricongiungimento").total);
}

TEST(SearchService, NormFieldFindsEverySpellingOfACitation) {
  SearchResult by_spelling = Search("norma:\"D.Lgs. 286/1998\"");
  SearchResult by_other_spelling = Search("norma:\"d.lgs. n. 286/98\"");
  SearchResult by_name = Search("norma:\"Testo Unico Immigrazione\"");
  EXPECT_GT(by_spelling.total, 3u);
  EXPECT_EQ(by_spelling.total, by_other_spelling.total);
  EXPECT_EQ(by_spelling.total, by_name.total);
  EXPECT_EQ(Search("norma:\"qualcosa di inesistente\"").total, 0u);
}

TEST(SearchService, SynonymsWidenTheQuery) {
  // "pds" is a curated synonym of "permesso di soggiorno".
  EXPECT_GT(Search("pds").total, 0u);
}

TEST(SearchService, MisspelledQueryIsCorrectedAndApplied) {
  SearchResult result = Search("permesso di sogiorno");
  ASSERT_TRUE(result.corrected.has_value());
  EXPECT_EQ(result.corrected->query, "permesso di soggiorno");
  EXPECT_TRUE(result.corrected->applied);
  EXPECT_GT(result.total, 0u);
  EXPECT_FALSE(Search("permesso di soggiorno").corrected.has_value());
}

TEST(SearchService, FacetCountsAreDisjunctive) {
  SearchRequest all;
  SearchResult unfiltered = Search(all);
  uint64_t lodi = CountOf(unfiltered.facets.province, "lodi");
  uint64_t milano = CountOf(unfiltered.facets.province, "milano");
  ASSERT_GT(lodi, 0u);
  ASSERT_GT(milano, 0u);

  SearchRequest one = all;
  one.provinces = {"lodi"};
  SearchResult filtered = Search(one);
  EXPECT_EQ(filtered.total, lodi);
  // The province facet ignores its own filter, so the other provinces stay visible...
  EXPECT_EQ(CountOf(filtered.facets.province, "milano"), milano);
  // ...while every other facet honours it.
  uint64_t type_sum = 0;
  for (const auto& t : filtered.facets.type) type_sum += t.count;
  EXPECT_EQ(type_sum, filtered.total);

  SearchRequest two = one;
  two.provinces = {"lodi", "MI"};  // OR within a facet, sigla accepted
  EXPECT_GE(Search(two).total, std::max(lodi, milano));

  SearchRequest crossed = one;
  crossed.types = {"dispensa"};  // AND across facets
  EXPECT_LE(Search(crossed).total, filtered.total);
  EXPECT_EQ(Search(crossed).total, CountOf(filtered.facets.type, "dispensa"));
}

TEST(SearchService, YearRangeAndSorting) {
  SearchRequest range;
  range.year_from = 2012;
  range.year_to = 2013;
  range.per_page = 100;
  range.sort = SortOrder::kDateAsc;
  SearchResult result = Search(range);
  ASSERT_GT(result.total, 0u);
  for (const auto& item : result.results) {
    ASSERT_GE(item.date.size(), 4u) << item.title;
    int year = std::stoi(item.date.substr(0, 4));
    EXPECT_GE(year, 2012);
    EXPECT_LE(year, 2013);
  }
  EXPECT_TRUE(std::is_sorted(result.results.begin(), result.results.end(),
                             [](const ResultItem& a, const ResultItem& b) { return a.date < b.date; }));
  range.sort = SortOrder::kDateDesc;
  SearchResult desc = Search(range);
  EXPECT_TRUE(std::is_sorted(desc.results.begin(), desc.results.end(),
                             [](const ResultItem& a, const ResultItem& b) { return a.date > b.date; }));
}

TEST(SearchService, PagingReachesTheLastResult) {
  SearchRequest request;
  request.per_page = 7;
  uint64_t total = Search(request).total;
  ASSERT_GT(total, 14u);
  std::set<std::string> seen;
  for (int page = 1; (page - 1) * 7 < static_cast<int>(total); ++page) {
    request.page = page;
    for (const auto& item : Search(request).results) seen.insert(item.id);
  }
  EXPECT_EQ(seen.size(), total);
}

TEST(SearchService, HitsNameThePageAndTheCueTime) {
  SearchResult paged = Search("\"attesa media per un rinnovo\"");
  ASSERT_GT(paged.total, 0u);
  ASSERT_TRUE(paged.results.front().hit.page.has_value());
  EXPECT_EQ(*paged.results.front().hit.page, 3);

  SearchResult timed = Search("\"regola d'oro dello sportello\"");
  ASSERT_GT(timed.total, 0u);
  EXPECT_EQ(timed.results.front().hit.time, "00:12:57");
}

TEST(SearchService, BadParametersAreInvalidArguments) {
  for (auto mutate : std::vector<void (*)(SearchRequest&)>{
           [](SearchRequest& r) { r.axes = {"sanita"}; },
           [](SearchRequest& r) { r.provinces = {"torino"}; },
           [](SearchRequest& r) { r.types = {"video"}; },
           [](SearchRequest& r) { r.per_page = 101; },
           [](SearchRequest& r) { r.page = 0; },
       }) {
    SearchRequest request;
    mutate(request);
    auto result = CorpusIndex::service_->Search(request);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument);
  }
}

TEST(SearchService, DocumentFileTextAndUnknownIds) {
  SearchResult result = Search("ricongiungimento");
  ASSERT_GT(result.total, 0u);
  std::string id = result.results.front().id;
  auto view = CorpusIndex::service_->Document(id);
  ASSERT_TRUE(view.ok()) << view.status().ToString();
  EXPECT_EQ(view.value().record.id, id);
  EXPECT_FALSE(view.value().related.empty());
  auto file = CorpusIndex::service_->File(id);
  ASSERT_TRUE(file.ok());
  EXPECT_EQ(file.value().path.find(CorpusIndex::data_), 0u);
  EXPECT_FALSE(CorpusIndex::service_->Text(id).value().empty());
  for (const char* bad : {"../../etc/passwd", "0123", "ffffffffffffffffffffffffffffffff"}) {
    auto missing = CorpusIndex::service_->Document(bad);
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  }
}

TEST(SearchService, SuggestsCompletionsAndCountsStats) {
  auto suggestions = CorpusIndex::service_->Suggest("permesso di sogg");
  ASSERT_TRUE(suggestions.ok());
  ASSERT_FALSE(suggestions.value().empty());
  EXPECT_EQ(suggestions.value().front().rfind("permesso di sogg", 0), 0u);
  auto stats = CorpusIndex::service_->Stats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats.value().documents, CorpusIndex::service_->DocumentCount());
  EXPECT_FALSE(stats.value().by_axis.empty());
}

}  // namespace
}  // namespace correlare::searchd
