// xapian_floor: the engine's floor for a query mix — the bare Xapian work of each query,
// in-process, with no HTTP, JSON, facets or snippets. For each query of the mix it parses
// the words as correlare-searchd does (accent folding, Italian stemming, the same parser
// flags, facet parameters as boolean filters), runs the match for the first 10 results
// and fetches those 10 documents' data. It repeats every query many times and prints, per
// query and over the mix, the median time of match + fetch (the floor), and apart the
// median time of parsing (spelling look-ups and wildcard expansion included).
//
//   build/bin/xapian_floor INDEX_DIR QUERIES_FILE [ROUNDS]
//
// QUERIES_FILE: one query string per line, in URL form as for /api/search
// (`q=permesso+di+soggiorno&axis=lavoro`); blank lines and lines starting with # are
// skipped. Output: one line per query ("match_ms<TAB>parse_ms<TAB>matches<TAB>query", medians),
// then "floor_median_ms", "floor_mean_ms" and "parse_median_ms" over the per-query medians.
#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "schema/schema.h"
#include "taxonomy/text_keys.h"

namespace {

struct MixQuery {
  std::string raw;
  std::string q;
  std::vector<std::string> filters;  // boolean terms, ANDed across facets
};

std::string UrlDecode(const std::string& in) {
  std::string out;
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '+') {
      out += ' ';
    } else if (in[i] == '%' && i + 2 < in.size()) {
      out += static_cast<char>(std::stoi(in.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += in[i];
    }
  }
  return out;
}

MixQuery Parse(const std::string& line) {
  MixQuery mq;
  mq.raw = line;
  size_t start = 0;
  while (start <= line.size()) {
    size_t end = line.find('&', start);
    if (end == std::string::npos) end = line.size();
    std::string pair = line.substr(start, end - start);
    start = end + 1;
    auto eq = pair.find('=');
    if (eq == std::string::npos) continue;
    std::string key = pair.substr(0, eq), value = UrlDecode(pair.substr(eq + 1));
    namespace s = correlare::schema;
    if (key == "q") mq.q = value;
    else if (key == "axis") mq.filters.push_back(s::kPrefixAxis + value);
    else if (key == "province") mq.filters.push_back(s::kPrefixProvince + value);
    else if (key == "type") mq.filters.push_back(s::kPrefixType + value);
    else if (key == "lang") mq.filters.push_back(s::kPrefixLang + value);
  }
  return mq;
}

Xapian::Query Build(const MixQuery& mq, const Xapian::Database& db) {
  Xapian::QueryParser parser;
  parser.set_database(db);
  parser.set_stemmer(Xapian::Stem("italian"));
  parser.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
  parser.set_default_op(Xapian::Query::OP_AND);
  parser.add_prefix("titolo", correlare::schema::kPrefixTitle);
  parser.add_prefix("autore", correlare::schema::kPrefixAuthor);
  parser.set_max_expansion(200, Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);
  unsigned flags = Xapian::QueryParser::FLAG_PHRASE | Xapian::QueryParser::FLAG_LOVEHATE |
                   Xapian::QueryParser::FLAG_WILDCARD |
                   Xapian::QueryParser::FLAG_AUTO_MULTIWORD_SYNONYMS |
                   Xapian::QueryParser::FLAG_SPELLING_CORRECTION;
  Xapian::Query words;
  std::string text = correlare::taxonomy::FoldText(mq.q);
  try {
    words = parser.parse_query(text, flags);
  } catch (const Xapian::QueryParserError&) {
    words = parser.parse_query(text, 0);
  }
  if (words.empty()) words = Xapian::Query(std::string());
  for (const auto& term : mq.filters) {
    words = Xapian::Query(Xapian::Query::OP_FILTER, words, Xapian::Query(term));
  }
  return words;
}

double Median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: xapian_floor INDEX_DIR QUERIES_FILE [ROUNDS]\n";
    return 2;
  }
  int rounds = argc > 3 ? std::max(1, std::atoi(argv[3])) : 200;
  std::vector<MixQuery> mix;
  std::ifstream in(argv[2]);
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    mix.push_back(Parse(line));
  }
  if (mix.empty()) {
    std::cerr << "xapian_floor: no query in " << argv[2] << "\n";
    return 1;
  }
  try {
    Xapian::Database db(argv[1]);
    std::vector<double> medians, parse_medians;
    size_t sink = 0;
    for (const auto& mq : mix) {
      std::vector<double> times, parse_times;
      Xapian::doccount matches = 0;
      for (int round = 0; round < rounds; ++round) {
        auto start = std::chrono::steady_clock::now();
        Xapian::Query query = Build(mq, db);
        auto parsed = std::chrono::steady_clock::now();
        Xapian::Enquire enquire(db);
        enquire.set_query(query);
        Xapian::MSet mset = enquire.get_mset(0, 10);
        for (auto it = mset.begin(); it != mset.end(); ++it) sink += it.get_document().get_data().size();
        auto done = std::chrono::steady_clock::now();
        parse_times.push_back(std::chrono::duration<double, std::milli>(parsed - start).count());
        times.push_back(std::chrono::duration<double, std::milli>(done - parsed).count());
        matches = mset.get_matches_lower_bound();
      }
      double median = Median(times);
      double parse_median = Median(parse_times);
      medians.push_back(median);
      parse_medians.push_back(parse_median);
      std::printf("%.4f\t%.4f\t%u\t%s\n", median, parse_median, matches, mq.raw.c_str());
    }
    double sum = 0;
    for (double m : medians) sum += m;
    std::printf("floor_median_ms %.4f\nfloor_mean_ms %.4f\nparse_median_ms %.4f\nqueries %zu\nrounds %d\n",
                Median(medians), sum / static_cast<double>(medians.size()), Median(parse_medians),
                medians.size(), rounds);
    if (sink == 0) std::fprintf(stderr, "xapian_floor: no document data fetched\n");
  } catch (const Xapian::Error& e) {
    std::cerr << "xapian_floor: " << e.get_description() << "\n";
    return 1;
  }
  return 0;
}
