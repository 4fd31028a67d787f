// QueryBuilder: a query as people type it -> a Xapian query. All words must match
// (the caller falls back to any word when that finds nothing), "phrases", -exclusion,
// prefix*, titolo: and autore: fields, norma:"D.Lgs. 286/1998" in any spelling (or a
// norm's common name), accents optional, Italian stemming, the taxonomy's synonyms. A
// query that cannot be parsed is retried as plain words.
#pragma once

#include <xapian.h>

#include <string>
#include <vector>

#include "snippet.h"
#include "taxonomy/norm_citations.h"

namespace correlare::searchd {

// A new query matching every document. Never copy Xapian::Query::MatchAll (or
// MatchNothing) between threads: they are shared objects whose reference count is not
// atomic, and concurrent copies crashed the daemon under load.
inline Xapian::Query MatchAll() { return Xapian::Query(std::string()); }

struct BuiltQuery {
  Xapian::Query query;                 // MatchAll() for an empty query
  std::vector<HighlightTerm> highlight;
  std::string corrected;               // spelling correction of the words, "" when none
                                       // or not asked for
  bool has_words = false;              // any free-text words (not only filters)
};

// `any_word`: OR instead of AND between words. `db` gives spelling data, synonyms and
// wildcard expansions. `correct_spelling`: also look for a correction, which costs more
// than the match itself (Xapian tries the spelling table for every word), so searches
// ask for it only when the query found little.
BuiltQuery BuildQuery(const std::string& q, const Xapian::Database& db,
                      const taxonomy::NormRecognizer& norms, bool any_word,
                      bool correct_spelling = false);

}  // namespace correlare::searchd
