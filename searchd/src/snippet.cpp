#include "snippet.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <memory>
#include <string>
#include <utility>

#include "taxonomy/text_keys.h"

namespace correlare::searchd {
namespace {

// When no place in the text shows a query word as written, this much is looked at.
constexpr size_t kFallbackScannedBytes = 256 << 10;
// A passage is this many words.
constexpr size_t kWindowWords = 32;

// Which of `terms` the written word matches, -1 for none.
int Matching(std::string_view written, const std::vector<HighlightTerm>& terms) {
  std::string key = taxonomy::KeyOfWord(written);
  std::string folded;
  for (size_t i = 0; i < terms.size(); ++i) {
    const HighlightTerm& term = terms[i];
    if (term.prefix) {
      if (folded.empty()) folded = taxonomy::FoldWord(written);
      if (folded.rfind(term.key, 0) == 0) return static_cast<int>(i);
    } else if (key == term.key) {
      return static_cast<int>(i);
    }
  }
  return -1;
}

// Moves `pos` back to the start of a UTF-8 character.
size_t CharStart(std::string_view text, size_t pos) {
  while (pos > 0 && pos < text.size() && (static_cast<unsigned char>(text[pos]) & 0xC0) == 0x80) --pos;
  return pos;
}

}  // namespace

std::string EscapeHtml(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 16);
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      case '\n': case '\r': case '\t': out += ' '; break;
      default: out += c;
    }
  }
  return out;
}

namespace {

// Bytes of text after each place a query word is, and before it, keyed and matched in
// full: a passage starts at a match and runs on for kWindowWords words (two matches a
// window apart share a region), with a few words of context before.
constexpr size_t kRegionBytes = 320;
constexpr size_t kRegionBytesBefore = 96;
// Places looked at per query word; a text that has more keeps its earliest.
constexpr size_t kMaxCandidatesPerTerm = 16;
constexpr size_t kMaxCandidatesOneTerm = 4;
// Words that start with a query word's needle, looked at per query word, at most.
constexpr size_t kMaxNeedleHitsPerTerm = 4096;
// Longer words are keyed by their first bytes.
constexpr size_t kLongestWordBytes = 64;

// The part of a term's key that its word must show in the text as it is written, in
// ASCII lower case: up to 6 bytes, without a final vowel that ends the key (an
// accented final vowel, "più" -> "piu", folds to it; Italian puts accents nowhere
// else). Empty when the key starts with a non-ASCII byte (other scripts): then the
// whole text is keyed.
std::string Needle(const std::string& key) {
  size_t size = 0;
  while (size < key.size() && size < 6 && static_cast<unsigned char>(key[size]) < 0x80) ++size;
  if (size == key.size() && size > 2 && std::strchr("aeiou", key[size - 1]) != nullptr) --size;
  return size >= 2 ? key.substr(0, size) : std::string();
}

bool IsAsciiWordByte(unsigned char c) { return std::isalnum(c) != 0 || c >= 0x80; }

char AsciiLower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + ('a' - 'A')) : c; }

// `text` with ASCII letters in lower case, in a buffer each thread keeps (valid until the
// thread's next call). A loop the compiler vectorises: a few microseconds for 16 KB.
std::string_view AsciiLowered(std::string_view text) {
  thread_local std::unique_ptr<char[]> buffer;
  thread_local size_t capacity = 0;
  if (capacity < text.size()) {
    buffer.reset(new char[text.size()]);
    capacity = text.size();
  }
  const auto* from = reinterpret_cast<const unsigned char*>(text.data());
  auto* to = reinterpret_cast<unsigned char*>(buffer.get());
  for (size_t i = 0; i < text.size(); ++i) {
    unsigned char c = from[i];
    to[i] = static_cast<unsigned char>(c + (static_cast<unsigned char>(c - 'A') < 26 ? 32 : 0));
  }
  return std::string_view(buffer.get(), text.size());
}

// The next place at or after `from` where `lowered` shows `needle` (glibc's memmem).
size_t FindNeedle(std::string_view lowered, const std::string& needle, size_t from) {
  if (from >= lowered.size()) return std::string_view::npos;
  const void* hit = memmem(lowered.data() + from, lowered.size() - from, needle.data(), needle.size());
  return hit == nullptr ? std::string_view::npos
                        : static_cast<size_t>(static_cast<const char*>(hit) - lowered.data());
}

// Whether `word` may have the key of a term whose needle is `needle`: its folded form
// starts with the needle. ASCII words are compared as they are; others are folded.
bool MayStartWith(std::string_view word, std::string_view needle) {
  if (needle.empty()) return true;
  size_t i = 0;
  while (i < needle.size() && i < word.size() && static_cast<unsigned char>(word[i]) < 0x80) {
    if (AsciiLower(word[i]) != needle[i]) return false;
    ++i;
  }
  if (i == needle.size()) return true;
  if (i == word.size()) return false;
  // A non-ASCII letter before the needle's end: fold a prefix long enough to show it.
  return taxonomy::FoldWord(word.substr(0, CharStart(word, std::min(word.size(), needle.size() * 4 + 4))))
             .compare(0, needle.size(), needle) == 0;
}

// Where the query's words are: byte ranges of `text` around the earliest words that
// have a term's key, merged, on word boundaries. Empty when no word has one.
std::vector<std::pair<size_t, size_t>> CandidateRegions(std::string_view text,
                                                        const std::vector<HighlightTerm>& terms,
                                                        const std::vector<std::string>& needles) {
  // One word: any place shows all of the query, and the earliest few are enough to
  // prefer one that repeats it.
  const size_t wanted = terms.size() == 1 ? kMaxCandidatesOneTerm : kMaxCandidatesPerTerm;
  // The earliest places where a word shows a term's needle and has a term's key (a
  // needle also starts other words: "stamp" starts "stampante", which is not "stampa").
  std::vector<size_t> starts;
  bool any_needle_seen = false;
  bool all_ascii = std::none_of(needles.begin(), needles.end(), [](const std::string& n) { return n.empty(); });
  std::string_view lowered = all_ascii ? AsciiLowered(text) : std::string_view();
  for (size_t n = 0; all_ascii && n < needles.size(); ++n) {
    size_t found = 0;
    size_t looked = 0;
    for (size_t at = FindNeedle(lowered, needles[n], 0);
         at != std::string_view::npos && found < wanted && looked < kMaxNeedleHitsPerTerm;
         at = FindNeedle(lowered, needles[n], at + 1)) {
      // Only at the start of a word: after a space, punctuation, "l’", «, “ …
      if (at > 0 && taxonomy::EndsInWordCharacter(text.substr(0, at))) continue;
      ++looked;
      any_needle_seen = true;
      auto spans = taxonomy::WordSpans(text.substr(at, kLongestWordBytes));
      if (spans.empty() || spans.front().offset != 0) continue;
      if (Matching(text.substr(at, spans.front().length), terms) < 0) continue;
      starts.push_back(at);
      ++found;
    }
  }
  // No needle as written: a word may still fold to one ("événement" to "evenem"), and
  // then it has a non-ASCII letter among its first: only such words of the text's start
  // are looked at. A term whose key starts in another script has no needle: every word
  // of the text's start is looked at.
  if (!any_needle_seen) {
    std::string_view start = text.substr(0, CharStart(text, std::min(text.size(), kFallbackScannedBytes)));
    auto look = [&](uint32_t offset, uint32_t length) {
      std::string_view written = start.substr(offset, length);
      bool candidate = std::any_of(needles.begin(), needles.end(),
                                   [&](const std::string& needle) { return MayStartWith(written, needle); });
      if (candidate && Matching(written, terms) >= 0) starts.push_back(offset);
      return starts.size() < wanted * terms.size();
    };
    if (!all_ascii) {
      taxonomy::VisitWords(start, look);
    } else {
      // Each non-ASCII byte: the word around it (looked for at most a longest word
      // back), once; then on past that word, so that each byte is seen about twice.
      for (size_t i = 0; i < start.size(); ++i) {
        if (static_cast<unsigned char>(start[i]) < 0x80) continue;
        size_t limit = i > kLongestWordBytes ? i - kLongestWordBytes : 0;
        size_t word = i;
        while (word > limit && IsAsciiWordByte(static_cast<unsigned char>(start[word - 1]))) --word;
        size_t end = i + 1;
        bool more = true;
        taxonomy::VisitWords(start.substr(word, std::min(start.size() - word, i - word + kLongestWordBytes)),
                             [&](uint32_t offset, uint32_t length) {
                               if (word + offset > i) return false;
                               end = std::max(end, word + offset + length);
                               if (word + offset + length > i) more = look(static_cast<uint32_t>(word + offset), length);
                               return true;
                             });
        if (!more) break;
        i = std::max(i, end - 1);
      }
    }
  }
  std::sort(starts.begin(), starts.end());
  struct Region {
    size_t begin, end;
    size_t first, last;  // the first and the last match in it
  };
  std::vector<Region> found;
  for (size_t at : starts) {
    size_t begin = at > kRegionBytesBefore ? at - kRegionBytesBefore : 0;
    size_t end = std::min(text.size(), at + kRegionBytes);
    if (!found.empty() && begin <= found.back().end) {
      found.back().end = std::max(found.back().end, end);
      found.back().last = at;
    } else {
      found.push_back({begin, end, at, at});
    }
  }
  // On word boundaries, so that no word is cut; never past the region's own matches (a
  // line of underscores or a long address has no space to stop at).
  std::vector<std::pair<size_t, size_t>> regions;
  for (auto& r : found) {
    size_t begin = r.begin;
    size_t end = r.end;
    if (begin > 0) {
      size_t space = text.find_first_of(" \n\t", begin);
      begin = space != std::string_view::npos && space < r.first ? space + 1 : r.first;
    }
    if (end < text.size()) {
      size_t space = text.find_last_of(" \n\t", end);
      if (space != std::string_view::npos && space > r.last) end = space;
    }
    regions.emplace_back(CharStart(text, begin), CharStart(text, end));
  }
  return regions;
}

}  // namespace

Snippet MakeSnippet(std::string_view text, const std::vector<HighlightTerm>& terms, size_t max_bytes,
                    size_t scan_bytes) {
  std::string_view scanned = text.substr(0, CharStart(text, std::min(text.size(), scan_bytes)));
  // Keying every word of a long text is the cost of a snippet: only the regions where a
  // query word may be are keyed. `region` numbers them, so that no window spans two.
  std::vector<taxonomy::WordSpan> words;
  std::vector<size_t> region;
  std::vector<int> match;
  std::vector<std::pair<size_t, size_t>> regions;
  if (!terms.empty()) {
    std::vector<std::string> needles;
    for (const auto& term : terms) needles.push_back(Needle(term.key));
    regions = CandidateRegions(scanned, terms, needles);
    for (size_t r = 0; r < regions.size(); ++r) {
      auto [begin, end] = regions[r];
      if (end <= begin) continue;
      for (auto word : taxonomy::WordSpans(scanned.substr(begin, end - begin))) {
        word.offset += static_cast<uint32_t>(begin);
        std::string_view written = scanned.substr(word.offset, word.length);
        // Only a word that shows a term's needle can have its key: the others are not
        // folded and stemmed, the dear part.
        bool candidate = std::any_of(needles.begin(), needles.end(), [&](const std::string& needle) {
          return MayStartWith(written, needle);
        });
        words.push_back(word);
        region.push_back(r);
        match.push_back(candidate ? Matching(written, terms) : -1);
      }
    }
  }
  // The window with the most distinct query words, then the most matches, then the
  // earliest.
  size_t best_start = 0;
  int best_distinct = 0;
  int best_total = 0;
  for (size_t start = 0; start < words.size(); ++start) {
    if (match[start] < 0) continue;
    // The terms seen, as bits (a query of more than 64 words counts its last ones as one).
    uint64_t distinct = 0;
    int total = 0;
    for (size_t i = start; i < words.size() && i < start + kWindowWords && region[i] == region[start];
         ++i) {
      if (match[i] >= 0) {
        distinct |= uint64_t{1} << std::min(match[i], 63);
        ++total;
      }
    }
    int d = __builtin_popcountll(distinct);
    if (d > best_distinct || (d == best_distinct && total > best_total)) {
      best_start = start;
      best_distinct = d;
      best_total = total;
    }
  }
  Snippet snippet;
  snippet.distinct = static_cast<size_t>(best_distinct);
  size_t begin = 0;
  if (best_distinct > 0) {
    snippet.offset = static_cast<int64_t>(words[best_start].offset);
    // A few words of context before the first match, from its own region; from the
    // start of the text when those words are its first.
    size_t context = best_start;
    while (context > 0 && best_start - context < 4 && region[context - 1] == region[best_start]) {
      --context;
    }
    bool first_of_region = context == 0 || region[context - 1] != region[context];
    begin = first_of_region && regions[region[context]].first == 0 ? 0 : words[context].offset;
  }
  size_t end = CharStart(text, std::min(text.size(), begin + max_bytes));
  if (end < text.size()) {
    // End on a word boundary.
    size_t space = text.find_last_of(" \n\t", end);
    if (space != std::string_view::npos && space > begin + max_bytes / 2) end = space;
  }
  std::string html;
  if (begin > 0) html += "… ";
  size_t cursor = begin;
  for (size_t i = 0; i < words.size(); ++i) {
    if (words[i].offset < begin || match[i] < 0) continue;
    if (words[i].offset + words[i].length > end) break;
    html += EscapeHtml(text.substr(cursor, words[i].offset - cursor));
    html += "<mark>";
    html += EscapeHtml(text.substr(words[i].offset, words[i].length));
    html += "</mark>";
    cursor = words[i].offset + words[i].length;
  }
  html += EscapeHtml(text.substr(cursor, end - cursor));
  if (end < text.size()) html += " …";
  // Runs of spaces left by line breaks read as one.
  std::string tidy;
  for (char c : html) {
    if (c == ' ' && !tidy.empty() && tidy.back() == ' ') continue;
    tidy += c;
  }
  snippet.html = tidy;
  return snippet;
}

}  // namespace correlare::searchd
