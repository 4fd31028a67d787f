#include "extractors/json_codec.h"

#include <cinttypes>
#include <cstdio>

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace correlare::extractors {
namespace {

// Keys of the "metadata" object that are fields of ExtractedDocument, not map entries.
constexpr const char* kAuthors = "authors";
constexpr const char* kDate = "date";
constexpr const char* kDeclaredLanguage = "declared_language";
constexpr const char* kHeading = "heading";

std::string FormatTime(int64_t ms) {
  char out[32];
  int64_t total_seconds = ms / 1000;
  std::snprintf(out, sizeof(out), "%02" PRId64 ":%02" PRId64 ":%02" PRId64 ".%03" PRId64,
                total_seconds / 3600, (total_seconds / 60) % 60, total_seconds % 60, ms % 1000);
  return out;
}

template <typename Writer>
void WriteString(Writer& w, std::string_view s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

template <typename Writer>
void WriteDocument(Writer& w, const ExtractedDocument& doc, bool include_text) {
  w.StartObject();
  w.Key("file");
  WriteString(w, doc.file_name);
  if (!doc.content_id.empty()) {
    w.Key("id");
    WriteString(w, doc.content_id);
  }
  if (!doc.member_path.empty()) {
    w.Key("path");
    WriteString(w, doc.member_path);
  }
  w.Key("mime");
  WriteString(w, doc.mime);
  w.Key("size");
  w.Uint64(doc.size);
  w.Key("title");
  WriteString(w, doc.title);
  w.Key("title_source");
  WriteString(w, doc.title_source);

  w.Key("metadata");
  w.StartObject();
  w.Key(kAuthors);
  w.StartArray();
  for (const auto& author : doc.authors) WriteString(w, author);
  w.EndArray();
  w.Key(kDate);
  WriteString(w, doc.date);
  w.Key(kDeclaredLanguage);
  WriteString(w, doc.declared_lang);
  w.Key(kHeading);
  WriteString(w, doc.heading);
  for (const auto& [key, value] : doc.metadata) {
    WriteString(w, key);
    WriteString(w, value);
  }
  w.EndObject();

  w.Key("language");
  WriteString(w, doc.lang);
  if (include_text) {
    w.Key("text");
    WriteString(w, doc.text);
  } else {
    w.Key("text_bytes");
    w.Uint64(doc.text.size());
  }
  w.Key("text_truncated");
  w.Bool(doc.text_truncated);

  w.Key("positions");
  w.StartObject();
  w.Key("pages");
  w.StartArray();
  for (const auto& page : doc.pages) {
    w.StartObject();
    w.Key("page");
    w.Int(page.number);
    w.Key("offset");
    w.Uint64(page.offset);
    w.EndObject();
  }
  w.EndArray();
  w.Key("cues");
  w.StartArray();
  for (const auto& cue : doc.cues) {
    w.StartObject();
    w.Key("start");
    WriteString(w, FormatTime(cue.start_ms));
    w.Key("end");
    WriteString(w, FormatTime(cue.end_ms));
    w.Key("start_ms");
    w.Int64(cue.start_ms);
    w.Key("end_ms");
    w.Int64(cue.end_ms);
    w.Key("offset");
    w.Uint64(cue.offset);
    w.Key("length");
    w.Uint64(cue.length);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();

  w.Key("warnings");
  w.StartArray();
  for (const auto& warning : doc.warnings) WriteString(w, warning);
  w.EndArray();

  w.Key("errors");
  w.StartArray();
  if (!doc.status.ok()) {
    w.StartObject();
    w.Key("code");
    WriteString(w, StatusCodeName(doc.status.code()));
    w.Key("message");
    WriteString(w, doc.status.message());
    w.EndObject();
  }
  w.EndArray();

  if (!doc.members.empty()) {
    w.Key("members");
    w.StartArray();
    for (const auto& member : doc.members) WriteDocument(w, member, include_text);
    w.EndArray();
  }
  w.EndObject();
}

std::string GetString(const rapidjson::Value& object, const char* key) {
  auto it = object.FindMember(key);
  if (it == object.MemberEnd() || !it->value.IsString()) return "";
  return std::string(it->value.GetString(), it->value.GetStringLength());
}

uint64_t GetUint64(const rapidjson::Value& object, const char* key) {
  auto it = object.FindMember(key);
  return it != object.MemberEnd() && it->value.IsUint64() ? it->value.GetUint64() : 0;
}

int64_t GetInt64(const rapidjson::Value& object, const char* key) {
  auto it = object.FindMember(key);
  return it != object.MemberEnd() && it->value.IsInt64() ? it->value.GetInt64() : 0;
}

Result<ExtractedDocument> ReadDocument(const rapidjson::Value& v, int depth) {
  if (!v.IsObject()) return Status(StatusCode::kCorrupt, "extraction result is not an object");
  if (depth > 64) return Status(StatusCode::kCorrupt, "extraction result nested too deep");
  ExtractedDocument doc;
  doc.file_name = GetString(v, "file");
  doc.content_id = GetString(v, "id");
  doc.member_path = GetString(v, "path");
  doc.mime = GetString(v, "mime");
  doc.size = GetUint64(v, "size");
  doc.title = GetString(v, "title");
  doc.title_source = GetString(v, "title_source");
  doc.lang = GetString(v, "language");
  doc.text = GetString(v, "text");
  if (auto it = v.FindMember("text_truncated"); it != v.MemberEnd() && it->value.IsBool()) {
    doc.text_truncated = it->value.GetBool();
  }
  if (auto meta = v.FindMember("metadata"); meta != v.MemberEnd() && meta->value.IsObject()) {
    for (const auto& entry : meta->value.GetObject()) {
      std::string key(entry.name.GetString(), entry.name.GetStringLength());
      if (key == kAuthors && entry.value.IsArray()) {
        for (const auto& author : entry.value.GetArray()) {
          if (author.IsString()) doc.authors.emplace_back(author.GetString(), author.GetStringLength());
        }
      } else if (!entry.value.IsString()) {
        continue;
      } else if (key == kDate) {
        doc.date = entry.value.GetString();
      } else if (key == kDeclaredLanguage) {
        doc.declared_lang = entry.value.GetString();
      } else if (key == kHeading) {
        doc.heading = entry.value.GetString();
      } else {
        doc.metadata[key] = std::string(entry.value.GetString(), entry.value.GetStringLength());
      }
    }
  }
  if (auto pos = v.FindMember("positions"); pos != v.MemberEnd() && pos->value.IsObject()) {
    if (auto pages = pos->value.FindMember("pages");
        pages != pos->value.MemberEnd() && pages->value.IsArray()) {
      for (const auto& page : pages->value.GetArray()) {
        if (!page.IsObject()) continue;
        doc.pages.push_back({static_cast<int>(GetInt64(page, "page")), GetUint64(page, "offset")});
      }
    }
    if (auto cues = pos->value.FindMember("cues");
        cues != pos->value.MemberEnd() && cues->value.IsArray()) {
      for (const auto& cue : cues->value.GetArray()) {
        if (!cue.IsObject()) continue;
        doc.cues.push_back({GetInt64(cue, "start_ms"), GetInt64(cue, "end_ms"),
                            GetUint64(cue, "offset"), GetUint64(cue, "length")});
      }
    }
  }
  if (auto warnings = v.FindMember("warnings");
      warnings != v.MemberEnd() && warnings->value.IsArray()) {
    for (const auto& warning : warnings->value.GetArray()) {
      if (warning.IsString()) doc.warnings.emplace_back(warning.GetString(), warning.GetStringLength());
    }
  }
  if (auto errors = v.FindMember("errors");
      errors != v.MemberEnd() && errors->value.IsArray() && !errors->value.Empty() &&
      errors->value[0].IsObject()) {
    const auto& first = errors->value[0];
    doc.status = Status(StatusCodeFromName(GetString(first, "code")), GetString(first, "message"));
  }
  if (auto members = v.FindMember("members"); members != v.MemberEnd() && members->value.IsArray()) {
    for (const auto& member : members->value.GetArray()) {
      Result<ExtractedDocument> read = ReadDocument(member, depth + 1);
      if (!read.ok()) return read.status();
      doc.members.push_back(std::move(read).value());
    }
  }
  return doc;
}

template <typename Writer>
void WriteFailure(Writer& w, const std::string& file_name, const Status& status) {
  w.StartObject();
  w.Key("file");
  WriteString(w, file_name);
  w.Key("errors");
  w.StartArray();
  w.StartObject();
  w.Key("code");
  WriteString(w, StatusCodeName(status.code()));
  w.Key("message");
  WriteString(w, status.message());
  w.EndObject();
  w.EndArray();
  w.EndObject();
}

}  // namespace

std::string DocumentToJson(const ExtractedDocument& doc, bool pretty, bool include_text) {
  rapidjson::StringBuffer buffer;
  if (pretty) {
    rapidjson::PrettyWriter<rapidjson::StringBuffer> writer(buffer);
    writer.SetIndent(' ', 2);
    WriteDocument(writer, doc, include_text);
  } else {
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    WriteDocument(writer, doc, include_text);
  }
  return std::string(buffer.GetString(), buffer.GetSize());
}

Result<ExtractedDocument> DocumentFromJson(std::string_view json) {
  rapidjson::Document parsed;
  parsed.Parse(json.data(), json.size());
  if (parsed.HasParseError()) {
    return Status(StatusCode::kCorrupt,
                  std::string("extraction result is not valid JSON: ") +
                      rapidjson::GetParseError_En(parsed.GetParseError()) + " at offset " +
                      std::to_string(parsed.GetErrorOffset()));
  }
  return ReadDocument(parsed, 0);
}

std::string FailureToJson(const std::string& file_name, const Status& status, bool pretty) {
  rapidjson::StringBuffer buffer;
  if (pretty) {
    rapidjson::PrettyWriter<rapidjson::StringBuffer> writer(buffer);
    writer.SetIndent(' ', 2);
    WriteFailure(writer, file_name, status);
  } else {
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    WriteFailure(writer, file_name, status);
  }
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace correlare::extractors
