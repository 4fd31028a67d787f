#include "json_codec.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cmath>

#include "taxonomy/vocabulary.h"
#include "utf8.h"

namespace correlare::searchd {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void Text(Writer& w, std::string_view value) {
  if (IsValidUtf8(value)) {
    w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
  } else {
    std::string valid = ToValidUtf8(value);
    w.String(valid.data(), static_cast<rapidjson::SizeType>(valid.size()));
  }
}

void Str(Writer& w, const char* key, std::string_view value) {
  w.Key(key);
  Text(w, value);
}

void Uint(Writer& w, const char* key, uint64_t value) {
  w.Key(key);
  w.Uint64(value);
}

// Scores and timings: two decimals are plenty for people and keep the output short.
void Rounded(Writer& w, const char* key, double value) {
  w.Key(key);
  w.Double(std::isfinite(value) ? std::round(value * 100) / 100 : 0.0);
}

void Strings(Writer& w, const char* key, const std::vector<std::string>& values) {
  w.Key(key);
  w.StartArray();
  for (const auto& value : values) Text(w, value);
  w.EndArray();
}

template <typename List>
std::string LabelIn(const List& list, std::string_view id) {
  for (const auto& item : list) {
    if (item.id == id) return std::string(item.label);
  }
  return std::string(id);
}

std::string AxisLabel(std::string_view id) { return LabelIn(taxonomy::Axes(), id); }
std::string ProvinceLabel(std::string_view id) { return LabelIn(taxonomy::Provinces(), id); }
std::string TypeLabel(std::string_view id) { return LabelIn(taxonomy::DocumentTypes(), id); }

void ValueLabel(Writer& w, std::string_view value, std::string_view label) {
  w.StartObject();
  Str(w, "value", value);
  Str(w, "label", label);
  w.EndObject();
}

void Counts(Writer& w, const char* key, const std::vector<FacetCount>& counts) {
  w.Key(key);
  w.StartArray();
  for (const auto& count : counts) {
    w.StartObject();
    Str(w, "value", count.value);
    Str(w, "label", count.label);
    Uint(w, "count", count.count);
    w.EndObject();
  }
  w.EndArray();
}

void Counts(Writer& w, const char* key, const std::vector<CountBy>& counts) {
  w.Key(key);
  w.StartArray();
  for (const auto& count : counts) {
    w.StartObject();
    Str(w, "value", count.value);
    Str(w, "label", count.label);
    Uint(w, "count", count.count);
    w.EndObject();
  }
  w.EndArray();
}

void WriteHit(Writer& w, const Hit& hit) {
  if (hit.page) {
    w.Key("hit");
    w.StartObject();
    w.Key("page");
    w.Int(*hit.page);
    w.EndObject();
  } else if (!hit.time.empty()) {
    w.Key("hit");
    w.StartObject();
    Str(w, "time", hit.time);
    w.EndObject();
  }
}

void WriteItem(Writer& w, const ResultItem& item) {
  w.StartObject();
  Str(w, "id", item.id);
  Str(w, "title", item.title);
  Str(w, "snippet", item.snippet);
  Str(w, "type", item.type);
  Strings(w, "axes", item.axes);
  Strings(w, "provinces", item.provinces);
  Str(w, "lang", item.lang);
  Str(w, "date", item.date);
  Str(w, "mime", item.mime);
  Uint(w, "size", item.size);
  WriteHit(w, item.hit);
  Str(w, "url", DocumentPagePath(item.id));
  Str(w, "download", DownloadPath(item.id));
  w.EndObject();
}

void WriteEvidence(Writer& w, const std::vector<schema::EvidenceRecord>& evidence) {
  w.Key("evidence");
  w.StartArray();
  for (const auto& e : evidence) {
    w.StartObject();
    Str(w, "term", e.term);
    Str(w, "matched", e.matched);
    Str(w, "zone", e.zone);
    w.Key("count");
    w.Int(e.count);
    Rounded(w, "score", e.score);
    w.EndObject();
  }
  w.EndArray();
}

// type and province: the value with its label, and why it was given.
void WriteTag(Writer& w, const char* key, const schema::TagRecord& tag, std::string label) {
  w.Key(key);
  if (tag.value.empty()) {
    w.Null();
    return;
  }
  w.StartObject();
  Str(w, "value", tag.value);
  Str(w, "label", label);
  Str(w, "source", tag.source);
  Str(w, "reason", tag.reason);
  WriteEvidence(w, tag.evidence);
  w.EndObject();
}

void WriteAxes(Writer& w, const std::vector<schema::AxisRecord>& axes,
               const taxonomy::Taxonomy& taxonomy) {
  w.Key("axes");
  w.StartArray();
  for (const auto& axis : axes) {
    w.StartObject();
    Str(w, "value", axis.axis);
    Str(w, "label", AxisLabel(axis.axis));
    Rounded(w, "score", axis.score);
    Str(w, "source", axis.source);
    w.Key("subthemes");
    w.StartArray();
    for (const auto& subtheme : axis.subthemes) {
      const taxonomy::Term* term = taxonomy.Find(subtheme);
      ValueLabel(w, subtheme, term ? term->label : subtheme);
    }
    w.EndArray();
    WriteEvidence(w, axis.evidence);
    w.EndObject();
  }
  w.EndArray();
}

// Where the bytes came from, without the server's paths: "file:/srv/…" says "file".
void WriteSources(Writer& w, const std::vector<schema::SourceRecord>& sources) {
  w.Key("sources");
  w.StartArray();
  for (const auto& source : sources) {
    w.StartObject();
    std::string_view key = source.key;
    Str(w, "origin", key.substr(0, std::min(key.find(':'), key.size())));
    Str(w, "name", source.name);
    Str(w, "province", source.province);
    Str(w, "added", source.added);
    w.EndObject();
  }
  w.EndArray();
}

void WriteRelated(Writer& w, const char* key, const std::vector<RelatedDocument>& documents) {
  w.Key(key);
  w.StartArray();
  for (const auto& document : documents) {
    w.StartObject();
    Str(w, "id", document.id);
    Str(w, "title", document.title);
    Str(w, "type", document.type);
    Strings(w, "provinces", document.provinces);
    Str(w, "url", DocumentPagePath(document.id));
    w.EndObject();
  }
  w.EndArray();
}

void WriteRecord(Writer& w, const schema::DocumentRecord& r, const taxonomy::Taxonomy& taxonomy) {
  Str(w, "id", r.id);
  Str(w, "title", r.title);
  Str(w, "title_source", r.title_source);
  Strings(w, "authors", r.authors);
  Str(w, "date", r.date);
  Str(w, "description", r.description);
  Str(w, "module", r.module);
  Str(w, "lang", r.lang);
  Str(w, "lang_label", r.lang.empty() ? std::string() : taxonomy::LanguageLabel(r.lang));
  Str(w, "mime", r.mime);
  Uint(w, "size", r.size);
  Uint(w, "text_bytes", r.text_bytes);
  WriteTag(w, "type", r.type, TypeLabel(r.type.value));
  WriteTag(w, "province", r.province, ProvinceLabel(r.province.value));
  w.Key("provinces");
  w.StartArray();
  for (const auto& province : r.provinces) ValueLabel(w, province, ProvinceLabel(province));
  w.EndArray();
  WriteAxes(w, r.axes, taxonomy);
  w.Key("norms");
  w.StartArray();
  for (const auto& norm : r.norms) {
    w.StartObject();
    Str(w, "id", norm.id);
    Str(w, "label", norm.label);
    w.EndObject();
  }
  w.EndArray();
  WriteSources(w, r.sources);
  w.Key("parent");
  if (r.parent.empty()) {
    w.Null();
  } else {
    w.StartObject();
    Str(w, "id", r.parent);
    Str(w, "member_path", r.member_path);
    Str(w, "url", DocumentPagePath(r.parent));
    w.EndObject();
  }
  Strings(w, "members", r.members);
  Uint(w, "pages", r.pages.size());
  Uint(w, "cues", r.cues.size());
  Strings(w, "warnings", r.warnings);
  Str(w, "indexed_at", r.indexed_at);
}

void WriteTerm(Writer& w, const taxonomy::Term& term) {
  w.StartObject();
  Str(w, "id", term.id);
  Str(w, "label", term.label);
  Str(w, "label_en", term.label_en);
  w.Key("terms");
  w.StartArray();
  for (const auto& phrase : term.phrases) Text(w, phrase.text);
  w.EndArray();
  w.Key("children");
  w.StartArray();
  for (const auto& child : term.children) WriteTerm(w, child);
  w.EndArray();
  w.EndObject();
}

std::string Done(const rapidjson::StringBuffer& buffer) {
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace

std::string DocumentPagePath(const std::string& id) { return "/documenti/" + id; }
std::string DownloadPath(const std::string& id) { return "/api/documents/" + id + "/file"; }
std::string TextPath(const std::string& id) { return "/api/documents/" + id + "/text"; }

std::string SearchResultToJson(const SearchResult& result) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  Str(w, "query", result.query);
  w.Key("corrected");
  if (result.corrected) {
    w.StartObject();
    Str(w, "query", result.corrected->query);
    w.Key("applied");
    w.Bool(result.corrected->applied);
    w.EndObject();
  } else {
    w.Null();
  }
  Uint(w, "total", result.total);
  w.Key("page");
  w.Int(result.page);
  w.Key("per_page");
  w.Int(result.per_page);
  Rounded(w, "took_ms", result.took_ms);
  w.Key("results");
  w.StartArray();
  for (const auto& item : result.results) WriteItem(w, item);
  w.EndArray();
  w.Key("facets");
  w.StartObject();
  Counts(w, "axis", result.facets.axis);
  Counts(w, "province", result.facets.province);
  Counts(w, "type", result.facets.type);
  Counts(w, "lang", result.facets.lang);
  Counts(w, "year", result.facets.year);
  w.EndObject();
  w.EndObject();
  return Done(buffer);
}

std::string DocumentViewToJson(const DocumentView& view, const taxonomy::Taxonomy& taxonomy) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  WriteRecord(w, view.record, taxonomy);
  Str(w, "url", DocumentPagePath(view.record.id));
  Str(w, "download", DownloadPath(view.record.id));
  Str(w, "text", TextPath(view.record.id));
  WriteRelated(w, "related", view.related);
  WriteRelated(w, "other_provinces", view.other_provinces);
  w.EndObject();
  return Done(buffer);
}

std::string SuggestionsToJson(const std::vector<std::string>& suggestions) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  Strings(w, "suggestions", suggestions);
  w.EndObject();
  return Done(buffer);
}

std::string StatsToJson(const IndexStats& index, const UsageSnapshot& usage) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  Uint(w, "documents", index.documents);
  Counts(w, "by_axis", index.by_axis);
  Counts(w, "by_province", index.by_province);
  Counts(w, "by_type", index.by_type);
  Uint(w, "searches", usage.searches);
  Uint(w, "zero_result_searches", usage.zero_result_searches);
  w.Key("zero_result_queries");
  w.StartArray();
  for (const auto& query : usage.zero_result_queries) {
    w.StartObject();
    Str(w, "query", query.query);
    Str(w, "at", query.at);
    w.EndObject();
  }
  w.EndArray();
  Uint(w, "downloads", usage.downloads);
  Str(w, "counting_since", usage.since);
  w.EndObject();
  return Done(buffer);
}

std::string HealthToJson(uint64_t documents) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  Str(w, "status", "ok");
  Uint(w, "documents", documents);
  w.EndObject();
  return Done(buffer);
}

std::string TaxonomyToJson(const taxonomy::Taxonomy& taxonomy) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  w.Key("axes");
  w.StartArray();
  for (const auto& axis : taxonomy.axes) WriteTerm(w, axis);
  w.EndArray();
  w.Key("provinces");
  w.StartArray();
  for (const auto& province : taxonomy::Provinces()) {
    w.StartObject();
    Str(w, "id", province.id);
    Str(w, "sigla", province.sigla);
    Str(w, "label", province.label);
    w.EndObject();
  }
  w.EndArray();
  w.Key("types");
  w.StartArray();
  for (const auto& type : taxonomy::DocumentTypes()) {
    w.StartObject();
    Str(w, "id", type.id);
    Str(w, "label", type.label);
    Str(w, "label_en", type.label_en);
    w.EndObject();
  }
  w.EndArray();
  w.Key("languages");
  w.StartArray();
  for (const auto& language : taxonomy::Languages()) {
    w.StartObject();
    Str(w, "id", language.id);
    Str(w, "label", language.label);
    Str(w, "label_en", language.label_en);
    w.EndObject();
  }
  w.EndArray();
  w.Key("synonyms");
  w.StartArray();
  for (const auto& group : taxonomy.synonyms) {
    w.StartArray();
    for (const auto& word : group) Text(w, word);
    w.EndArray();
  }
  w.EndArray();
  w.Key("norms");
  w.StartArray();
  for (const auto& norm : taxonomy.norms) {
    w.StartObject();
    Str(w, "id", norm.id);
    Str(w, "label", norm.label);
    Str(w, "title", norm.title);
    Strings(w, "names", norm.names);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return Done(buffer);
}

std::string ErrorToJson(const ApiError& error) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  w.Key("error");
  w.StartObject();
  Str(w, "code", error.code);
  Str(w, "message", error.message);
  w.EndObject();
  w.EndObject();
  return Done(buffer);
}

std::string UsageToJson(const UsageSnapshot& usage) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  w.Key("version");
  w.Int(1);
  Uint(w, "searches", usage.searches);
  Uint(w, "zero_result_searches", usage.zero_result_searches);
  w.Key("zero_result_queries");
  w.StartArray();
  for (const auto& query : usage.zero_result_queries) {
    w.StartObject();
    Str(w, "query", query.query);
    Str(w, "at", query.at);
    w.EndObject();
  }
  w.EndArray();
  Uint(w, "downloads", usage.downloads);
  Str(w, "since", usage.since);
  w.EndObject();
  return Done(buffer);
}

Result<UsageSnapshot> UsageFromJson(std::string_view json) {
  rapidjson::Document doc;
  doc.Parse(json.data(), json.size());
  if (doc.HasParseError()) {
    return Status(StatusCode::kCorrupt, std::string("not JSON: ") +
                                            rapidjson::GetParseError_En(doc.GetParseError()) +
                                            " at byte " + std::to_string(doc.GetErrorOffset()));
  }
  if (!doc.IsObject()) return Status(StatusCode::kCorrupt, "not a JSON object");
  auto count = [&](const char* key) -> uint64_t {
    auto it = doc.FindMember(key);
    return it != doc.MemberEnd() && it->value.IsUint64() ? it->value.GetUint64() : 0;
  };
  auto text = [](const rapidjson::Value& object, const char* key) -> std::string {
    auto it = object.FindMember(key);
    return it != object.MemberEnd() && it->value.IsString()
               ? std::string(it->value.GetString(), it->value.GetStringLength())
               : std::string();
  };
  UsageSnapshot usage;
  usage.searches = count("searches");
  usage.zero_result_searches = count("zero_result_searches");
  usage.downloads = count("downloads");
  usage.since = text(doc, "since");
  auto queries = doc.FindMember("zero_result_queries");
  if (queries != doc.MemberEnd() && queries->value.IsArray()) {
    for (const auto& query : queries->value.GetArray()) {
      if (!query.IsObject()) continue;
      if (usage.zero_result_queries.size() == kRecentZeroResultQueries) break;
      usage.zero_result_queries.push_back({text(query, "query"), text(query, "at")});
    }
  }
  return usage;
}

}  // namespace correlare::searchd
