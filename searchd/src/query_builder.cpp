#include "query_builder.h"

#include <cctype>

#include "schema/schema.h"
#include "taxonomy/text_keys.h"

namespace correlare::searchd {
namespace {

constexpr unsigned kWildcardExpansion = 200;

// Pulls `norma:"…"` and `norma:word` out of the query; what is left is free text.
std::string TakeNormFilters(const std::string& q, std::vector<std::string>& norms) {
  std::string rest;
  size_t i = 0;
  while (i < q.size()) {
    bool at_word_start = i == 0 || std::isspace(static_cast<unsigned char>(q[i - 1])) || q[i - 1] == '(';
    if (at_word_start && q.compare(i, 6, "norma:") == 0) {
      size_t start = i + 6;
      size_t end;
      if (start < q.size() && q[start] == '"') {
        end = q.find('"', start + 1);
        if (end == std::string::npos) end = q.size();
        norms.push_back(q.substr(start + 1, end - start - 1));
        i = end < q.size() ? end + 1 : end;
      } else {
        end = start;
        while (end < q.size() && !std::isspace(static_cast<unsigned char>(q[end]))) ++end;
        norms.push_back(q.substr(start, end - start));
        i = end;
      }
      rest += ' ';
      continue;
    }
    rest += q[i++];
  }
  return rest;
}

// The words a result should show highlighted: every word not excluded with "-", and
// prefixes for "word*".
std::vector<HighlightTerm> HighlightTerms(const std::string& folded) {
  std::vector<HighlightTerm> terms;
  size_t i = 0;
  while (i < folded.size()) {
    while (i < folded.size() && std::isspace(static_cast<unsigned char>(folded[i]))) ++i;
    size_t end = i;
    while (end < folded.size() && !std::isspace(static_cast<unsigned char>(folded[end]))) ++end;
    std::string token = folded.substr(i, end - i);
    i = end;
    if (token.empty() || token[0] == '-') continue;
    if (auto colon = token.find(':'); colon != std::string::npos) token = token.substr(colon + 1);
    bool prefix = !token.empty() && token.back() == '*';
    if (prefix) {
      token.pop_back();
      std::string clean;
      for (char c : token) {
        if (std::isalnum(static_cast<unsigned char>(c)) || static_cast<unsigned char>(c) >= 0x80) clean += c;
      }
      if (clean.size() >= 2) terms.push_back({clean, true, ""});
      continue;
    }
    for (auto& word : taxonomy::WordKeys(token)) {
      // Two-letter words ("di", "la") are too common to be worth a highlight.
      if (word.key.size() >= 3 || std::isdigit(static_cast<unsigned char>(word.key[0]))) {
        terms.push_back({word.key, false, token.substr(word.offset, word.length)});
      }
    }
  }
  return terms;
}

// For the plain-words retry: everything but letters, digits and spaces goes.
std::string PlainWords(const std::string& folded) {
  std::string out;
  for (char c : folded) {
    unsigned char u = static_cast<unsigned char>(c);
    out += (std::isalnum(u) || u >= 0x80) ? c : ' ';
  }
  return out;
}

}  // namespace

BuiltQuery BuildQuery(const std::string& q, const Xapian::Database& db,
                      const taxonomy::NormRecognizer& norms, bool any_word,
                      bool correct_spelling) {
  BuiltQuery built;
  std::vector<std::string> norm_texts;
  std::string text = taxonomy::FoldText(TakeNormFilters(q, norm_texts));

  std::vector<Xapian::Query> filters;
  for (const auto& norm_text : norm_texts) {
    auto citation = norms.Resolve(norm_text);
    // A norm nobody can recognise matches nothing rather than everything.
    filters.push_back(citation ? Xapian::Query(schema::kPrefixNorm + citation->id)
                               : Xapian::Query());
  }

  bool blank = text.find_first_not_of(" \t\r\n") == std::string::npos;
  Xapian::Query words = MatchAll();
  if (!blank) {
    Xapian::QueryParser parser;
    parser.set_database(db);
    parser.set_stemmer(Xapian::Stem("italian"));
    parser.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
    parser.set_default_op(any_word ? Xapian::Query::OP_OR : Xapian::Query::OP_AND);
    parser.add_prefix("titolo", schema::kPrefixTitle);
    parser.add_prefix("autore", schema::kPrefixAuthor);
    parser.set_max_expansion(kWildcardExpansion, Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);
    unsigned flags = Xapian::QueryParser::FLAG_PHRASE | Xapian::QueryParser::FLAG_LOVEHATE |
                     Xapian::QueryParser::FLAG_WILDCARD |
                     Xapian::QueryParser::FLAG_AUTO_MULTIWORD_SYNONYMS;
    unsigned spelling = correct_spelling ? static_cast<unsigned>(Xapian::QueryParser::FLAG_SPELLING_CORRECTION) : 0u;
    try {
      words = parser.parse_query(text, flags | spelling);
    } catch (const Xapian::QueryParserError&) {
      text = PlainWords(text);
      words = parser.parse_query(text, spelling);
    }
    built.corrected = parser.get_corrected_query_string();
    // The correction is of the words; the norm filters stand as they were typed.
    if (!built.corrected.empty()) {
      std::string norms_typed;
      for (const auto& norm_text : norm_texts) norms_typed += "norma:\"" + norm_text + "\" ";
      built.corrected = norms_typed + built.corrected;
    }
    built.has_words = !words.empty();
    if (words.empty()) words = MatchAll();  // e.g. only "-word"
  }
  built.highlight = HighlightTerms(text);
  built.query = words;
  for (const auto& filter : filters) {
    built.query = Xapian::Query(Xapian::Query::OP_FILTER, built.query, filter);
  }
  return built;
}

}  // namespace correlare::searchd
