#include "snippet.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <string>
#include <utility>
#include <set>

#include "taxonomy/text_keys.h"

namespace correlare::searchd {
namespace {

// When no place in the text shows a query word as written, this much is keyed.
constexpr size_t kFallbackScannedBytes = 256 << 10;
// A passage is this many words.
constexpr size_t kWindowWords = 32;

bool Matches(const taxonomy::WordKey& word, std::string_view text,
             const std::vector<HighlightTerm>& terms, int* which) {
  for (size_t i = 0; i < terms.size(); ++i) {
    const HighlightTerm& term = terms[i];
    bool hit = term.prefix
                   ? taxonomy::FoldWord(text.substr(word.offset, word.length)).rfind(term.key, 0) == 0
                   : word.key == term.key;
    if (hit) {
      *which = static_cast<int>(i);
      return true;
    }
  }
  return false;
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

// Bytes of text around each place a query word may be, keyed and matched in full.
constexpr size_t kRegionBytes = 320;
// Places looked at per query word; a text that has more keeps its earliest.
constexpr size_t kMaxCandidatesPerTerm = 16;

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

// Where the query's words may be: byte ranges of `text` around the start of each word
// that begins with a term's needle, merged, on word boundaries. Empty with `whole` set
// when a term has no needle.
std::vector<std::pair<size_t, size_t>> CandidateRegions(std::string_view text,
                                                        const std::vector<HighlightTerm>& terms,
                                                        bool* whole) {
  *whole = false;
  std::vector<std::string> needles;
  for (const auto& term : terms) {
    needles.push_back(Needle(term.key));
    if (needles.back().empty()) {
      *whole = true;
      return {};
    }
  }
  // ASCII lower case, in a buffer each thread keeps.
  thread_local std::string lowered;
  lowered.assign(text);
  for (char& c : lowered) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + ('a' - 'A'));
  }
  std::vector<size_t> starts;
  for (const auto& needle : needles) {
    size_t found = 0;
    for (size_t at = lowered.find(needle); at != std::string::npos && found < kMaxCandidatesPerTerm;
         at = lowered.find(needle, at + 1)) {
      if (at > 0 && IsAsciiWordByte(static_cast<unsigned char>(lowered[at - 1]))) continue;
      starts.push_back(at);
      ++found;
    }
  }
  std::sort(starts.begin(), starts.end());
  std::vector<std::pair<size_t, size_t>> regions;
  for (size_t at : starts) {
    size_t begin = at > kRegionBytes ? at - kRegionBytes : 0;
    size_t end = std::min(text.size(), at + kRegionBytes);
    if (!regions.empty() && begin <= regions.back().second) {
      regions.back().second = std::max(regions.back().second, end);
    } else {
      regions.emplace_back(begin, end);
    }
  }
  // On word boundaries, so that no word is cut.
  for (auto& [begin, end] : regions) {
    if (begin > 0) {
      size_t space = text.find_first_of(" \n\t", begin);
      begin = space == std::string_view::npos ? begin : space + 1;
    }
    if (end < text.size()) {
      size_t space = text.find_last_of(" \n\t", end);
      if (space != std::string_view::npos && space > begin) end = space;
    }
    begin = CharStart(text, begin);
    end = CharStart(text, end);
  }
  return regions;
}

}  // namespace

Snippet MakeSnippet(std::string_view text, const std::vector<HighlightTerm>& terms, size_t max_bytes,
                    size_t scan_bytes) {
  std::string_view scanned = text.substr(0, CharStart(text, std::min(text.size(), scan_bytes)));
  // Keying every word of a long text is the cost of a snippet: only the regions where a
  // query word may be are keyed. `region` numbers them, so that no window spans two.
  std::vector<taxonomy::WordKey> words;
  std::vector<size_t> region;
  std::vector<std::pair<size_t, size_t>> regions;
  if (!terms.empty()) {
    bool whole = false;
    regions = CandidateRegions(scanned, terms, &whole);
    // No needle, or none found (a word written with an accent inside its needle): the
    // text is keyed from its start, up to a bound.
    if (whole || regions.empty()) {
      regions = {{0, CharStart(scanned, std::min(scanned.size(), kFallbackScannedBytes))}};
    }
    for (size_t r = 0; r < regions.size(); ++r) {
      auto [begin, end] = regions[r];
      if (end <= begin) continue;
      for (auto& word : taxonomy::WordKeys(scanned.substr(begin, end - begin))) {
        word.offset += static_cast<uint32_t>(begin);
        words.push_back(std::move(word));
        region.push_back(r);
      }
    }
  }
  std::vector<int> match(words.size(), -1);
  for (size_t i = 0; i < words.size(); ++i) {
    int which = -1;
    if (Matches(words[i], scanned, terms, &which)) match[i] = which;
  }
  // The window with the most distinct query words, then the most matches, then the
  // earliest.
  size_t best_start = 0;
  int best_distinct = 0;
  int best_total = 0;
  for (size_t start = 0; start < words.size(); ++start) {
    if (match[start] < 0) continue;
    std::set<int> distinct;
    int total = 0;
    for (size_t i = start; i < words.size() && i < start + kWindowWords && region[i] == region[start];
         ++i) {
      if (match[i] >= 0) {
        distinct.insert(match[i]);
        ++total;
      }
    }
    int d = static_cast<int>(distinct.size());
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
