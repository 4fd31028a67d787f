#include "schema/document_record.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace correlare::schema {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;
using rapidjson::Value;

void Str(Writer& w, const char* key, const std::string& value) {
  w.Key(key);
  w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}

void Strings(Writer& w, const char* key, const std::vector<std::string>& values) {
  w.Key(key);
  w.StartArray();
  for (const auto& v : values) w.String(v.data(), static_cast<rapidjson::SizeType>(v.size()));
  w.EndArray();
}

void WriteEvidence(Writer& w, const std::vector<EvidenceRecord>& evidence) {
  w.Key("evidence");
  w.StartArray();
  for (const auto& e : evidence) {
    w.StartObject();
    Str(w, "term", e.term);
    Str(w, "matched", e.matched);
    Str(w, "zone", e.zone);
    w.Key("count");
    w.Int(e.count);
    w.Key("score");
    w.Double(e.score);
    w.EndObject();
  }
  w.EndArray();
}

void WriteTag(Writer& w, const char* key, const TagRecord& tag) {
  w.Key(key);
  w.StartObject();
  Str(w, "value", tag.value);
  Str(w, "source", tag.source);
  Str(w, "reason", tag.reason);
  WriteEvidence(w, tag.evidence);
  w.EndObject();
}

std::string S(const Value& o, const char* key) {
  auto it = o.FindMember(key);
  return it != o.MemberEnd() && it->value.IsString()
             ? std::string(it->value.GetString(), it->value.GetStringLength())
             : std::string();
}

double D(const Value& o, const char* key) {
  auto it = o.FindMember(key);
  return it != o.MemberEnd() && it->value.IsNumber() ? it->value.GetDouble() : 0.0;
}

int64_t I(const Value& o, const char* key) {
  auto it = o.FindMember(key);
  return it != o.MemberEnd() && it->value.IsInt64() ? it->value.GetInt64() : 0;
}

template <typename Each>
void Array(const Value& o, const char* key, Each each) {
  auto it = o.FindMember(key);
  if (it == o.MemberEnd() || !it->value.IsArray()) return;
  for (const auto& element : it->value.GetArray()) each(element);
}

std::vector<std::string> StringArray(const Value& o, const char* key) {
  std::vector<std::string> out;
  Array(o, key, [&](const Value& v) {
    if (v.IsString()) out.emplace_back(v.GetString(), v.GetStringLength());
  });
  return out;
}

std::vector<EvidenceRecord> ReadEvidence(const Value& o) {
  std::vector<EvidenceRecord> out;
  Array(o, "evidence", [&](const Value& e) {
    if (!e.IsObject()) return;
    out.push_back({S(e, "term"), S(e, "matched"), S(e, "zone"), static_cast<int>(I(e, "count")),
                   D(e, "score")});
  });
  return out;
}

TagRecord ReadTag(const Value& o, const char* key) {
  auto it = o.FindMember(key);
  if (it == o.MemberEnd() || !it->value.IsObject()) return {};
  const Value& t = it->value;
  return {S(t, "value"), S(t, "source"), S(t, "reason"), ReadEvidence(t)};
}

}  // namespace

std::string RecordToJson(const DocumentRecord& r) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  Str(w, "id", r.id);
  Str(w, "title", r.title);
  Str(w, "title_source", r.title_source);
  Strings(w, "authors", r.authors);
  Str(w, "date", r.date);
  Str(w, "description", r.description);
  Str(w, "module", r.module);
  Str(w, "lang", r.lang);
  Str(w, "mime", r.mime);
  w.Key("size");
  w.Uint64(r.size);
  w.Key("text_bytes");
  w.Uint64(r.text_bytes);
  WriteTag(w, "type", r.type);
  WriteTag(w, "province", r.province);
  Strings(w, "provinces", r.provinces);
  w.Key("axes");
  w.StartArray();
  for (const auto& axis : r.axes) {
    w.StartObject();
    Str(w, "axis", axis.axis);
    w.Key("score");
    w.Double(axis.score);
    Str(w, "source", axis.source);
    Strings(w, "subthemes", axis.subthemes);
    WriteEvidence(w, axis.evidence);
    w.EndObject();
  }
  w.EndArray();
  w.Key("norms");
  w.StartArray();
  for (const auto& norm : r.norms) {
    w.StartObject();
    Str(w, "id", norm.id);
    Str(w, "label", norm.label);
    w.EndObject();
  }
  w.EndArray();
  w.Key("sources");
  w.StartArray();
  for (const auto& source : r.sources) {
    w.StartObject();
    Str(w, "key", source.key);
    Str(w, "name", source.name);
    Str(w, "province", source.province);
    Str(w, "added", source.added);
    w.EndObject();
  }
  w.EndArray();
  Str(w, "parent", r.parent);
  Str(w, "member_path", r.member_path);
  Strings(w, "members", r.members);
  w.Key("pages");
  w.StartArray();
  for (const auto& page : r.pages) {
    w.StartArray();
    w.Int(page.number);
    w.Uint64(page.offset);
    w.EndArray();
  }
  w.EndArray();
  w.Key("cues");
  w.StartArray();
  for (const auto& cue : r.cues) {
    w.StartArray();
    w.Int64(cue.start_ms);
    w.Int64(cue.end_ms);
    w.Uint64(cue.offset);
    w.Uint64(cue.length);
    w.EndArray();
  }
  w.EndArray();
  Strings(w, "warnings", r.warnings);
  Str(w, "indexed_at", r.indexed_at);
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

Result<DocumentRecord> RecordFromJson(std::string_view json) {
  rapidjson::Document doc;
  doc.Parse(json.data(), json.size());
  if (doc.HasParseError() || !doc.IsObject()) {
    return Status(StatusCode::kCorrupt,
                  std::string("document data is not a JSON object: ") +
                      (doc.HasParseError() ? rapidjson::GetParseError_En(doc.GetParseError())
                                           : "wrong type"));
  }
  DocumentRecord r;
  r.id = S(doc, "id");
  r.title = S(doc, "title");
  r.title_source = S(doc, "title_source");
  r.authors = StringArray(doc, "authors");
  r.date = S(doc, "date");
  r.description = S(doc, "description");
  r.module = S(doc, "module");
  r.lang = S(doc, "lang");
  r.mime = S(doc, "mime");
  r.size = static_cast<uint64_t>(I(doc, "size"));
  r.text_bytes = static_cast<uint64_t>(I(doc, "text_bytes"));
  r.type = ReadTag(doc, "type");
  r.province = ReadTag(doc, "province");
  r.provinces = StringArray(doc, "provinces");
  Array(doc, "axes", [&](const Value& a) {
    if (!a.IsObject()) return;
    r.axes.push_back({S(a, "axis"), D(a, "score"), S(a, "source"), StringArray(a, "subthemes"),
                      ReadEvidence(a)});
  });
  Array(doc, "norms", [&](const Value& n) {
    if (n.IsObject()) r.norms.push_back({S(n, "id"), S(n, "label")});
  });
  Array(doc, "sources", [&](const Value& s) {
    if (s.IsObject()) r.sources.push_back({S(s, "key"), S(s, "name"), S(s, "province"), S(s, "added")});
  });
  r.parent = S(doc, "parent");
  r.member_path = S(doc, "member_path");
  r.members = StringArray(doc, "members");
  Array(doc, "pages", [&](const Value& p) {
    if (p.IsArray() && p.Size() == 2 && p[0].IsInt() && p[1].IsUint64()) {
      r.pages.push_back({p[0].GetInt(), p[1].GetUint64()});
    }
  });
  Array(doc, "cues", [&](const Value& c) {
    if (c.IsArray() && c.Size() == 4 && c[0].IsInt64() && c[1].IsInt64() && c[2].IsUint64() &&
        c[3].IsUint64()) {
      r.cues.push_back({c[0].GetInt64(), c[1].GetInt64(), c[2].GetUint64(), c[3].GetUint64()});
    }
  });
  r.warnings = StringArray(doc, "warnings");
  r.indexed_at = S(doc, "indexed_at");
  return r;
}

}  // namespace correlare::schema
