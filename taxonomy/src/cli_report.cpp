#include "cli_report.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <array>
#include <cstdio>

namespace correlare::taxonomy::cli {
namespace {

// Characters on screen, near enough: UTF-8 continuation bytes take no column.
size_t Width(const std::string& s) {
  return static_cast<size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

std::string Pad(const std::string& s, size_t width) {
  size_t w = Width(s);
  return w >= width ? s : s + std::string(width - w, ' ');
}

std::string Number(double value, const char* format) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), format, value);
  return buffer;
}

std::string Weight(double weight) { return Number(weight, "%g"); }

std::string Count(size_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

std::string KindName(const std::string& kind) {
  if (kind == "subtheme") return "sub-theme";
  if (kind == "type") return "document type";
  return kind;
}

// Rows of id, label, phrase count; printed with aligned columns under section titles
// (none for an empty title).
using Row = std::array<std::string, 3>;

void TreeRows(const Term& term, int depth, std::vector<Row>& rows) {
  std::string id = std::string(2 + 2 * depth, ' ') + term.id;
  if (!term.sigla.empty()) id += " [" + term.sigla + "]";
  rows.push_back({id, term.label, Count(term.phrases.size(), "phrase", "phrases")});
  for (const auto& child : term.children) TreeRows(child, depth + 1, rows);
}

std::string Table(const std::vector<std::pair<std::string, std::vector<Row>>>& sections) {
  size_t id_width = 0, label_width = 0;
  for (const auto& [title, rows] : sections) {
    for (const auto& row : rows) {
      id_width = std::max(id_width, Width(row[0]));
      label_width = std::max(label_width, Width(row[1]));
    }
  }
  std::string out;
  for (const auto& [title, rows] : sections) {
    if (!title.empty()) out += title + "\n";
    for (const auto& row : rows) {
      out += Pad(row[0], id_width + 2) + Pad(row[1], label_width + 2) + row[2] + "\n";
    }
  }
  return out;
}

void EvidenceLines(const std::vector<Evidence>& evidence, const std::string& indent,
                   std::string& out) {
  for (const auto& e : evidence) {
    out += indent + "\"" + e.matched + "\" (" + e.term + ")  " + e.zone + " x" +
           std::to_string(e.count) + "  " + Number(e.score, "%.1f") + "\n";
  }
}

std::string LabelOf(const Taxonomy& taxonomy, const std::string& id) {
  const Term* term = taxonomy.Find(id);
  return term ? term->label : id;
}

void FormatOne(const TaggedDocument& doc, const Taxonomy& taxonomy, std::string& out) {
  out += doc.name;
  if (!doc.title.empty()) out += " — " + doc.title;
  if (!doc.mime.empty()) out += " (" + doc.mime + ")";
  out += "\n";
  if (!doc.error.empty()) {
    out += "  not extracted: " + doc.error + "\n";
    return;
  }
  const Tags& tags = doc.tags;
  if (tags.axes.empty()) {
    out += "axes: none (no axis reached the threshold of " +
           Number(taxonomy.settings.axis_threshold, "%g") + ")\n";
  } else {
    out += "axes:\n";
  }
  for (const auto& axis : tags.axes) {
    out += "  " + axis.axis + "  " + LabelOf(taxonomy, axis.axis) + "  score " +
           Number(axis.score, "%.1f") + " (" + axis.source + ")\n";
    if (!axis.subthemes.empty()) {
      out += "    sub-themes:";
      for (const auto& sub : axis.subthemes) out += " " + sub + " (" + LabelOf(taxonomy, sub) + ")";
      out += "\n";
    }
    if (!axis.evidence.empty()) out += "    evidence:\n";
    EvidenceLines(axis.evidence, "      ", out);
  }
  for (const auto& [name, tag] :
       {std::pair<const char*, const SourcedTag*>{"province", &tags.province},
        {"type", &tags.type}}) {
    out += std::string(name) + ": " + (tag->value.empty() ? "none" : tag->value);
    if (!tag->source.empty()) out += " (" + tag->source + ")";
    if (!tag->reason.empty()) out += " — " + tag->reason;
    out += "\n";
    EvidenceLines(tag->evidence, "    ", out);
  }
  out += "language: " + (tags.lang.empty() ? std::string("unknown") : tags.lang) + "\n";
  out += tags.norms.empty() ? "norms: none cited\n" : "norms:\n";
  for (const auto& norm : tags.norms) out += "  " + norm.id + "  " + norm.label + "\n";
  for (const auto& member : doc.members) {
    out += "\n";
    FormatOne(member, taxonomy, out);
  }
}

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

void WriteString(JsonWriter& w, const char* key, const std::string& value) {
  w.Key(key);
  w.String(value.c_str(), static_cast<rapidjson::SizeType>(value.size()));
}

void WriteEvidence(JsonWriter& w, const std::vector<Evidence>& evidence) {
  w.Key("evidence");
  w.StartArray();
  for (const auto& e : evidence) {
    w.StartObject();
    WriteString(w, "term", e.term);
    WriteString(w, "matched", e.matched);
    WriteString(w, "zone", e.zone);
    w.Key("count");
    w.Int(e.count);
    w.Key("score");
    w.Double(e.score);
    w.EndObject();
  }
  w.EndArray();
}

void WriteSourced(JsonWriter& w, const char* key, const SourcedTag& tag) {
  w.Key(key);
  w.StartObject();
  w.Key("value");
  if (tag.value.empty()) {
    w.Null();
  } else {
    w.String(tag.value.c_str());
  }
  WriteString(w, "source", tag.source);
  WriteString(w, "reason", tag.reason);
  WriteEvidence(w, tag.evidence);
  w.EndObject();
}

void WriteDocument(JsonWriter& w, const TaggedDocument& doc, const Taxonomy& taxonomy) {
  w.StartObject();
  WriteString(w, "file", doc.name);
  WriteString(w, "title", doc.title);
  WriteString(w, "mime", doc.mime);
  if (!doc.error.empty()) {
    WriteString(w, "error", doc.error);
  } else {
    const Tags& tags = doc.tags;
    w.Key("axes");
    w.StartArray();
    for (const auto& axis : tags.axes) {
      w.StartObject();
      WriteString(w, "axis", axis.axis);
      WriteString(w, "label", LabelOf(taxonomy, axis.axis));
      w.Key("score");
      w.Double(axis.score);
      WriteString(w, "source", axis.source);
      w.Key("subthemes");
      w.StartArray();
      for (const auto& sub : axis.subthemes) w.String(sub.c_str());
      w.EndArray();
      WriteEvidence(w, axis.evidence);
      w.EndObject();
    }
    w.EndArray();
    WriteSourced(w, "province", tags.province);
    WriteSourced(w, "type", tags.type);
    WriteString(w, "lang", tags.lang);
    w.Key("norms");
    w.StartArray();
    for (const auto& norm : tags.norms) {
      w.StartObject();
      WriteString(w, "id", norm.id);
      WriteString(w, "norm_id", norm.norm_id);
      WriteString(w, "article", norm.article);
      WriteString(w, "label", norm.label);
      w.EndObject();
    }
    w.EndArray();
  }
  if (!doc.members.empty()) {
    w.Key("members");
    w.StartArray();
    for (const auto& member : doc.members) WriteDocument(w, member, taxonomy);
    w.EndArray();
  }
  w.EndObject();
}

void TermDetails(const Taxonomy& taxonomy, const Term& term, std::string& out) {
  std::string kind = taxonomy.KindOf(term.id);
  out += term.id + " — " + term.label + "\n";
  out += "  kind       " + KindName(kind) + "\n";
  if (!term.label_en.empty()) out += "  label_en   " + term.label_en + "\n";
  if (!term.sigla.empty()) out += "  sigla      " + term.sigla + "\n";
  if (kind == "subtheme") {
    out += "  parent     " + taxonomy.ParentOf(term.id) + "\n";
    out += "  axis       " + taxonomy.AxisOf(term.id) + "\n";
  }
  out += "  phrases (" + std::to_string(term.phrases.size()) + ")\n";
  for (const auto& phrase : term.phrases) {
    out += "    " + Pad(Weight(phrase.weight), 5) + phrase.text + "\n";
  }
  if (kind == "axis" || kind == "subtheme") {
    out += "  patterns (" + std::to_string(term.patterns.size()) + ")\n";
    for (const auto& pattern : term.patterns) {
      out += "    " + Pad(Weight(pattern.weight), 5) + "/" + pattern.regex + "/";
      if (!pattern.note.empty()) out += "  " + pattern.note;
      out += "\n";
    }
    out += "  exclude (" + std::to_string(term.exclude.size()) + ")\n";
    for (const auto& phrase : term.exclude) out += "    " + phrase + "\n";
    std::vector<Row> rows;
    for (const auto& child : term.children) TreeRows(child, 1, rows);
    out += "  sub-themes (" + std::to_string(term.children.size()) + ")\n";
    out += Table({{"", rows}});
  }
}

}  // namespace

std::string FormatList(const Taxonomy& taxonomy) {
  std::vector<std::pair<std::string, std::vector<Row>>> sections;
  for (const auto& [title, terms] :
       {std::pair<const char*, const std::vector<Term>*>{"axes", &taxonomy.axes},
        {"provinces", &taxonomy.provinces},
        {"types", &taxonomy.types}}) {
    std::vector<Row> rows;
    for (const auto& term : *terms) TreeRows(term, 0, rows);
    sections.push_back({title, rows});
  }
  return Table(sections) + Count(taxonomy.synonyms.size(), "synonym set", "synonym sets") + ", " +
         Count(taxonomy.norms.size(), "curated norm", "curated norms") + ", " +
         Count(taxonomy.history.size(), "edit", "edits") + " in the history\n";
}

std::string FormatTerm(const Taxonomy& taxonomy, const std::string& id) {
  std::string out;
  TermDetails(taxonomy, *taxonomy.Find(id), out);
  return out;
}

std::string FormatHistory(const Taxonomy& taxonomy) {
  if (taxonomy.history.empty()) return "no edits recorded\n";
  size_t who_width = 0;
  for (const auto& entry : taxonomy.history) who_width = std::max(who_width, Width(entry.who));
  std::string out;
  for (const auto& entry : taxonomy.history) {
    out += entry.when + "  " + Pad(entry.who, who_width) + "  " + entry.what + "\n";
  }
  return out;
}

std::string FormatTags(const TaggedDocument& doc, const Taxonomy& taxonomy) {
  std::string out;
  FormatOne(doc, taxonomy, out);
  return out;
}

std::string TagsToJson(const TaggedDocument& doc, const Taxonomy& taxonomy) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  WriteDocument(w, doc, taxonomy);
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace correlare::taxonomy::cli
