// Snippets: the passage of a document's text that best matches the query, HTML-escaped
// with the matched words in <mark>, and where it is (byte offset, for page and cue).
// Matching uses the taxonomy's word keys (folded, stemmed), as the index does, so
// "città" in the text matches "citta" in the query.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace correlare::searchd {

struct HighlightTerm {
  std::string key;     // a word key (taxonomy::WordKeys), or a folded prefix
  bool prefix = false; // true: matches every word whose folded form starts with `key`
  std::string word;    // the word folded, not stemmed ("" for a prefix)
};

struct Snippet {
  std::string html;     // escaped text with <mark>…</mark>
  int64_t offset = -1;  // byte offset of the first matched word, -1 when none matched
  size_t distinct = 0;  // how many of the terms the passage shows
};

// A snippet looks at no more of a text than kSnippetScanBytes, and shows at most
// max_bytes past it: the rest of a text need not be read.
constexpr size_t kSnippetScanBytes = 1 << 20;
constexpr size_t kSnippetMaxBytes = 260;

// At most about `max_bytes` of text around the best window of matches among the first
// `scan_bytes` of `text`; the start of the text when nothing matches.
Snippet MakeSnippet(std::string_view text, const std::vector<HighlightTerm>& terms,
                    size_t max_bytes = kSnippetMaxBytes, size_t scan_bytes = kSnippetScanBytes);

// The HTML-escaped form of `text` (&, <, >, ", ').
std::string EscapeHtml(std::string_view text);

}  // namespace correlare::searchd
