#include "norm_patterns.h"

#include <algorithm>
#include <iterator>
#include <stdexcept>

namespace correlare::taxonomy::norms {
namespace {

struct Fragment {
  std::string_view name;
  std::string_view pattern;
};

constexpr Fragment kFragments[] = {
    // Blanks, including the no-break spaces PDF and Word text is full of.
    {"S", R"([\s\x{a0}\x{202f}]*)"},
    {"S1", R"([\s\x{a0}\x{202f}]+)"},
    // Between the letters of an abbreviation: "D.P.R.", "D. P. R.", "DPR" (not "D P R").
    {"D", R"((?:\.{S})?)"},
    {"DASH", R"([\-\x{2010}-\x{2014}])"},
    {"APOS", R"(['\x{2018}\x{2019}])"},
    // "n. ", "n ", "nr. ", "num. ", "n° ".
    {"NM", R"((?:n(?:r|um)?\.?|n[°º]){S})"},
    {"MONTH", R"(gennaio|febbraio|marzo|aprile|maggio|giugno|luglio|agosto|settembre|ottobre|)"
              R"(novembre|dicembre)"},
    // "25 luglio 1998", "1° agosto 2018", "25/07/1998", "25.07.1998", minus the year.
    {"DAY", R"(\d{1,2}[°º]?{S1}{MONTH}{S1}|\d{1,2}[./\-]\d{1,2}[./\-])"},
    // Latin ordinal suffixes of inserted articles and commas, longest first.
    {"SUFFIX",
     R"(quinquiesdecies|septiesdecies|sexiesdecies|octiesdecies|noviesdecies|quaterdecies|)"
     R"(terdecies|duodecies|undecies|quinquies|septies|sexies|octies|novies|nonies|decies|)"
     R"(quater|bis|ter)"},
    // An article number, captured: number and suffix ("5-bis", "5 bis", "5bis").
    {"ARTNUM", R"((\d{1,4})(?:{S}{DASH}?{S}({SUFFIX})\b)?)"},
    // The same, not captured.
    {"NUM", R"(\d{1,4}(?:{S}{DASH}?{S}{SUFFIX}\b)?)"},
    {"LETTER", R"([a-z](?:{DASH}?(?:bis|ter))?)"},
    {"ARTKW", R"(art(?:icol[oi]|t\.?|\.)?)"},
    {"AND", R"((?:e|ed|nonch[eé]){S1})"},
};

}  // namespace

std::string ExpandPattern(std::string_view pattern) {
  std::string out;
  for (size_t i = 0; i < pattern.size();) {
    bool placeholder = pattern[i] == '{' && i + 1 < pattern.size() && pattern[i + 1] >= 'A' &&
                       pattern[i + 1] <= 'Z';
    if (!placeholder) {
      out += pattern[i++];
      continue;
    }
    size_t close = pattern.find('}', i);
    std::string_view name =
        close == std::string_view::npos ? std::string_view() : pattern.substr(i + 1, close - i - 1);
    auto fragment = std::find_if(std::begin(kFragments), std::end(kFragments),
                                 [&](const Fragment& f) { return f.name == name; });
    if (fragment == std::end(kFragments)) {
      throw std::logic_error("norm patterns: unknown fragment in " + std::string(pattern));
    }
    out += "(?:" + ExpandPattern(fragment->pattern) + ")";
    i = close + 1;
  }
  return out;
}

}  // namespace correlare::taxonomy::norms
