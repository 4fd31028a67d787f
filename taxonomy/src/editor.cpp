#include "taxonomy/editor.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <set>

#include "taxonomy/text_keys.h"

namespace correlare::taxonomy {
namespace {

Status Invalid(const std::string& message) { return Status(StatusCode::kInvalidArgument, message); }

Status UnknownTerm(const std::string& id) {
  return Status(StatusCode::kNotFound, "unknown term '" + id + "'");
}

// Runs `change` on a copy and keeps the copy only when the change and Validate() agree.
Status Transaction(Taxonomy& taxonomy, const std::function<Status(Taxonomy&)>& change) {
  Taxonomy copy = taxonomy;
  Status status = change(copy);
  if (!status.ok()) return status;
  status = copy.Validate();
  if (!status.ok()) return status;
  taxonomy = std::move(copy);
  return Status::Ok();
}

// Trimmed, with every run of whitespace made one space.
std::string Tidy(const std::string& text) {
  std::string out;
  bool space = false;
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

// What the tagger matches of a phrase: its folded, stemmed words.
std::string PhraseKey(const std::string& text) {
  std::string key;
  for (const auto& word : PhraseKeys(text)) key += (key.empty() ? "" : " ") + word;
  return key;
}

// Synonyms work at query time, before stemming: compare them folded only.
std::string SynonymKey(const std::string& text) { return FoldWord(Tidy(text)); }

bool WellFormedId(const std::string& id) {
  if (id.empty() || id.size() > 64 || id.front() == '-' || id.back() == '-') return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

std::string KindPhrase(const std::string& kind) {
  if (kind == "axis") return "an axis";
  if (kind == "subtheme") return "a sub-theme";
  if (kind == "province") return "a province";
  if (kind == "type") return "a document type";
  return "unknown";
}

// Checks that `id` names an axis or a sub-theme, the only terms that take sub-themes.
Status RequireThemeParent(const Taxonomy& taxonomy, const std::string& id) {
  std::string kind = taxonomy.KindOf(id);
  if (kind.empty()) return UnknownTerm(id);
  if (kind != "axis" && kind != "subtheme") {
    return Invalid("sub-themes go under an axis or a sub-theme; '" + id + "' is " +
                   KindPhrase(kind));
  }
  return Status::Ok();
}

// True when `id` is `ancestor` or one of its sub-themes, at any depth.
bool IsWithin(const Taxonomy& taxonomy, const std::string& ancestor, const std::string& id) {
  for (std::string at = id; !at.empty(); at = taxonomy.ParentOf(at)) {
    if (at == ancestor) return true;
  }
  return false;
}

// Takes the sub-theme `id` out of its parent's children. REQUIRES: `id` is a sub-theme.
Term Detach(Taxonomy& taxonomy, const std::string& id) {
  Term* parent = taxonomy.FindMutable(taxonomy.ParentOf(id));
  auto it = std::find_if(parent->children.begin(), parent->children.end(),
                         [&](const Term& t) { return t.id == id; });
  Term detached = std::move(*it);
  parent->children.erase(it);
  return detached;
}

const Phrase* FindPhrase(const Term& term, const std::string& key) {
  for (const auto& phrase : term.phrases) {
    if (PhraseKey(phrase.text) == key) return &phrase;
  }
  return nullptr;
}

const std::string* FindExclusion(const Term& term, const std::string& key) {
  for (const auto& phrase : term.exclude) {
    if (PhraseKey(phrase) == key) return &phrase;
  }
  return nullptr;
}

// A phrase as the user typed it, tidied, with its key; fails when it has no words.
Status ReadPhrase(const std::string& text, std::string& tidy, std::string& key) {
  tidy = Tidy(text);
  key = PhraseKey(tidy);
  if (key.empty()) return Invalid("the phrase \"" + text + "\" has no words");
  return Status::Ok();
}

}  // namespace

Status AddTerm(Taxonomy& taxonomy, const std::string& parent_id, const std::string& id,
               const std::string& label, const std::string& label_en) {
  return Transaction(taxonomy, [&](Taxonomy& t) {
    Status parent = RequireThemeParent(t, parent_id);
    if (!parent.ok()) return parent;
    if (!WellFormedId(id)) {
      return Invalid("id '" + id + "' must be lowercase letters, digits and hyphens (at most 64)");
    }
    if (std::string kind = t.KindOf(id); !kind.empty()) {
      return Invalid("id '" + id + "' is already used by " + KindPhrase(kind));
    }
    Term term;
    term.id = id;
    term.label = Tidy(label);
    term.label_en = Tidy(label_en);
    if (term.label.empty()) return Invalid("the label of '" + id + "' is empty");
    t.FindMutable(parent_id)->children.push_back(std::move(term));
    return Status::Ok();
  });
}

Status Rename(Taxonomy& taxonomy, const std::string& id, const std::string& label) {
  return Transaction(taxonomy, [&](Taxonomy& t) {
    Term* term = t.FindMutable(id);
    if (term == nullptr) return UnknownTerm(id);
    std::string tidy = Tidy(label);
    if (tidy.empty()) return Invalid("the new label of '" + id + "' is empty");
    if (tidy == term->label) return Invalid("'" + id + "' is already labelled \"" + tidy + "\"");
    term->label = tidy;
    return Status::Ok();
  });
}

Status AddPhrase(Taxonomy& taxonomy, const std::string& id, const std::string& text,
                 double weight) {
  return Transaction(taxonomy, [&](Taxonomy& t) {
    Term* term = t.FindMutable(id);
    if (term == nullptr) return UnknownTerm(id);
    std::string tidy, key;
    Status read = ReadPhrase(text, tidy, key);
    if (!read.ok()) return read;
    if (!(weight > 0 && weight <= 100)) {
      return Invalid("the weight of a phrase must be more than 0 and at most 100");
    }
    if (const Phrase* same = FindPhrase(*term, key)) {
      return Invalid("'" + id + "' already has the phrase \"" + same->text + "\"");
    }
    if (const std::string* excluded = FindExclusion(*term, key)) {
      return Invalid("'" + id + "' excludes the phrase \"" + *excluded + "\"");
    }
    term->phrases.push_back({tidy, weight});
    return Status::Ok();
  });
}

Status RemovePhrase(Taxonomy& taxonomy, const std::string& id, const std::string& text) {
  return Transaction(taxonomy, [&](Taxonomy& t) {
    Term* term = t.FindMutable(id);
    if (term == nullptr) return UnknownTerm(id);
    std::string tidy, key;
    Status read = ReadPhrase(text, tidy, key);
    if (!read.ok()) return read;
    auto it = std::find_if(term->phrases.begin(), term->phrases.end(),
                           [&](const Phrase& p) { return PhraseKey(p.text) == key; });
    if (it == term->phrases.end()) return Invalid("'" + id + "' has no phrase \"" + tidy + "\"");
    term->phrases.erase(it);
    return Status::Ok();
  });
}

Status ExcludePhrase(Taxonomy& taxonomy, const std::string& id, const std::string& text) {
  return Transaction(taxonomy, [&](Taxonomy& t) {
    std::string kind = t.KindOf(id);
    if (kind.empty()) return UnknownTerm(id);
    if (kind != "axis" && kind != "subtheme") {
      return Invalid("only axes and sub-themes have excluded phrases; '" + id + "' is " +
                     KindPhrase(kind));
    }
    Term* term = t.FindMutable(id);
    std::string tidy, key;
    Status read = ReadPhrase(text, tidy, key);
    if (!read.ok()) return read;
    if (const std::string* same = FindExclusion(*term, key)) {
      return Invalid("'" + id + "' already excludes \"" + *same + "\"");
    }
    if (const Phrase* phrase = FindPhrase(*term, key)) {
      return Invalid("\"" + phrase->text + "\" is a phrase of '" + id +
                     "'; remove the phrase instead of excluding it");
    }
    term->exclude.push_back(tidy);
    return Status::Ok();
  });
}

Status AddSynonyms(Taxonomy& taxonomy, const std::vector<std::string>& entries) {
  return Transaction(taxonomy, [&](Taxonomy& t) {
    std::vector<std::string> wanted;
    std::set<std::string> wanted_keys;
    for (const auto& entry : entries) {
      std::string tidy = Tidy(entry);
      if (PhraseKeys(tidy).empty()) return Invalid("the synonym \"" + entry + "\" has no words");
      if (wanted_keys.insert(SynonymKey(tidy)).second) wanted.push_back(tidy);
    }
    if (wanted.size() < 2) return Invalid("synonyms need at least two different entries");

    // Every set sharing an entry with `wanted` joins the first of them.
    std::vector<size_t> sharing;
    for (size_t i = 0; i < t.synonyms.size(); ++i) {
      if (std::any_of(t.synonyms[i].begin(), t.synonyms[i].end(),
                      [&](const std::string& s) { return wanted_keys.count(SynonymKey(s)); })) {
        sharing.push_back(i);
      }
    }
    if (sharing.empty()) {
      t.synonyms.push_back(wanted);
      return Status::Ok();
    }
    std::vector<std::string>& merged = t.synonyms[sharing.front()];
    std::set<std::string> keys;
    for (const auto& s : merged) keys.insert(SynonymKey(s));
    size_t added = 0;
    for (size_t k = 1; k < sharing.size(); ++k) {
      for (const auto& s : t.synonyms[sharing[k]]) {
        if (keys.insert(SynonymKey(s)).second) merged.push_back(s);
      }
    }
    for (const auto& s : wanted) {
      if (keys.insert(SynonymKey(s)).second) {
        merged.push_back(s);
        ++added;
      }
    }
    if (added == 0 && sharing.size() == 1) return Invalid("these entries are already synonyms");
    for (size_t k = sharing.size(); k-- > 1;) {
      t.synonyms.erase(t.synonyms.begin() + static_cast<std::ptrdiff_t>(sharing[k]));
    }
    return Status::Ok();
  });
}

Status Merge(Taxonomy& taxonomy, const std::string& from, const std::string& into) {
  return Transaction(taxonomy, [&](Taxonomy& t) {
    std::string kind = t.KindOf(from);
    if (kind.empty()) return UnknownTerm(from);
    if (kind != "subtheme") {
      return Invalid("only sub-themes can be merged away; '" + from + "' is " + KindPhrase(kind) +
                     " of the SPEC");
    }
    Status target = RequireThemeParent(t, into);
    if (!target.ok()) return target;
    if (from == into) return Invalid("cannot merge '" + from + "' into itself");
    if (IsWithin(t, from, into)) {
      return Invalid("cannot merge '" + from + "' into its own sub-theme '" + into + "'");
    }
    Term source = Detach(t, from);
    Term* dest = t.FindMutable(into);
    for (auto& phrase : source.phrases) {
      if (FindPhrase(*dest, PhraseKey(phrase.text)) == nullptr) dest->phrases.push_back(phrase);
    }
    for (auto& pattern : source.patterns) {
      bool known = std::any_of(dest->patterns.begin(), dest->patterns.end(),
                               [&](const Pattern& p) { return p.regex == pattern.regex; });
      if (!known) dest->patterns.push_back(pattern);
    }
    for (auto& phrase : source.exclude) {
      if (FindExclusion(*dest, PhraseKey(phrase)) == nullptr) dest->exclude.push_back(phrase);
    }
    for (auto& child : source.children) dest->children.push_back(std::move(child));
    return Status::Ok();
  });
}

Status Move(Taxonomy& taxonomy, const std::string& id, const std::string& new_parent) {
  return Transaction(taxonomy, [&](Taxonomy& t) {
    std::string kind = t.KindOf(id);
    if (kind.empty()) return UnknownTerm(id);
    if (kind != "subtheme") {
      return Invalid("only sub-themes can move; '" + id + "' is " + KindPhrase(kind));
    }
    Status parent = RequireThemeParent(t, new_parent);
    if (!parent.ok()) return parent;
    if (IsWithin(t, id, new_parent)) {
      return Invalid("cannot move '" + id + "' under " +
                     (id == new_parent ? "itself" : "its own sub-theme '" + new_parent + "'"));
    }
    if (t.ParentOf(id) == new_parent) {
      return Invalid("'" + id + "' is already under '" + new_parent + "'");
    }
    Term moved = Detach(t, id);
    t.FindMutable(new_parent)->children.push_back(std::move(moved));
    return Status::Ok();
  });
}

std::string UtcTimestamp() {
  std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char buffer[32];
  std::strftime(buffer, sizeof(buffer), "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buffer;
}

Status EditTaxonomyFile(const std::string& path, const std::string& who, const std::string& what,
                        const std::function<Status(Taxonomy&)>& edit) {
  // The lock lives beside the file, not on it: Save() replaces the file by rename, and a
  // lock on the replaced inode would protect nothing.
  std::string lock_path = path + ".lock";
  int fd = open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    return Status(StatusCode::kIoError,
                  "cannot open the lock file '" + lock_path + "': " + std::strerror(errno));
  }
  struct Closer {
    int fd;
    ~Closer() { close(fd); }  // also releases the lock
  } closer{fd};
  while (flock(fd, LOCK_EX) != 0) {
    if (errno != EINTR) {
      return Status(StatusCode::kIoError,
                    "cannot lock '" + lock_path + "': " + std::strerror(errno));
    }
  }
  Result<Taxonomy> loaded = Taxonomy::Load(path);
  if (!loaded.ok()) return loaded.status();
  Taxonomy& taxonomy = loaded.value();
  Status status = edit(taxonomy);
  if (!status.ok()) return status;
  taxonomy.history.push_back({UtcTimestamp(), who, what});
  return taxonomy.Save(path);
}

}  // namespace correlare::taxonomy
