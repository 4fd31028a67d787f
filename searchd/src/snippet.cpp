#include "snippet.h"

#include <algorithm>
#include <set>

#include "taxonomy/text_keys.h"

namespace correlare::searchd {
namespace {

// Only this much of a long text is searched for the best passage.
constexpr size_t kMaxScannedBytes = 1 << 20;
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

Snippet MakeSnippet(std::string_view text, const std::vector<HighlightTerm>& terms, size_t max_bytes) {
  std::string_view scanned = text.substr(0, CharStart(text, std::min(text.size(), kMaxScannedBytes)));
  std::vector<taxonomy::WordKey> words = terms.empty() ? std::vector<taxonomy::WordKey>()
                                                       : taxonomy::WordKeys(scanned);
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
    for (size_t i = start; i < words.size() && i < start + kWindowWords; ++i) {
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
  size_t begin = 0;
  if (best_distinct > 0) {
    snippet.offset = static_cast<int64_t>(words[best_start].offset);
    // A few words of context before the first match.
    size_t context = best_start >= 4 ? best_start - 4 : 0;
    begin = words[context].offset;
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
