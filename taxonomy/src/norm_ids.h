// Private to norm_citations.cpp: norm identifiers ("dlgs-286-1998", "…/art-22"), years,
// and the canonical labels built from them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace correlare::taxonomy::norms {

struct NormRef {
  std::string_view kind;  // "dlgs", "l", …, "reg-ue", "dir-ue" (static storage)
  uint32_t number = 0;
  int year = 0;
};

struct ParsedId {
  NormRef ref;
  std::string article;  // "" when the id names no article
};

// "0286" -> 286; nullopt unless all digits and it fits.
std::optional<uint32_t> ParseNumber(std::string_view digits);

// "98" -> 1998, "17" -> 2017 (two-digit years above 30 are last century), "1998" -> 1998;
// 0 for anything else, including four-digit years outside 1800-2099.
int ParseYear(std::string_view digits);

// "dlgs-286-1998".
std::string NormId(const NormRef& ref);

// "D.Lgs. 286/1998", "Reg. (UE) 2016/679", "Dir. 2011/98/UE".
std::string CanonicalLabel(const NormRef& ref);

// "22" + "BIS" -> "22-bis"; "022" -> "22".
std::string NormalizeArticle(std::string_view number, std::string_view suffix);

// A lower-case id, "dlgs-286-1998" or "dlgs-286-1998/art-5-bis", with its parts; nullopt
// when it is not one (unknown kind, number 0, two-digit year, malformed article).
std::optional<ParsedId> ParseNormId(std::string_view id);

}  // namespace correlare::taxonomy::norms
