#include "taxonomy/taxonomy.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>
#include <re2/re2.h>

#include "taxonomy/text_keys.h"
#include "taxonomy/vocabulary.h"

namespace correlare::taxonomy {
namespace {

using rapidjson::Value;

// Where in the file a problem is, for messages: "taxonomy.json: axes[2].phrases[4]".
struct Cursor {
  std::string origin;
  std::string path;
  Cursor At(const std::string& child) const { return {origin, path + child}; }
  Status Error(const std::string& what) const {
    return Status(StatusCode::kInvalidArgument,
                  origin + ": " + (path.empty() ? "" : path + ": ") + what);
  }
};

Result<std::string> ReadString(const Value& object, const char* key, const Cursor& at,
                               bool required) {
  auto it = object.FindMember(key);
  if (it == object.MemberEnd()) {
    if (required) return at.Error(std::string("missing \"") + key + "\"");
    return std::string();
  }
  if (!it->value.IsString()) return at.Error(std::string("\"") + key + "\" must be a string");
  return std::string(it->value.GetString(), it->value.GetStringLength());
}

Result<double> ReadNumber(const Value& object, const char* key, double fallback, const Cursor& at) {
  auto it = object.FindMember(key);
  if (it == object.MemberEnd()) return fallback;
  if (!it->value.IsNumber()) return at.Error(std::string("\"") + key + "\" must be a number");
  return it->value.GetDouble();
}

// Reads an optional array member, calling `each` per element; fails on a non-array.
Status ForEach(const Value& object, const char* key, const Cursor& at,
               const std::function<Status(const Value&, const Cursor&)>& each) {
  auto it = object.FindMember(key);
  if (it == object.MemberEnd()) return Status::Ok();
  if (!it->value.IsArray()) return at.Error(std::string("\"") + key + "\" must be an array");
  rapidjson::SizeType i = 0;
  for (const auto& element : it->value.GetArray()) {
    Status status = each(element, at.At(std::string(".") + key + "[" + std::to_string(i++) + "]"));
    if (!status.ok()) return status;
  }
  return Status::Ok();
}

Status ReadTerm(const Value& v, const Cursor& at, bool allow_children, Term& term) {
  if (!v.IsObject()) return at.Error("must be an object");
  auto id = ReadString(v, "id", at, true);
  auto label = ReadString(v, "label", at, true);
  auto label_en = ReadString(v, "label_en", at, false);
  auto sigla = ReadString(v, "sigla", at, false);
  for (const auto* r : {&id, &label, &label_en, &sigla}) {
    if (!r->ok()) return r->status();
  }
  term.id = id.value();
  term.label = label.value();
  term.label_en = label_en.value();
  term.sigla = sigla.value();
  Status status = ForEach(v, "phrases", at, [&](const Value& p, const Cursor& c) {
    Phrase phrase;
    if (p.IsString()) {
      phrase.text = p.GetString();
    } else if (p.IsObject()) {
      auto text = ReadString(p, "text", c, true);
      auto weight = ReadNumber(p, "weight", 1.0, c);
      if (!text.ok()) return text.status();
      if (!weight.ok()) return weight.status();
      phrase.text = text.value();
      phrase.weight = weight.value();
    } else {
      return c.Error("a phrase is a string or {\"text\", \"weight\"}");
    }
    term.phrases.push_back(std::move(phrase));
    return Status::Ok();
  });
  if (!status.ok()) return status;
  status = ForEach(v, "patterns", at, [&](const Value& p, const Cursor& c) {
    if (!p.IsObject()) return c.Error("a pattern is {\"regex\", \"weight\"}");
    auto regex = ReadString(p, "regex", c, true);
    auto weight = ReadNumber(p, "weight", 1.0, c);
    auto note = ReadString(p, "note", c, false);
    if (!regex.ok()) return regex.status();
    if (!weight.ok()) return weight.status();
    if (!note.ok()) return note.status();
    term.patterns.push_back({regex.value(), weight.value(), note.value()});
    return Status::Ok();
  });
  if (!status.ok()) return status;
  status = ForEach(v, "exclude", at, [&](const Value& p, const Cursor& c) {
    if (!p.IsString()) return c.Error("an excluded phrase is a string");
    term.exclude.emplace_back(p.GetString(), p.GetStringLength());
    return Status::Ok();
  });
  if (!status.ok()) return status;
  if (!allow_children && v.HasMember("children")) return at.Error("this term cannot have children");
  return ForEach(v, "children", at, [&](const Value& child, const Cursor& c) {
    Term sub;
    Status read = ReadTerm(child, c, true, sub);
    if (read.ok()) term.children.push_back(std::move(sub));
    return read;
  });
}

std::pair<int, int> LineAndColumn(std::string_view text, size_t offset) {
  int line = 1;
  int column = 1;
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return {line, column};
}

// Two phrases are the same when they match the same words.
std::string FoldWordsForDuplicates(const std::string& phrase) {
  std::string key;
  for (const auto& word : PhraseKeys(phrase)) key += word + " ";
  return key;
}

bool WellFormedId(const std::string& id) {
  if (id.empty() || id.size() > 64 || id.front() == '-' || id.back() == '-') return false;
  for (char c : id) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return true;
}

template <typename Writer>
void WriteTerm(Writer& w, const Term& term, bool with_children) {
  w.StartObject();
  w.Key("id");
  w.String(term.id.c_str());
  if (!term.sigla.empty()) {
    w.Key("sigla");
    w.String(term.sigla.c_str());
  }
  w.Key("label");
  w.String(term.label.c_str());
  w.Key("label_en");
  w.String(term.label_en.c_str());
  w.Key("phrases");
  w.StartArray();
  for (const auto& phrase : term.phrases) {
    w.StartObject();
    w.Key("text");
    w.String(phrase.text.c_str());
    w.Key("weight");
    if (phrase.weight == static_cast<int>(phrase.weight)) {
      w.Int(static_cast<int>(phrase.weight));
    } else {
      w.Double(phrase.weight);
    }
    w.EndObject();
  }
  w.EndArray();
  if (with_children) {
    w.Key("patterns");
    w.StartArray();
    for (const auto& pattern : term.patterns) {
      w.StartObject();
      w.Key("regex");
      w.String(pattern.regex.c_str());
      w.Key("weight");
      w.Double(pattern.weight);
      if (!pattern.note.empty()) {
        w.Key("note");
        w.String(pattern.note.c_str());
      }
      w.EndObject();
    }
    w.EndArray();
    w.Key("exclude");
    w.StartArray();
    for (const auto& phrase : term.exclude) w.String(phrase.c_str());
    w.EndArray();
    w.Key("children");
    w.StartArray();
    for (const auto& child : term.children) WriteTerm(w, child, true);
    w.EndArray();
  }
  w.EndObject();
}

const Term* FindIn(const std::vector<Term>& terms, std::string_view id) {
  for (const auto& term : terms) {
    if (term.id == id) return &term;
    if (const Term* found = FindIn(term.children, id)) return found;
  }
  return nullptr;
}

// The chain of ids from an axis down to `id`, or empty.
bool PathTo(const std::vector<Term>& terms, std::string_view id, std::vector<std::string>& path) {
  for (const auto& term : terms) {
    path.push_back(term.id);
    if (term.id == id || PathTo(term.children, id, path)) return true;
    path.pop_back();
  }
  return false;
}

}  // namespace

Result<Taxonomy> Taxonomy::Load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status(StatusCode::kNotFound, "cannot read taxonomy file '" + path + "'");
  std::stringstream bytes;
  bytes << in.rdbuf();
  return Parse(bytes.str(), path);
}

Result<Taxonomy> Taxonomy::Parse(std::string_view json, const std::string& origin) {
  rapidjson::Document doc;
  doc.Parse(json.data(), json.size());
  if (doc.HasParseError()) {
    auto [line, column] = LineAndColumn(json, doc.GetErrorOffset());
    return Status(StatusCode::kInvalidArgument,
                  origin + ":" + std::to_string(line) + ":" + std::to_string(column) +
                      ": invalid JSON: " + rapidjson::GetParseError_En(doc.GetParseError()));
  }
  Cursor at{origin, ""};
  if (!doc.IsObject()) return at.Error("the file must hold a JSON object");
  Taxonomy taxonomy;
  if (auto it = doc.FindMember("settings"); it != doc.MemberEnd()) {
    if (!it->value.IsObject()) return at.Error("\"settings\" must be an object");
    Cursor s = at.At("settings");
    auto threshold = ReadNumber(it->value, "axis_threshold", taxonomy.settings.axis_threshold, s);
    auto title = ReadNumber(it->value, "title_weight", taxonomy.settings.title_weight, s);
    auto heading = ReadNumber(it->value, "heading_weight", taxonomy.settings.heading_weight, s);
    auto cut = ReadNumber(it->value, "axis_relative_cut", taxonomy.settings.axis_relative_cut, s);
    for (const auto* r : {&threshold, &title, &heading, &cut}) {
      if (!r->ok()) return r->status();
    }
    taxonomy.settings.axis_threshold = threshold.value();
    taxonomy.settings.axis_relative_cut = cut.value();
    taxonomy.settings.title_weight = title.value();
    taxonomy.settings.heading_weight = heading.value();
  }
  auto read_terms = [&](const char* key, bool children, std::vector<Term>& into) {
    return ForEach(doc, key, at, [&](const Value& v, const Cursor& c) {
      Term term;
      Status status = ReadTerm(v, c, children, term);
      if (status.ok()) into.push_back(std::move(term));
      return status;
    });
  };
  for (Status status : {read_terms("axes", true, taxonomy.axes),
                        read_terms("provinces", false, taxonomy.provinces),
                        read_terms("types", false, taxonomy.types)}) {
    if (!status.ok()) return status;
  }
  Status status = ForEach(doc, "synonyms", at, [&](const Value& v, const Cursor& c) {
    if (!v.IsArray()) return c.Error("a synonym set is an array of strings");
    std::vector<std::string> set;
    for (const auto& word : v.GetArray()) {
      if (!word.IsString()) return c.Error("a synonym set is an array of strings");
      set.emplace_back(word.GetString(), word.GetStringLength());
    }
    taxonomy.synonyms.push_back(std::move(set));
    return Status::Ok();
  });
  if (!status.ok()) return status;
  status = ForEach(doc, "norms", at, [&](const Value& v, const Cursor& c) {
    if (!v.IsObject()) return c.Error("a norm is an object");
    auto id = ReadString(v, "id", c, true);
    auto label = ReadString(v, "label", c, true);
    auto title = ReadString(v, "title", c, false);
    for (const auto* r : {&id, &label, &title}) {
      if (!r->ok()) return r->status();
    }
    NormEntry norm{id.value(), label.value(), title.value(), {}};
    Status names = ForEach(v, "names", c, [&](const Value& name, const Cursor& nc) {
      if (!name.IsString()) return nc.Error("a name is a string");
      norm.names.emplace_back(name.GetString(), name.GetStringLength());
      return Status::Ok();
    });
    if (!names.ok()) return names;
    taxonomy.norms.push_back(std::move(norm));
    return Status::Ok();
  });
  if (!status.ok()) return status;
  status = ForEach(doc, "history", at, [&](const Value& v, const Cursor& c) {
    if (!v.IsObject()) return c.Error("a history entry is an object");
    auto when = ReadString(v, "when", c, false);
    auto who = ReadString(v, "who", c, false);
    auto what = ReadString(v, "what", c, false);
    for (const auto* r : {&when, &who, &what}) {
      if (!r->ok()) return r->status();
    }
    taxonomy.history.push_back({when.value(), who.value(), what.value()});
    return Status::Ok();
  });
  if (!status.ok()) return status;
  Status valid = taxonomy.Validate();
  if (!valid.ok()) return Status(valid.code(), origin + ": " + valid.message());
  return taxonomy;
}

Status Taxonomy::Validate() const {
  std::set<std::string> ids;
  Status problem;
  std::function<void(const Term&, const std::string&)> check = [&](const Term& term,
                                                                   const std::string& kind) {
    if (!problem.ok()) return;
    if (!WellFormedId(term.id)) {
      problem = Status(StatusCode::kInvalidArgument,
                       kind + " id '" + term.id + "' must be lowercase letters, digits and hyphens");
      return;
    }
    if (!ids.insert(term.id).second) {
      problem = Status(StatusCode::kInvalidArgument, "id '" + term.id + "' is used twice");
      return;
    }
    if (term.label.empty()) {
      problem = Status(StatusCode::kInvalidArgument, "term '" + term.id + "' has an empty label");
      return;
    }
    std::set<std::string> seen;
    for (const auto& phrase : term.phrases) {
      std::string key = FoldWordsForDuplicates(phrase.text);
      if (key.empty()) {
        problem = Status(StatusCode::kInvalidArgument,
                         "term '" + term.id + "' has an empty phrase");
        return;
      }
      if (!seen.insert(key).second) {
        problem = Status(StatusCode::kInvalidArgument,
                         "term '" + term.id + "' has the phrase \"" + phrase.text + "\" twice");
        return;
      }
      if (phrase.weight <= 0 || phrase.weight > 100) {
        problem = Status(StatusCode::kInvalidArgument, "term '" + term.id + "': the weight of \"" +
                                                           phrase.text + "\" must be in (0, 100]");
        return;
      }
    }
    for (const auto& pattern : term.patterns) {
      RE2 compiled("(?i)" + pattern.regex, RE2::Quiet);
      if (!compiled.ok()) {
        problem = Status(StatusCode::kInvalidArgument, "term '" + term.id + "': pattern /" +
                                                           pattern.regex +
                                                           "/ does not compile: " + compiled.error());
        return;
      }
    }
    for (const auto& child : term.children) check(child, "sub-theme");
  };
  for (const auto& axis : axes) check(axis, "axis");
  for (const auto& province : provinces) check(province, "province");
  for (const auto& type : types) check(type, "type");
  if (!problem.ok()) return problem;

  for (const auto& axis : Axes()) {
    const Term* found = FindIn(axes, axis.id);
    if (found == nullptr || std::find_if(axes.begin(), axes.end(), [&](const Term& t) {
                              return t.id == axis.id;
                            }) == axes.end()) {
      return Status(StatusCode::kInvalidArgument,
                    "the axis '" + std::string(axis.id) + "' is missing (SPEC identifiers are fixed)");
    }
  }
  if (axes.size() != Axes().size()) {
    return Status(StatusCode::kInvalidArgument, "only the six SPEC axes may stand at top level");
  }
  for (const auto& province : Provinces()) {
    if (FindIn(provinces, province.id) == nullptr) {
      return Status(StatusCode::kInvalidArgument,
                    "the province '" + std::string(province.id) + "' is missing");
    }
  }
  for (const auto& type : DocumentTypes()) {
    if (FindIn(types, type.id) == nullptr) {
      return Status(StatusCode::kInvalidArgument,
                    "the document type '" + std::string(type.id) + "' is missing");
    }
  }
  std::set<std::string> norm_ids;
  for (const auto& norm : norms) {
    if (!WellFormedId(norm.id) || !norm_ids.insert(norm.id).second) {
      return Status(StatusCode::kInvalidArgument,
                    "norm id '" + norm.id + "' is malformed or used twice");
    }
  }
  for (const auto& set : synonyms) {
    if (set.size() < 2) {
      return Status(StatusCode::kInvalidArgument, "a synonym set needs at least two entries");
    }
  }
  return Status::Ok();
}

std::string Taxonomy::ToJson() const {
  rapidjson::StringBuffer buffer;
  rapidjson::PrettyWriter<rapidjson::StringBuffer> w(buffer);
  w.SetIndent(' ', 2);
  w.StartObject();
  w.Key("version");
  w.Int(1);
  w.Key("settings");
  w.StartObject();
  w.Key("axis_threshold");
  w.Double(settings.axis_threshold);
  w.Key("axis_relative_cut");
  w.Double(settings.axis_relative_cut);
  w.Key("title_weight");
  w.Double(settings.title_weight);
  w.Key("heading_weight");
  w.Double(settings.heading_weight);
  w.EndObject();
  w.Key("axes");
  w.StartArray();
  for (const auto& axis : axes) WriteTerm(w, axis, true);
  w.EndArray();
  w.Key("provinces");
  w.StartArray();
  for (const auto& province : provinces) WriteTerm(w, province, false);
  w.EndArray();
  w.Key("types");
  w.StartArray();
  for (const auto& type : types) WriteTerm(w, type, false);
  w.EndArray();
  w.Key("synonyms");
  w.StartArray();
  for (const auto& set : synonyms) {
    w.SetFormatOptions(rapidjson::kFormatSingleLineArray);
    w.StartArray();
    for (const auto& word : set) w.String(word.c_str());
    w.EndArray();
    w.SetFormatOptions(rapidjson::kFormatDefault);
  }
  w.EndArray();
  w.Key("norms");
  w.StartArray();
  for (const auto& norm : norms) {
    w.StartObject();
    w.Key("id");
    w.String(norm.id.c_str());
    w.Key("label");
    w.String(norm.label.c_str());
    w.Key("title");
    w.String(norm.title.c_str());
    w.Key("names");
    w.SetFormatOptions(rapidjson::kFormatSingleLineArray);
    w.StartArray();
    for (const auto& name : norm.names) w.String(name.c_str());
    w.EndArray();
    w.SetFormatOptions(rapidjson::kFormatDefault);
    w.EndObject();
  }
  w.EndArray();
  w.Key("history");
  w.StartArray();
  for (const auto& entry : history) {
    w.StartObject();
    w.Key("when");
    w.String(entry.when.c_str());
    w.Key("who");
    w.String(entry.who.c_str());
    w.Key("what");
    w.String(entry.what.c_str());
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize()) + "\n";
}

Status Taxonomy::Save(const std::string& path) const {
  Status valid = Validate();
  if (!valid.ok()) return valid;
  std::string json = ToJson();
  std::string temp = path + ".tmp." + std::to_string(getpid());
  int fd = open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    return Status(StatusCode::kIoError, "cannot write '" + temp + "': " + std::strerror(errno));
  }
  size_t written = 0;
  while (written < json.size()) {
    ssize_t n = write(fd, json.data() + written, json.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      std::string reason = std::strerror(errno);
      close(fd);
      unlink(temp.c_str());
      return Status(StatusCode::kIoError, "cannot write '" + temp + "': " + reason);
    }
    written += static_cast<size_t>(n);
  }
  if (fsync(fd) != 0 || close(fd) != 0) {
    unlink(temp.c_str());
    return Status(StatusCode::kIoError, "cannot flush '" + temp + "'");
  }
  if (rename(temp.c_str(), path.c_str()) != 0) {
    std::string reason = std::strerror(errno);
    unlink(temp.c_str());
    return Status(StatusCode::kIoError, "cannot replace '" + path + "': " + reason);
  }
  return Status::Ok();
}

const Term* Taxonomy::Find(std::string_view id) const {
  for (const auto* terms : {&axes, &provinces, &types}) {
    if (const Term* found = FindIn(*terms, id)) return found;
  }
  return nullptr;
}

Term* Taxonomy::FindMutable(std::string_view id) { return const_cast<Term*>(Find(id)); }

std::string Taxonomy::AxisOf(std::string_view id) const {
  std::vector<std::string> path;
  return PathTo(axes, id, path) ? path.front() : "";
}

std::string Taxonomy::ParentOf(std::string_view id) const {
  std::vector<std::string> path;
  return PathTo(axes, id, path) && path.size() >= 2 ? path[path.size() - 2] : "";
}

std::string Taxonomy::KindOf(std::string_view id) const {
  std::vector<std::string> path;
  if (PathTo(axes, id, path)) return path.size() == 1 ? "axis" : "subtheme";
  if (FindIn(provinces, id) != nullptr) return "province";
  if (FindIn(types, id) != nullptr) return "type";
  return "";
}

}  // namespace correlare::taxonomy
