#include "taxonomy/tagger.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <unordered_map>

#include <re2/re2.h>
#include <re2/set.h>

#include "taxonomy/text_keys.h"
#include "taxonomy/vocabulary.h"

namespace correlare::taxonomy {
namespace {

// A province needs this much evidence in the text: one "Provincia di X" (weight 3).
constexpr double kProvinceThreshold = 3.0;
// A type needs this much evidence in the text.
constexpr double kTypeThreshold = 4.0;
// Past this many matches of one phrase, more say nothing new.
constexpr int kMaxCountedMatches = 50;

enum class TermKind { kAxisOrSubtheme, kProvince, kType };

struct CompiledTerm {
  std::string id;
  TermKind kind;
  int parent = -1;  // index of the parent term (sub-themes), -1 otherwise
  std::vector<std::unique_ptr<RE2>> patterns;
  std::vector<std::string> pattern_texts;
  std::vector<double> pattern_weights;
};

struct CompiledPhrase {
  int term;
  std::vector<std::string> keys;
  double weight;
  std::string text;
  bool exclusion;  // true: a phrase that must not count for `term` (and its sub-themes)
};

struct Zone {
  const std::string* text;
  const char* name;
  double weight;
};

struct Match {
  int term;
  const CompiledPhrase* phrase;  // nullptr for a pattern match
  int pattern = -1;
  size_t zone;
};

std::string FormatCount(size_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

}  // namespace

struct Tagger::Compiled {
  TaggingSettings settings;
  std::vector<CompiledTerm> terms;
  std::unordered_map<std::string, std::vector<CompiledPhrase>> by_first_key;
  std::unique_ptr<NormRecognizer> norms;
  // Every pattern of every term in one set: one pass over a text says which patterns
  // match at all, and only those are run to count their matches.
  std::unique_ptr<RE2::Set> pattern_set;
  std::vector<std::pair<int, int>> set_entries;  // set index -> (term, pattern)

  void CompilePatternSet() {
    RE2::Options options;
    options.set_case_sensitive(false);
    options.set_log_errors(false);
    pattern_set = std::make_unique<RE2::Set>(options, RE2::UNANCHORED);
    for (size_t t = 0; t < terms.size(); ++t) {
      for (size_t p = 0; p < terms[t].pattern_texts.size(); ++p) {
        if (pattern_set->Add(terms[t].pattern_texts[p], nullptr) >= 0) {
          set_entries.emplace_back(static_cast<int>(t), static_cast<int>(p));
        }
      }
    }
    if (!pattern_set->Compile()) {
      pattern_set.reset();
      set_entries.clear();
    }
  }

  int AddTerm(const Term& term, TermKind kind, int parent) {
    int index = static_cast<int>(terms.size());
    CompiledTerm compiled{term.id, kind, parent, {}, {}, {}};
    for (const auto& pattern : term.patterns) {
      RE2::Options options;
      options.set_case_sensitive(false);
      options.set_log_errors(false);
      auto regex = std::make_unique<RE2>(pattern.regex, options);
      if (!regex->ok()) continue;  // Validate() refuses such a file; be safe anyway
      compiled.patterns.push_back(std::move(regex));
      compiled.pattern_texts.push_back(pattern.regex);
      compiled.pattern_weights.push_back(pattern.weight);
    }
    terms.push_back(std::move(compiled));
    for (const auto& phrase : term.phrases) AddPhrase(index, phrase.text, phrase.weight, false);
    for (const auto& phrase : term.exclude) AddPhrase(index, phrase, 0, true);
    for (const auto& child : term.children) AddTerm(child, kind, index);
    return index;
  }

  void AddPhrase(int term, const std::string& text, double weight, bool exclusion) {
    std::vector<std::string> keys = PhraseKeys(text);
    if (keys.empty()) return;
    by_first_key[keys.front()].push_back({term, keys, weight, text, exclusion});
  }

  bool IsSameOrAncestor(int maybe_ancestor, int term) const {
    for (int t = term; t >= 0; t = terms[t].parent) {
      if (t == maybe_ancestor) return true;
    }
    return false;
  }

  int AxisOf(int term) const {
    while (terms[term].parent >= 0) term = terms[term].parent;
    return term;
  }
};

Tagger::Tagger(const Taxonomy& taxonomy) : compiled_(std::make_unique<Compiled>()) {
  compiled_->settings = taxonomy.settings;
  for (const auto& axis : taxonomy.axes) compiled_->AddTerm(axis, TermKind::kAxisOrSubtheme, -1);
  for (const auto& province : taxonomy.provinces) {
    compiled_->AddTerm(province, TermKind::kProvince, -1);
  }
  for (const auto& type : taxonomy.types) compiled_->AddTerm(type, TermKind::kType, -1);
  compiled_->norms = std::make_unique<NormRecognizer>(taxonomy.norms);
  compiled_->CompilePatternSet();
}

Tagger::~Tagger() = default;

const NormRecognizer& Tagger::norms() const { return *compiled_->norms; }

Tags Tagger::Tag(const TagInput& input) const {
  const Compiled& c = *compiled_;
  std::vector<Zone> zones;
  zones.push_back({&input.title, "title", c.settings.title_weight});
  for (const auto& heading : input.headings) zones.push_back({&heading, "heading", c.settings.heading_weight});
  zones.push_back({&input.text, "text", 1.0});

  // 1. Phrase matches, word by word, with the spans of exclusions per term.
  std::vector<Match> matches;
  for (size_t z = 0; z < zones.size(); ++z) {
    std::vector<WordKey> words = WordKeys(*zones[z].text);
    struct Span {
      int term;
      size_t begin, end;
    };
    std::vector<Span> excluded;
    std::vector<std::pair<Span, const CompiledPhrase*>> found;
    for (size_t i = 0; i < words.size(); ++i) {
      auto it = c.by_first_key.find(words[i].key);
      if (it == c.by_first_key.end()) continue;
      for (const CompiledPhrase& phrase : it->second) {
        size_t n = phrase.keys.size();
        if (i + n > words.size()) continue;
        bool all = true;
        for (size_t k = 1; k < n && all; ++k) all = words[i + k].key == phrase.keys[k];
        if (!all) continue;
        Span span{phrase.term, i, i + n};
        if (phrase.exclusion) excluded.push_back(span);
        else found.push_back({span, &phrase});
      }
    }
    for (const auto& one : found) {
      // Not a structured binding: clang 14 cannot capture one in a lambda.
      const Span& span = one.first;
      const auto& phrase = one.second;
      bool cancelled = std::any_of(excluded.begin(), excluded.end(), [&](const Span& e) {
        return e.begin < span.end && span.begin < e.end && c.IsSameOrAncestor(e.term, span.term);
      });
      if (!cancelled) matches.push_back({span.term, phrase, -1, z});
    }
    // 2. Patterns, on the text as written: those the set says match at all.
    std::vector<std::pair<int, int>> candidates;
    if (c.pattern_set) {
      std::vector<int> hits;
      c.pattern_set->Match(*zones[z].text, &hits);
      std::sort(hits.begin(), hits.end());
      for (int hit : hits) candidates.push_back(c.set_entries[static_cast<size_t>(hit)]);
    } else {
      for (size_t t = 0; t < c.terms.size(); ++t) {
        for (size_t p = 0; p < c.terms[t].patterns.size(); ++p) {
          candidates.emplace_back(static_cast<int>(t), static_cast<int>(p));
        }
      }
    }
    for (const auto& [t, p] : candidates) {
      re2::StringPiece rest(*zones[z].text);
      int count = 0;
      while (count < kMaxCountedMatches &&
             RE2::FindAndConsume(&rest, *c.terms[static_cast<size_t>(t)].patterns[static_cast<size_t>(p)])) {
        matches.push_back({t, nullptr, p, z});
        ++count;
      }
    }
  }

  // 3. Evidence per (term, phrase or pattern, zone), scored with diminishing returns.
  struct Key {
    int term;
    std::string matched;
    std::string zone;
    bool operator<(const Key& o) const {
      return std::tie(term, matched, zone) < std::tie(o.term, o.matched, o.zone);
    }
  };
  std::map<Key, std::pair<int, double>> counts;  // -> (count, weight)
  std::map<std::string, double> zone_weight;
  for (const Zone& zone : zones) zone_weight[zone.name] = zone.weight;
  for (const Match& m : matches) {
    std::string matched = m.phrase ? m.phrase->text : "/" + c.terms[m.term].pattern_texts[m.pattern] + "/";
    double weight = m.phrase ? m.phrase->weight : c.terms[m.term].pattern_weights[m.pattern];
    auto& entry = counts[{m.term, matched, zones[m.zone].name}];
    entry.first = std::min(entry.first + 1, kMaxCountedMatches);
    entry.second = weight;
  }
  std::vector<double> own_score(c.terms.size(), 0.0);
  std::vector<std::vector<Evidence>> evidence(c.terms.size());
  for (const auto& [key, value] : counts) {
    double score = value.second * zone_weight[key.zone] *
                   (1.0 + std::log(static_cast<double>(value.first)));
    own_score[key.term] += score;
    evidence[key.term].push_back({c.terms[key.term].id, key.matched, key.zone, value.first, score});
  }
  // A term's score includes its sub-themes'.
  std::vector<double> score = own_score;
  for (size_t t = c.terms.size(); t-- > 0;) {
    if (c.terms[t].parent >= 0) score[c.terms[t].parent] += score[t];
  }
  auto by_score = [](const Evidence& a, const Evidence& b) {
    return a.score != b.score ? a.score > b.score : std::tie(a.term, a.matched) < std::tie(b.term, b.matched);
  };

  Tags tags;
  tags.lang = input.lang;

  // 4. Axes: from the sidecar when it names them, else from the evidence.
  std::vector<int> axis_terms;
  for (size_t t = 0; t < c.terms.size(); ++t) {
    if (c.terms[t].kind == TermKind::kAxisOrSubtheme && c.terms[t].parent < 0) {
      axis_terms.push_back(static_cast<int>(t));
    }
  }
  double best = 0;
  for (int a : axis_terms) best = std::max(best, score[a]);
  std::set<std::string> sidecar_axes(input.sidecar_axes.begin(), input.sidecar_axes.end());
  for (int a : axis_terms) {
    bool from_sidecar = sidecar_axes.count(c.terms[a].id) != 0;
    bool from_text = sidecar_axes.empty() && score[a] >= c.settings.axis_threshold &&
                     score[a] >= c.settings.axis_relative_cut * best;
    if (!from_sidecar && !from_text) continue;
    AxisTag tag{c.terms[a].id, score[a], from_sidecar ? "metadata" : "text", {}, {}};
    std::vector<std::pair<double, std::string>> subthemes;
    for (size_t t = 0; t < c.terms.size(); ++t) {
      if (static_cast<int>(t) == a || c.terms[t].kind != TermKind::kAxisOrSubtheme) continue;
      if (c.AxisOf(static_cast<int>(t)) != a) continue;
      for (const auto& e : evidence[t]) tag.evidence.push_back(e);
      if (score[t] >= c.settings.axis_threshold) subthemes.push_back({score[t], c.terms[t].id});
    }
    for (const auto& e : evidence[a]) tag.evidence.push_back(e);
    std::sort(tag.evidence.begin(), tag.evidence.end(), by_score);
    std::sort(subthemes.begin(), subthemes.end(),
              [](const auto& x, const auto& y) { return x.first != y.first ? x.first > y.first : x.second < y.second; });
    for (const auto& [s, id] : subthemes) tag.subthemes.push_back(id);
    tags.axes.push_back(std::move(tag));
  }
  std::sort(tags.axes.begin(), tags.axes.end(), [](const AxisTag& x, const AxisTag& y) {
    return x.score != y.score ? x.score > y.score : x.axis < y.axis;
  });

  // 5. Province: inbox folder > sidecar > mentions in the text.
  if (auto inbox = ResolveProvince(input.inbox_province); inbox && !input.inbox_province.empty()) {
    tags.province = {*inbox, "inbox", "dropped into the inbox folder of " + *inbox, {}};
  } else if (auto sidecar = ResolveProvince(input.sidecar_province);
             sidecar && !input.sidecar_province.empty()) {
    tags.province = {*sidecar, "metadata", "named by the document's .meta.json", {}};
  } else {
    int top = -1;
    int region = -1;
    for (size_t t = 0; t < c.terms.size(); ++t) {
      if (c.terms[t].kind != TermKind::kProvince) continue;
      if (c.terms[t].id == "lombardia") {
        region = static_cast<int>(t);
        continue;
      }
      if (top < 0 || score[t] > score[top]) top = static_cast<int>(t);
    }
    // Region-wide material names the region at least as much as any one province.
    if (region >= 0 && (top < 0 || score[region] >= score[top])) top = region;
    int chosen = top >= 0 && score[top] >= kProvinceThreshold ? top : -1;
    if (chosen >= 0) {
      auto e = evidence[chosen];
      std::sort(e.begin(), e.end(), by_score);
      tags.province = {c.terms[chosen].id, "text", "named in the text", e};
    }
  }

  // 6. Type: sidecar > structure > phrases > default.
  tags.norms = NormsOf(input);
  if (!input.sidecar_type.empty() && IsDocumentType(input.sidecar_type)) {
    tags.type = {input.sidecar_type, "metadata", "named by the document's .meta.json", {}};
  } else {
    tags.type = TypeFromStructure(input, tags.norms.size());
    if (tags.type.value.empty()) {
      int top = -1;
      for (size_t t = 0; t < c.terms.size(); ++t) {
        if (c.terms[t].kind == TermKind::kType && (top < 0 || score[t] > score[top])) {
          top = static_cast<int>(t);
        }
      }
      if (top >= 0 && score[top] >= kTypeThreshold) {
        auto e = evidence[top];
        std::sort(e.begin(), e.end(), by_score);
        tags.type = {c.terms[top].id, "text", "its wording", e};
      } else {
        tags.type = {"altro", "default", "nothing marks it as a handout, norm, transcript, tool, "
                                         "recommendation or slides", {}};
      }
    }
  }
  return tags;
}

std::vector<NormCitation> Tagger::NormsOf(const TagInput& input) const {
  std::vector<NormCitation> distinct;
  std::set<std::string> seen;
  for (const std::string* zone : {&input.title, &input.text}) {
    for (auto& citation : compiled_->norms->Find(*zone)) {
      if (seen.insert(citation.id).second) distinct.push_back(std::move(citation));
    }
  }
  return distinct;
}

SourcedTag Tagger::TypeFromStructure(const TagInput& input, size_t norm_citations) const {
  if (input.cue_count > 0) {
    return {"trascrizione", "structure", FormatCount(input.cue_count, "timed cue", "timed cues"), {}};
  }
  if (input.mime.find("spreadsheet") != std::string::npos || input.mime == "text/csv") {
    return {"altro", "structure", "a spreadsheet: data rather than prose", {}};
  }
  if (input.mime.find("presentation") != std::string::npos) {
    return {"presentazione", "structure",
            "a slide deck" + (input.page_count ? " of " + FormatCount(input.page_count, "slide", "slides") : std::string()),
            {}};
  }
  // Lines that open an article ("Art. 3", "Articolo 3 -") and lines that open a
  // speaker's turn ("DOCENTE:", "PARTECIPANTE 2:").
  static const RE2 kArticle(R"((?m)^\s*(?:Art\.|Articolo)\s*\d+)");
  static const RE2 kSpeaker(R"((?m)^\s*[A-ZÀ-Ü][A-ZÀ-Ü' ]{2,30}(?:\s\d+)?\s*:)");
  re2::StringPiece rest(input.text);
  size_t articles = 0;
  while (articles < 1000 && RE2::FindAndConsume(&rest, kArticle)) ++articles;
  if (articles >= 3 || (articles >= 2 && norm_citations >= 1)) {
    return {"normativa", "structure",
            FormatCount(articles, "article heading", "article headings") + ", " +
                FormatCount(norm_citations, "norm cited", "norms cited"),
            {}};
  }
  rest = re2::StringPiece(input.text);
  size_t turns = 0;
  while (turns < 1000 && RE2::FindAndConsume(&rest, kSpeaker)) ++turns;
  if (turns >= 6) {
    return {"trascrizione", "structure", FormatCount(turns, "speaker turn", "speaker turns"), {}};
  }
  // What the platform holds in other languages is material for the users of the
  // services: leaflets, forms, guides.
  if (!input.lang.empty() && input.lang != "it") {
    return {"strumento", "structure",
            "written in " + input.lang + " for the users of the services", {}};
  }
  return {};
}

}  // namespace correlare::taxonomy
