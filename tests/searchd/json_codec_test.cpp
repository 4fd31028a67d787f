#include "searchd/src/json_codec.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <set>
#include <string>

namespace correlare::searchd {
namespace {

rapidjson::Document ParseJson(const std::string& json) {
  rapidjson::Document doc;
  doc.Parse(json.c_str(), json.size());
  EXPECT_FALSE(doc.HasParseError()) << json;
  return doc;
}

std::set<std::string> Keys(const rapidjson::Value& object) {
  std::set<std::string> keys;
  for (const auto& member : object.GetObject()) keys.insert(member.name.GetString());
  return keys;
}

std::string Str(const rapidjson::Value& object, const char* key) {
  EXPECT_TRUE(object.HasMember(key)) << key;
  return object.HasMember(key) && object[key].IsString() ? object[key].GetString() : "<none>";
}

taxonomy::Taxonomy RealTaxonomy() {
  auto loaded =
      taxonomy::Taxonomy::Load(std::string(CORRELARE_SOURCE_DIR) + "/taxonomy/taxonomy.json");
  EXPECT_TRUE(loaded.ok()) << loaded.status().ToString();
  return loaded.ok() ? loaded.value() : taxonomy::Taxonomy();
}

SearchResult SampleResult() {
  SearchResult result;
  result.query = "permesso di sogiorno";
  result.corrected = Correction{"permesso di soggiorno", true};
  result.total = 42;
  result.page = 2;
  result.per_page = 10;
  result.took_ms = 1.734;
  ResultItem paged;
  paged.id = "3f2a000000000000000000000000abcd";
  paged.title = "Guida";
  paged.snippet = "… <mark>permesso</mark> di <mark>soggiorno</mark> …";
  paged.type = "dispensa";
  paged.axes = {"servizi", "lavoro"};
  paged.provinces = {"lodi"};
  paged.lang = "it";
  paged.date = "2012-11-05";
  paged.mime = "application/pdf";
  paged.size = 183422;
  paged.hit.page = 3;
  ResultItem timed = paged;
  timed.id = "00000000000000000000000000000001";
  timed.hit = Hit{std::nullopt, "00:12:34"};
  ResultItem nowhere = paged;
  nowhere.id = "00000000000000000000000000000002";
  nowhere.hit = Hit{};
  result.results = {paged, timed, nowhere};
  result.facets.axis = {{"servizi", "Accesso ai servizi essenziali", 17}};
  result.facets.province = {{"lodi", "Lodi", 9}};
  result.facets.type = {{"dispensa", "Dispensa", 20}};
  result.facets.lang = {{"it", "Italiano", 40}};
  result.facets.year = {{"2012", "2012", 11}};
  return result;
}

TEST(JsonCodec, SearchResultHasTheSpecShape) {
  auto doc = ParseJson(SearchResultToJson(SampleResult()));
  EXPECT_EQ(Keys(doc), (std::set<std::string>{"query", "corrected", "total", "page", "per_page",
                                              "took_ms", "results", "facets"}));
  EXPECT_EQ(Str(doc, "query"), "permesso di sogiorno");
  EXPECT_EQ(Str(doc["corrected"], "query"), "permesso di soggiorno");
  EXPECT_TRUE(doc["corrected"]["applied"].GetBool());
  EXPECT_EQ(doc["total"].GetUint64(), 42u);
  EXPECT_EQ(doc["page"].GetInt(), 2);
  EXPECT_EQ(doc["per_page"].GetInt(), 10);
  EXPECT_DOUBLE_EQ(doc["took_ms"].GetDouble(), 1.73);

  const auto& results = doc["results"];
  ASSERT_EQ(results.Size(), 3u);
  const auto& first = results[0];
  EXPECT_EQ(Keys(first),
            (std::set<std::string>{"id", "title", "snippet", "type", "axes", "provinces", "lang",
                                   "date", "mime", "size", "hit", "url", "download"}));
  EXPECT_EQ(Str(first, "snippet"), "… <mark>permesso</mark> di <mark>soggiorno</mark> …");
  EXPECT_EQ(first["axes"][1].GetString(), std::string("lavoro"));
  EXPECT_EQ(first["size"].GetUint64(), 183422u);
  EXPECT_EQ(first["hit"]["page"].GetInt(), 3);
  EXPECT_FALSE(first["hit"].HasMember("time"));
  EXPECT_EQ(Str(first, "url"), "/documenti/3f2a000000000000000000000000abcd");
  EXPECT_EQ(Str(first, "download"), "/api/documents/3f2a000000000000000000000000abcd/file");
  EXPECT_EQ(Str(results[1]["hit"], "time"), "00:12:34");
  EXPECT_FALSE(results[1]["hit"].HasMember("page"));
  EXPECT_FALSE(results[2].HasMember("hit"));

  const auto& facets = doc["facets"];
  EXPECT_EQ(Keys(facets), (std::set<std::string>{"axis", "province", "type", "lang", "year"}));
  EXPECT_EQ(Keys(facets["axis"][0]), (std::set<std::string>{"value", "label", "count"}));
  EXPECT_EQ(Str(facets["axis"][0], "label"), "Accesso ai servizi essenziali");
  EXPECT_EQ(facets["year"][0]["count"].GetUint64(), 11u);
}

TEST(JsonCodec, NoCorrectionIsNull) {
  SearchResult result;
  result.query = "lavoro";
  auto doc = ParseJson(SearchResultToJson(result));
  EXPECT_TRUE(doc["corrected"].IsNull());
  EXPECT_TRUE(doc["results"].IsArray());
  EXPECT_TRUE(doc["facets"]["year"].IsArray());
  result.corrected = Correction{"lavori", false};
  doc = ParseJson(SearchResultToJson(result));
  EXPECT_FALSE(doc["corrected"]["applied"].GetBool());
}

TEST(JsonCodec, IllFormedUtf8NeverBreaksTheDocument) {
  SearchResult result;
  result.query = "caf\xE8 \xC0\xAF ok";
  result.results.push_back(ResultItem{});
  result.results[0].title = std::string("a\0b\xFF", 4);
  std::string json = SearchResultToJson(result);
  auto doc = ParseJson(json);
  EXPECT_EQ(Str(doc, "query"), "caf\xEF\xBF\xBD \xEF\xBF\xBD\xEF\xBF\xBD ok");
  EXPECT_EQ(std::string(doc["results"][0]["title"].GetString(),
                        doc["results"][0]["title"].GetStringLength()),
            std::string("a\0b\xEF\xBF\xBD", 6));
}

DocumentView SampleView() {
  DocumentView view;
  schema::DocumentRecord& r = view.record;
  r.id = "0123456789abcdef0123456789abcdef";
  r.title = "Decreto flussi";
  r.title_source = "metadata";
  r.authors = {"Anna Rossi"};
  r.date = "2013";
  r.description = "Ingresso per lavoro";
  r.module = "Modulo 2";
  r.lang = "it";
  r.mime = "application/pdf";
  r.size = 1234;
  r.text_bytes = 999;
  r.type = {"normativa", "metadata", "the sidecar says so", {}};
  r.province = {"lodi", "inbox", "dropped into the lodi inbox", {}};
  r.provinces = {"lodi", "milano"};
  schema::AxisRecord axis;
  axis.axis = "lavoro";
  axis.score = 12.3456;
  axis.source = "text";
  axis.subthemes = {"decreto-flussi", "no-such-subtheme"};
  axis.evidence = {{"decreto-flussi", "decreto flussi", "title", 2, 10.0}};
  r.axes = {axis};
  r.norms = {{"dlgs-286-1998/art-22", "D.Lgs. 286/1998, art. 22"}};
  r.sources = {{"file:/srv/secret/path/flussi.pdf", "flussi.pdf", "", "2024-01-01T00:00:00Z"},
               {"inbox:lodi/flussi.pdf", "flussi.pdf", "lodi", "2024-01-02T00:00:00Z"}};
  r.pages = {{1, 0}, {2, 100}};
  r.indexed_at = "2024-01-02T00:00:00Z";
  view.related = {{"fedcba9876543210fedcba9876543210", "Altro", "dispensa", {"milano"}}};
  return view;
}

TEST(JsonCodec, DocumentViewHasEveryFieldAndTheReasons) {
  auto doc = ParseJson(DocumentViewToJson(SampleView(), RealTaxonomy()));
  for (const char* key :
       {"id",     "title",    "title_source", "authors", "date",           "description",
        "module", "lang",     "lang_label",   "mime",    "size",           "text_bytes",
        "type",   "province", "provinces",    "axes",    "norms",          "sources",
        "parent", "members",  "pages",        "cues",    "warnings",       "indexed_at",
        "url",    "download", "text",         "related", "other_provinces"}) {
    EXPECT_TRUE(doc.HasMember(key)) << key;
  }
  EXPECT_EQ(Str(doc, "lang_label"), "Italiano");
  EXPECT_EQ(Str(doc["type"], "value"), "normativa");
  EXPECT_EQ(Str(doc["type"], "label"), "Normativa");
  EXPECT_EQ(Str(doc["type"], "source"), "metadata");
  EXPECT_EQ(Str(doc["type"], "reason"), "the sidecar says so");
  EXPECT_TRUE(doc["type"]["evidence"].IsArray());
  EXPECT_EQ(Str(doc["province"], "source"), "inbox");
  EXPECT_EQ(Str(doc["provinces"][1], "label"), "Milano");

  const auto& axis = doc["axes"][0];
  EXPECT_EQ(Str(axis, "value"), "lavoro");
  EXPECT_EQ(Str(axis, "label"), "Lavoro");
  EXPECT_DOUBLE_EQ(axis["score"].GetDouble(), 12.35);
  EXPECT_EQ(Str(axis, "source"), "text");
  EXPECT_EQ(Str(axis["subthemes"][0], "value"), "decreto-flussi");
  EXPECT_NE(Str(axis["subthemes"][0], "label"), "decreto-flussi");  // from the taxonomy
  EXPECT_EQ(Str(axis["subthemes"][1], "label"), "no-such-subtheme");
  EXPECT_EQ(Str(axis["evidence"][0], "matched"), "decreto flussi");
  EXPECT_EQ(axis["evidence"][0]["count"].GetInt(), 2);

  EXPECT_EQ(Str(doc["norms"][0], "id"), "dlgs-286-1998/art-22");
  EXPECT_EQ(Str(doc["norms"][0], "label"), "D.Lgs. 286/1998, art. 22");
  // Where the bytes came from, never the server's paths.
  EXPECT_EQ(Str(doc["sources"][0], "origin"), "file");
  EXPECT_EQ(Str(doc["sources"][1], "origin"), "inbox");
  EXPECT_EQ(Str(doc["sources"][1], "province"), "lodi");
  EXPECT_EQ(DocumentViewToJson(SampleView(), RealTaxonomy()).find("/srv/secret"),
            std::string::npos);
  EXPECT_TRUE(doc["parent"].IsNull());
  EXPECT_EQ(doc["pages"].GetUint64(), 2u);
  EXPECT_EQ(Str(doc, "url"), "/documenti/0123456789abcdef0123456789abcdef");
  EXPECT_EQ(Str(doc, "download"), "/api/documents/0123456789abcdef0123456789abcdef/file");
  EXPECT_EQ(Str(doc, "text"), "/api/documents/0123456789abcdef0123456789abcdef/text");
  EXPECT_EQ(Str(doc["related"][0], "url"), "/documenti/fedcba9876543210fedcba9876543210");
  EXPECT_EQ(doc["related"][0]["provinces"][0].GetString(), std::string("milano"));
  EXPECT_TRUE(doc["other_provinces"].IsArray());
}

TEST(JsonCodec, BundleMembersNameTheirParent) {
  DocumentView view = SampleView();
  view.record.parent = "fedcba9876543210fedcba9876543210";
  view.record.member_path = "cartella/scheda.txt";
  view.record.type = {};
  auto doc = ParseJson(DocumentViewToJson(view, RealTaxonomy()));
  EXPECT_EQ(Str(doc["parent"], "id"), "fedcba9876543210fedcba9876543210");
  EXPECT_EQ(Str(doc["parent"], "member_path"), "cartella/scheda.txt");
  EXPECT_TRUE(doc["type"].IsNull());
}

TEST(JsonCodec, ErrorsHaveTheSpecShape) {
  auto doc = ParseJson(ErrorToJson(MakeError(400, "unknown axis 'x\"y'")));
  EXPECT_EQ(Keys(doc), (std::set<std::string>{"error"}));
  EXPECT_EQ(Keys(doc["error"]), (std::set<std::string>{"code", "message"}));
  EXPECT_EQ(Str(doc["error"], "code"), "bad_request");
  EXPECT_EQ(Str(doc["error"], "message"), "unknown axis 'x\"y'");
}

TEST(JsonCodec, SmallDocuments) {
  auto health = ParseJson(HealthToJson(46));
  EXPECT_EQ(Str(health, "status"), "ok");
  EXPECT_EQ(health["documents"].GetUint64(), 46u);
  auto suggestions = ParseJson(SuggestionsToJson({"permesso", "permessi"}));
  ASSERT_EQ(suggestions["suggestions"].Size(), 2u);
  EXPECT_EQ(suggestions["suggestions"][1].GetString(), std::string("permessi"));
}

TEST(JsonCodec, StatsJoinTheIndexAndTheUsage) {
  IndexStats index;
  index.documents = 55;
  index.by_axis = {{"lavoro", "Lavoro", 12}};
  index.by_province = {{"lodi", "Lodi", 3}};
  index.by_type = {{"dispensa", "Dispensa", 10}};
  UsageSnapshot usage;
  usage.searches = 7;
  usage.zero_result_searches = 2;
  usage.zero_result_queries = {{"zzz", "2024-01-01T00:00:00Z"}};
  usage.downloads = 3;
  usage.since = "2024-01-01T00:00:00Z";
  auto doc = ParseJson(StatsToJson(index, usage));
  EXPECT_EQ(doc["documents"].GetUint64(), 55u);
  EXPECT_EQ(Str(doc["by_axis"][0], "label"), "Lavoro");
  EXPECT_EQ(doc["by_type"][0]["count"].GetUint64(), 10u);
  EXPECT_EQ(doc["searches"].GetUint64(), 7u);
  EXPECT_EQ(doc["zero_result_searches"].GetUint64(), 2u);
  EXPECT_EQ(Str(doc["zero_result_queries"][0], "query"), "zzz");
  EXPECT_EQ(doc["downloads"].GetUint64(), 3u);
  EXPECT_EQ(Str(doc, "counting_since"), "2024-01-01T00:00:00Z");
}

TEST(JsonCodec, UsageRoundTrips) {
  UsageSnapshot usage;
  usage.searches = 1u << 20;
  usage.zero_result_searches = 5;
  usage.downloads = 9;
  usage.since = "2024-01-01T00:00:00Z";
  for (int i = 0; i < 3; ++i) usage.zero_result_queries.push_back({"q" + std::to_string(i), "t"});
  auto back = UsageFromJson(UsageToJson(usage));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back.value().searches, usage.searches);
  EXPECT_EQ(back.value().zero_result_searches, 5u);
  EXPECT_EQ(back.value().downloads, 9u);
  EXPECT_EQ(back.value().since, usage.since);
  ASSERT_EQ(back.value().zero_result_queries.size(), 3u);
  EXPECT_EQ(back.value().zero_result_queries[2].query, "q2");
  EXPECT_FALSE(UsageFromJson("{not json").ok());
  EXPECT_FALSE(UsageFromJson("[1,2]").ok());
}

TEST(JsonCodec, TaxonomyListsEveryIdentifierWithLabels) {
  auto doc = ParseJson(TaxonomyToJson(RealTaxonomy()));
  EXPECT_EQ(Keys(doc), (std::set<std::string>{"axes", "provinces", "types", "languages", "synonyms",
                                              "norms"}));
  ASSERT_EQ(doc["axes"].Size(), 6u);
  EXPECT_EQ(Str(doc["axes"][0], "id"), "educazione");
  EXPECT_EQ(Str(doc["axes"][0], "label"), "Educazione e apprendimento");
  EXPECT_GT(doc["axes"][0]["children"].Size(), 0u);
  EXPECT_GT(doc["axes"][0]["terms"].Size(), 0u);
  ASSERT_EQ(doc["provinces"].Size(), 13u);
  EXPECT_EQ(Str(doc["provinces"][0], "sigla"), "BG");
  EXPECT_EQ(doc["types"].Size(), 7u);
  EXPECT_GT(doc["languages"].Size(), 5u);
  EXPECT_GT(doc["norms"].Size(), 0u);
}

}  // namespace
}  // namespace correlare::searchd
