#include "taxonomy/norm_citations.h"

#include <re2/re2.h>

#include <algorithm>
#include <array>
#include <stdexcept>
#include <unordered_map>
#include <utility>

#include "norm_ids.h"
#include "norm_patterns.h"
#include "norm_text.h"

// How Find() works: three precompiled RE2 scans, each linear in the text.
//   1. Norm mentions: formal citations ("D.Lgs. 286/1998", "legge 7 aprile 2017, n. 47",
//      "Regolamento (UE) 2016/679") and the catalog's names ("legge Zampa").
//   2. Article references: "art. 22, comma 2", "artt. 4 e 5", "articolo 5-bis, lett. a)".
//   3. Attachment: a reference is joined to the mention that starts right after its
//      connector ("… del ", "… della ") or, failing that, to the mention that ends right
//      before it ("D.Lgs. 286/1998, art. 22", "D.Lgs. 286/1998 (art. 5)"). A reference
//      with neither cites nothing: "art. 3" alone is not a citation.
//
// Speed: RE2 finds a match fast with its DFA when asked for the whole match only; asked
// for groups, it runs a slower engine over all it searches, and a much slower one when the
// program is big (over 512 instructions, as the combined citation pattern is). So the big
// patterns only find spans, and small patterns read the groups of each span.

namespace correlare::taxonomy {
namespace {

using norms::NormRef;
using re2::RE2;
using re2::StringPiece;

// The fields of a formal citation, named as the groups of norm_patterns.h.
enum Field { kYc, kNc, kNb, kYb, kNa, kYa, kR1, kR2, kD0, kD1, kD2, kD3, kFieldCount };
constexpr std::array<std::string_view, kFieldCount> kFieldGroups = {
    "yc", "nc", "nb", "yb", "na", "ya", "r1", "r2", "d0", "d1", "d2", "d3"};

// Kind groups and the id kind each stands for.
constexpr std::array<std::pair<std::string_view, std::string_view>, 9> kKindGroups = {{
    {"k_dpcm", "dpcm"},
    {"k_dpr", "dpr"},
    {"k_dlgs", "dlgs"},
    {"k_dl", "dl"},
    {"k_dm", "dm"},
    {"k_lr", "lr"},
    {"k_l", "l"},
    {"k_reg", "reg-ue"},
    {"k_dir", "dir-ue"},
}};

constexpr int kMaxGroups = 24;

// One formal citation taken apart; a field the match did not set is empty.
struct FormalParts {
  std::string_view kind;
  std::array<std::string_view, kFieldCount> field;
};

// A compiled pattern with the indices of its named groups (-1: not in this pattern).
class Pattern {
 public:
  explicit Pattern(std::string_view pattern) : re_(norms::ExpandPattern(pattern), Options()) {
    if (!re_.ok()) throw std::logic_error("norm patterns: " + re_.error());
    if (re_.NumberOfCapturingGroups() + 1 > kMaxGroups) {
      throw std::logic_error("norm patterns: too many groups in " + re_.pattern());
    }
    const auto& names = re_.NamedCapturingGroups();
    auto index = [&](std::string_view name) {
      auto it = names.find(std::string(name));
      return it == names.end() ? -1 : it->second;
    };
    for (size_t i = 0; i < kFieldCount; ++i) field_[i] = index(kFieldGroups[i]);
    for (size_t i = 0; i < kKindGroups.size(); ++i) kind_[i] = index(kKindGroups[i].first);
  }

  static RE2::Options Options() {
    RE2::Options options;
    options.set_case_sensitive(false);
    options.set_log_errors(false);
    options.set_max_mem(16 << 20);  // mostly the DFA cache
    return options;
  }

  const RE2& re() const { return re_; }
  int groups() const { return re_.NumberOfCapturingGroups() + 1; }

  // Copies the named groups set in `g` (a match of this pattern) into `parts`.
  void Read(const StringPiece* g, FormalParts* parts) const {
    auto set = [&](int i) { return i >= 0 && g[i].data() != nullptr; };
    for (size_t i = 0; i < kFieldCount; ++i) {
      if (set(field_[i]))
        parts->field[i] = std::string_view(g[field_[i]].data(), g[field_[i]].size());
    }
    for (size_t i = 0; i < kKindGroups.size(); ++i) {
      if (set(kind_[i])) parts->kind = kKindGroups[i].second;
    }
  }

 private:
  RE2 re_;
  std::array<int, kFieldCount> field_{};
  std::array<int, kKindGroups.size()> kind_{};
};

StringPiece Piece(std::string_view s) { return StringPiece(s.data(), s.size()); }

size_t OffsetOf(std::string_view text, const StringPiece& piece) {
  return static_cast<size_t>(piece.data() - text.data());
}

size_t EndOf(std::string_view text, const StringPiece& piece) {
  return OffsetOf(text, piece) + piece.size();
}

// A match of `p` from `pos` with its `n` groups: the DFA finds the span, then the groups
// are read over the span alone (with the whole text as context, for \b).
bool Search(const Pattern& p, std::string_view text, size_t pos, RE2::Anchor anchor, StringPiece* g,
            int n) {
  if (!p.re().Match(Piece(text), pos, text.size(), anchor, g, 1)) return false;
  if (n <= 1) return true;
  size_t begin = OffsetOf(text, g[0]);
  return p.re().Match(Piece(text), begin, begin + g[0].size(), RE2::ANCHOR_BOTH, g, n);
}

// True when a number that ends at `end` goes on as a date or a longer number: "26/06" of
// "26/06/2023", "2" of "286": not a citation's year.
bool ContinuesAsNumber(std::string_view text, size_t end) {
  auto digit = [&](size_t i) { return i < text.size() && text[i] >= '0' && text[i] <= '9'; };
  if (end >= text.size()) return false;
  return digit(end) || ((text[end] == '/' || text[end] == '.') && digit(end + 1));
}

// The norm of a formal citation ending at `end`, or nullopt when it is not one after all
// (a date, a year out of range, number 0, a directive with no EU mark).
std::optional<NormRef> Interpret(const FormalParts& parts, std::string_view text, size_t end) {
  auto f = [&](Field field) { return parts.field[field]; };
  auto number = [](std::string_view digits) { return norms::ParseNumber(digits).value_or(0); };
  NormRef ref{parts.kind, 0, 0};
  bool valid = true;
  if (ref.kind == "reg-ue") {
    // "2016/679" (since 2015: year/number), "604/2013", "1612/68" (before: number/year).
    int year_a = f(kR1).size() == 4 ? norms::ParseYear(f(kR1)) : 0;
    int year_b = norms::ParseYear(f(kR2));
    auto eu_year = [](int y) { return y >= 1950 && y <= 2099; };
    if (eu_year(year_a) && (!eu_year(year_b) || year_a >= 2015)) {
      ref.year = year_a, ref.number = number(f(kR2));
    } else if (eu_year(year_b)) {
      ref.year = year_b, ref.number = number(f(kR1));
    }
    valid = !ContinuesAsNumber(text, end);
  } else if (ref.kind == "dir-ue") {
    // "2011/98/UE", "(UE) 2024/1346", "2011/98"; but "direttiva 12/2005" is a ministry's.
    ref.year = norms::ParseYear(f(kD1));
    ref.number = number(f(kD2));
    valid = !f(kD0).empty() || !f(kD3).empty() || f(kD1).size() == 4;
    if (f(kD3).empty()) valid = valid && !ContinuesAsNumber(text, end);
  } else if (!f(kNc).empty()) {
    ref.year = norms::ParseYear(f(kYc));
    ref.number = number(f(kNc));
    valid = !ContinuesAsNumber(text, end);
  } else if (!f(kNb).empty()) {
    ref.year = norms::ParseYear(f(kYb));
    ref.number = number(f(kNb));
  } else {
    ref.year = norms::ParseYear(f(kYa));
    ref.number = number(f(kNa));
    valid = !ContinuesAsNumber(text, end);
  }
  if (!valid || ref.kind.empty() || ref.number == 0 || ref.year == 0) return std::nullopt;
  return ref;
}

// A norm found in the text, before articles are attached.
struct Mention {
  size_t begin = 0;
  size_t end = 0;
  std::string norm_id;
  int reference = -1;  // the article reference attached to it, if any
};

// "art. 22, comma 2" or "artt. 4 e 5", and where a norm it belongs to would start.
struct ArticleReference {
  size_t begin = 0;
  size_t end = 0;
  size_t connector_end = 0;
  bool has_preposition = false;  // "… del", "… della": it belongs to what follows
  bool has_comma = false;        // "art. 38, DPR 394/1999": maybe it belongs to what precedes
  std::vector<std::string> articles;
};

}  // namespace

struct NormRecognizer::Impl {
  explicit Impl(const std::vector<NormEntry>& catalog);

  void FindFormal(std::string_view text, std::vector<Mention>* out) const;
  std::optional<FormalParts> ReadFormal(std::string_view text, size_t begin, size_t end) const;
  void FindNames(std::string_view text, std::vector<Mention>* out) const;
  std::vector<ArticleReference> FindArticleReferences(std::string_view text) const;
  std::string Label(std::string_view norm_id, std::string_view article) const;
  NormCitation Citation(std::string norm_id, std::string article, size_t begin, size_t end) const;

  const std::vector<NormEntry>& catalog;
  Pattern formal;       // every formal citation, for spans only
  Pattern decree_kind;  // the groups of a span, read in two steps…
  Pattern law_kind;
  Pattern national_tail;
  Pattern eu_act;
  Pattern article_start;
  Pattern article_item;
  Pattern article_ref;
  Pattern connector;
  Pattern gap_after;
  Pattern closing_paren;
  std::unique_ptr<RE2> names;                            // null when the catalog has no names
  std::unordered_map<std::string, size_t> by_id;         // norm id -> catalog index
  std::unordered_map<std::string, size_t> by_name_key;   // NameKey(name) -> catalog index
  std::unordered_map<std::string, size_t> by_label_key;  // NameKey(label) -> catalog index
};

NormRecognizer::Impl::Impl(const std::vector<NormEntry>& entries)
    : catalog(entries),
      formal(std::string(R"(\b(?:(?:)") + std::string(norms::kDecreeKindPattern) + "|" +
             std::string(norms::kLawKindPattern) + ")" + std::string(norms::kNationalTailPattern) +
             "|" + std::string(norms::kEuActPattern) + ")"),
      decree_kind(norms::kDecreeKindPattern),
      law_kind(norms::kLawKindPattern),
      national_tail(norms::kNationalTailPattern),
      eu_act(norms::kEuActPattern),
      article_start(norms::kArticleStartPattern),
      article_item(norms::kArticleItemPattern),
      article_ref(norms::kArticleRefPattern),
      connector(norms::kConnectorPattern),
      gap_after(norms::kGapAfterPattern),
      closing_paren(norms::kClosingParenPattern) {
  std::vector<std::string> keys;
  for (size_t i = 0; i < catalog.size(); ++i) {
    by_id.emplace(catalog[i].id, i);
    if (!catalog[i].label.empty()) by_label_key.emplace(norms::NameKey(catalog[i].label), i);
    for (const std::string& name : catalog[i].names) {
      std::string key = norms::NameKey(name);
      if (key.empty() || !by_name_key.emplace(key, i).second) continue;  // the first one wins
      keys.push_back(std::move(key));
    }
  }
  if (keys.empty()) return;
  // Longest first: at one position RE2 prefers the earlier alternative.
  std::sort(keys.begin(), keys.end(),
            [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  std::string pattern;
  for (const std::string& key : keys)
    pattern += (pattern.empty() ? "" : "|") + norms::NamePattern(key);
  names = std::make_unique<RE2>(pattern, Pattern::Options());
  if (!names->ok()) {
    throw std::invalid_argument("norm names do not compile: " + names->error());
  }
}

// Every formal citation, in text order. A match that turns out not to be a citation is
// dropped and the search goes on one byte later.
void NormRecognizer::Impl::FindFormal(std::string_view text, std::vector<Mention>* out) const {
  StringPiece match;
  size_t pos = 0;
  while (pos < text.size() &&
         formal.re().Match(Piece(text), pos, text.size(), RE2::UNANCHORED, &match, 1)) {
    size_t begin = OffsetOf(text, match);
    size_t end = EndOf(text, match);
    std::optional<FormalParts> parts = ReadFormal(text, begin, end);
    std::optional<NormRef> ref = parts ? Interpret(*parts, text, end) : std::nullopt;
    if (ref) {
      out->push_back({begin, end, norms::NormId(*ref)});
      pos = end;
    } else {
      pos = begin + 1;  // the match starts with an ASCII letter: this is a code point start
    }
  }
}

// The groups of the formal citation text[begin, end), read with the small patterns; the
// combined one, slow to read groups with, is only a safety net.
std::optional<FormalParts> NormRecognizer::Impl::ReadFormal(std::string_view text, size_t begin,
                                                            size_t end) const {
  FormalParts parts;
  StringPiece g[kMaxGroups];
  StringPiece tail[kMaxGroups];
  const StringPiece all = Piece(text);
  const Pattern& kind = text[begin] == 'l' || text[begin] == 'L' ? law_kind : decree_kind;
  if (kind.re().Match(all, begin, end, RE2::ANCHOR_START, g, kind.groups())) {
    if (national_tail.re().Match(all, EndOf(text, g[0]), end, RE2::ANCHOR_BOTH, tail,
                                 national_tail.groups())) {
      kind.Read(g, &parts);
      national_tail.Read(tail, &parts);
      return parts;
    }
  } else if (eu_act.re().Match(all, begin, end, RE2::ANCHOR_BOTH, g, eu_act.groups())) {
    eu_act.Read(g, &parts);
    return parts;
  }
  if (!formal.re().Match(all, begin, end, RE2::ANCHOR_BOTH, g, formal.groups())) {
    return std::nullopt;
  }
  formal.Read(g, &parts);
  return parts;
}

void NormRecognizer::Impl::FindNames(std::string_view text, std::vector<Mention>* out) const {
  if (!names) return;
  StringPiece match;
  size_t pos = 0;
  while (pos < text.size() &&
         names->Match(Piece(text), pos, text.size(), RE2::UNANCHORED, &match, 1)) {
    size_t begin = OffsetOf(text, match);
    size_t end = EndOf(text, match);
    size_t length = 0;
    bool whole_words =
        !norms::IsWordCodePoint(norms::DecodeBefore(text, begin)) &&
        (end == text.size() || !norms::IsWordCodePoint(norms::DecodeAt(text, end, &length)));
    auto entry = whole_words ? by_name_key.find(norms::NameKey(text.substr(begin, end - begin)))
                             : by_name_key.end();
    if (entry != by_name_key.end()) {
      out->push_back({begin, end, catalog[entry->second].id});
      pos = end;
    } else {
      norms::DecodeAt(text, begin, &length);
      pos = begin + length;
    }
  }
}

std::vector<ArticleReference> NormRecognizer::Impl::FindArticleReferences(
    std::string_view text) const {
  std::vector<ArticleReference> references;
  StringPiece g[3];
  auto article = [](const StringPiece& number, const StringPiece& suffix) {
    return norms::NormalizeArticle(std::string_view(number.data(), number.size()),
                                   std::string_view(suffix.data(), suffix.size()));
  };
  size_t pos = 0;
  while (pos < text.size() && Search(article_start, text, pos, RE2::UNANCHORED, g, 3)) {
    ArticleReference ref;
    ref.begin = OffsetOf(text, g[0]);
    ref.end = EndOf(text, g[0]);
    if (ContinuesAsNumber(text, ref.end)) {  // "art. 2.1"
      pos = ref.begin + 1;
      continue;
    }
    ref.articles.push_back(article(g[1], g[2]));
    StringPiece item;
    while (
        article_item.re().Match(Piece(text), ref.end, text.size(), RE2::ANCHOR_START, &item, 1)) {
      size_t item_end = EndOf(text, item);
      if (article_ref.re().Match(Piece(text), ref.end, item_end, RE2::ANCHOR_BOTH, g, 3)) {
        if (ContinuesAsNumber(text, item_end)) break;
        std::string a = article(g[1], g[2]);
        if (std::find(ref.articles.begin(), ref.articles.end(), a) == ref.articles.end()) {
          ref.articles.push_back(std::move(a));
        }
      }
      ref.end = item_end;
    }
    ref.connector_end = ref.end;
    if (Search(connector, text, ref.end, RE2::ANCHOR_START, g, 3)) {
      ref.connector_end = EndOf(text, g[0]);
      ref.has_comma = g[1].data() != nullptr;
      ref.has_preposition = g[2].data() != nullptr;
    }
    pos = ref.end;
    references.push_back(std::move(ref));
  }
  return references;
}

std::string NormRecognizer::Impl::Label(std::string_view norm_id, std::string_view article) const {
  std::string label;
  auto entry = by_id.find(std::string(norm_id));
  if (entry != by_id.end() && !catalog[entry->second].label.empty()) {
    label = catalog[entry->second].label;
  } else if (auto parsed = norms::ParseNormId(norm_id)) {
    label = norms::CanonicalLabel(parsed->ref);
  } else {
    label = std::string(norm_id);
  }
  if (!article.empty()) label += ", art. " + std::string(article);
  return label;
}

NormCitation NormRecognizer::Impl::Citation(std::string norm_id, std::string article, size_t begin,
                                            size_t end) const {
  NormCitation citation;
  citation.label = Label(norm_id, article);
  citation.id = article.empty() ? norm_id : norm_id + "/art-" + article;
  citation.norm_id = std::move(norm_id);
  citation.article = std::move(article);
  citation.offset = begin;
  citation.length = end - begin;
  return citation;
}

// ---------------------------------------------------------------------------------------

NormRecognizer::NormRecognizer(std::vector<NormEntry> catalog)
    : catalog_(std::move(catalog)), impl_(std::make_unique<Impl>(catalog_)) {}

NormRecognizer::~NormRecognizer() = default;

std::vector<NormCitation> NormRecognizer::Find(std::string_view text) const {
  std::vector<Mention> found;
  impl_->FindFormal(text, &found);
  impl_->FindNames(text, &found);
  // Where a formal citation and a name overlap, the earlier, then the longer, wins.
  std::stable_sort(found.begin(), found.end(), [](const Mention& a, const Mention& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.end > b.end;
  });
  std::vector<Mention> mentions;
  for (Mention& m : found) {
    if (mentions.empty() || m.begin >= mentions.back().end) mentions.push_back(std::move(m));
  }
  if (mentions.empty()) return {};

  std::vector<ArticleReference> references = impl_->FindArticleReferences(text);
  std::vector<std::pair<size_t, size_t>> ranges;
  for (const Mention& m : mentions) ranges.emplace_back(m.begin, m.end);
  for (size_t r = 0; r < references.size(); ++r) {
    const ArticleReference& ref = references[r];
    // The first mention that ends after the reference starts.
    auto next = std::upper_bound(mentions.begin(), mentions.end(), ref.begin,
                                 [](size_t pos, const Mention& m) { return pos < m.end; });
    if (next != mentions.end() && next->begin < ref.end) continue;  // inside a norm's words
    bool before = next != mentions.end() && next->begin == ref.connector_end && next->reference < 0;
    // After: not for "art. 32 della Costituzione", which is of something else.
    auto previous = next == mentions.begin() ? mentions.end() : std::prev(next);
    StringPiece paren;
    bool after = !ref.has_preposition && previous != mentions.end() && previous->reference < 0 &&
                 RE2::FullMatch(Piece(text.substr(previous->end, ref.begin - previous->end)),
                                impl_->gap_after.re(), &paren);
    // "art. 22 D.Lgs. …", "art. 22 del D.Lgs. …" go with what follows; but in "D.Lgs.
    // 286/1998, art. 38, DPR 394/1999" the commas make a list and art. 38 is the D.Lgs.'s.
    if (before && (!after || !ref.has_comma)) {
      next->reference = static_cast<int>(r);
      ranges[static_cast<size_t>(next - mentions.begin())].first = ref.begin;
      continue;
    }
    if (!after) continue;
    previous->reference = static_cast<int>(r);
    size_t end = ref.end;
    StringPiece close;
    if (paren.data() != nullptr && impl_->closing_paren.re().Match(Piece(text), end, text.size(),
                                                                   RE2::ANCHOR_START, &close, 1)) {
      end = EndOf(text, close);
    }
    ranges[static_cast<size_t>(previous - mentions.begin())].second = end;
  }

  std::vector<NormCitation> citations;
  for (size_t i = 0; i < mentions.size(); ++i) {
    auto [begin, end] = ranges[i];
    if (mentions[i].reference < 0) {
      citations.push_back(impl_->Citation(mentions[i].norm_id, "", begin, end));
      continue;
    }
    for (const std::string& a : references[static_cast<size_t>(mentions[i].reference)].articles) {
      citations.push_back(impl_->Citation(mentions[i].norm_id, a, begin, end));
    }
  }
  return citations;
}

std::optional<NormCitation> NormRecognizer::Resolve(std::string_view query) const {
  // Blanks and the quotes of norma:"…" around the query do not count.
  auto trimmable = [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '"' || c == '\'';
  };
  size_t first = 0, last = query.size();
  while (first < last && trimmable(query[first])) ++first;
  while (last > first && trimmable(query[last - 1])) --last;
  std::string_view trimmed = query.substr(first, last - first);
  if (trimmed.empty()) return std::nullopt;

  std::string lower = norms::AsciiLower(trimmed);
  if (auto parsed = norms::ParseNormId(lower)) {
    return impl_->Citation(norms::NormId(parsed->ref), parsed->article, first, last);
  }
  if (impl_->by_id.count(lower) != 0) return impl_->Citation(lower, "", first, last);
  // A curated name, or a catalog label as the UI shows it ("DPCM flussi 2023").
  std::string key = norms::NameKey(trimmed);
  for (const auto* keys : {&impl_->by_name_key, &impl_->by_label_key}) {
    if (auto entry = keys->find(key); entry != keys->end()) {
      return impl_->Citation(catalog_[entry->second].id, "", first, last);
    }
  }

  // Else a citation that spans every letter and digit of the query.
  size_t content_begin = query.size(), content_end = 0;
  for (size_t i = 0; i < query.size(); ++i) {
    auto c = static_cast<unsigned char>(query[i]);
    if (norms::IsAsciiAlnum(c) || c >= 0x80) {
      content_begin = std::min(content_begin, i);
      content_end = i + 1;
    }
  }
  std::vector<NormCitation> citations = Find(query);
  if (citations.empty()) return std::nullopt;
  const NormCitation& c = citations.front();
  for (const NormCitation& other : citations) {
    if (other.offset != c.offset || other.length != c.length) return std::nullopt;
  }
  if (c.offset > content_begin || c.offset + c.length < content_end) return std::nullopt;
  if (citations.size() == 1) return c;
  // "artt. 4 e 5 D.Lgs. 286/1998": several articles of one norm; the norm is what is meant.
  return impl_->Citation(c.norm_id, "", c.offset, c.offset + c.length);
}

std::string NormRecognizer::LabelOf(std::string_view norm_id) const {
  std::string id = norms::AsciiLower(norm_id);
  size_t slash = id.find("/art-");
  if (slash == std::string::npos) return impl_->Label(id, "");
  auto parsed = norms::ParseNormId(id);
  if (!parsed) return std::string(norm_id);
  return impl_->Label(id.substr(0, slash), parsed->article);
}

}  // namespace correlare::taxonomy
