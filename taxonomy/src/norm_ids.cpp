#include "norm_ids.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <utility>

namespace correlare::taxonomy::norms {

std::optional<uint32_t> ParseNumber(std::string_view digits) {
  uint32_t value = 0;
  const char* end = digits.data() + digits.size();
  auto [stop, error] = std::from_chars(digits.data(), end, value);
  if (digits.empty() || error != std::errc() || stop != end) return std::nullopt;
  return value;
}

int ParseYear(std::string_view digits) {
  auto value = ParseNumber(digits);
  if (!value) return 0;
  if (digits.size() == 2) return static_cast<int>(*value > 30 ? 1900 + *value : 2000 + *value);
  if (digits.size() == 4 && *value >= 1800 && *value <= 2099) return static_cast<int>(*value);
  return 0;
}

std::string NormId(const NormRef& ref) {
  return std::string(ref.kind) + "-" + std::to_string(ref.number) + "-" + std::to_string(ref.year);
}

std::string CanonicalLabel(const NormRef& ref) {
  std::string n = std::to_string(ref.number);
  std::string y = std::to_string(ref.year);
  if (ref.kind == "reg-ue") {
    // Regulations are numbered year/number since 2015, number/year before.
    return "Reg. (UE) " + (ref.year >= 2015 ? y + "/" + n : n + "/" + y);
  }
  if (ref.kind == "dir-ue") {
    // "Direttiva (UE) 2015/637" since 2015; before, the treaty's suffix after the number.
    if (ref.year >= 2015) return "Dir. (UE) " + y + "/" + n;
    return "Dir. " + y + "/" + n + (ref.year >= 2010 ? "/UE" : ref.year >= 1993 ? "/CE" : "/CEE");
  }
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 7> kPrefixes = {{
      {"dlgs", "D.Lgs. "},
      {"l", "L. "},
      {"dpr", "D.P.R. "},
      {"dl", "D.L. "},
      {"dm", "D.M. "},
      {"dpcm", "D.P.C.M. "},
      {"lr", "L.R. "},
  }};
  for (const auto& [kind, prefix] : kPrefixes) {
    if (kind == ref.kind) return std::string(prefix) + n + "/" + y;
  }
  return NormId(ref);
}

std::string NormalizeArticle(std::string_view number, std::string_view suffix) {
  size_t first = number.find_first_not_of('0');
  std::string article(first == std::string_view::npos ? "0" : number.substr(first));
  if (!suffix.empty()) {
    article += '-';
    for (char c : suffix) article += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  }
  return article;
}

namespace {

// "22", "5-bis": digits, then optionally a dash and lower-case letters.
std::optional<std::string> ParseArticle(std::string_view article) {
  size_t digits = 0;
  while (digits < article.size() && article[digits] >= '0' && article[digits] <= '9') ++digits;
  if (digits == 0 || digits > 4) return std::nullopt;
  std::string_view suffix = article.substr(digits);
  if (!suffix.empty()) {
    if (suffix.size() < 2 || suffix[0] != '-') return std::nullopt;
    suffix.remove_prefix(1);
    if (!std::all_of(suffix.begin(), suffix.end(), [](char c) { return c >= 'a' && c <= 'z'; })) {
      return std::nullopt;
    }
  }
  return NormalizeArticle(article.substr(0, digits), suffix);
}

}  // namespace

std::optional<ParsedId> ParseNormId(std::string_view id) {
  // Longer kinds first: "dl" is a prefix of "dlgs", "l" of "lr".
  static constexpr std::string_view kKinds[] = {"reg-ue", "dir-ue", "dpcm", "dlgs", "dpr",
                                                "dl",     "dm",     "lr",   "l"};
  ParsedId parsed;
  for (std::string_view kind : kKinds) {
    if (id.size() > kind.size() && id.substr(0, kind.size()) == kind && id[kind.size()] == '-') {
      parsed.ref.kind = kind;
      break;
    }
  }
  if (parsed.ref.kind.empty()) return std::nullopt;
  std::string_view rest = id.substr(parsed.ref.kind.size() + 1);
  if (size_t slash = rest.find('/'); slash != std::string_view::npos) {
    std::string_view article = rest.substr(slash + 1);
    rest = rest.substr(0, slash);
    if (article.substr(0, 4) != "art-") return std::nullopt;
    auto normalized = ParseArticle(article.substr(4));
    if (!normalized) return std::nullopt;
    parsed.article = std::move(*normalized);
  }
  size_t dash = rest.find('-');
  if (dash == std::string_view::npos || dash > 5) return std::nullopt;
  auto number = ParseNumber(rest.substr(0, dash));
  std::string_view year = rest.substr(dash + 1);
  if (!number || *number == 0 || year.size() != 4) return std::nullopt;
  parsed.ref.number = *number;
  parsed.ref.year = ParseYear(year);
  if (parsed.ref.year == 0) return std::nullopt;
  return parsed;
}

}  // namespace correlare::taxonomy::norms
