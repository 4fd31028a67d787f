// The fixed identifiers of ../shared/SPEC.md ("Identifiers"): stable, lowercase, used
// in URLs, folders, CLI and JSON. DO NOT CHANGE an id: indexes and links depend on it.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace correlare::taxonomy {

struct IdLabel {
  std::string_view id;
  std::string_view label;     // Italian, as the UI shows it
  std::string_view label_en;
};

struct Province {
  std::string_view id;
  std::string_view sigla;     // two letters, "" for the region
  std::string_view label;
};

const std::vector<IdLabel>& Axes();
const std::vector<Province>& Provinces();
const std::vector<IdLabel>& DocumentTypes();
// The languages with an Italian label; other ISO 639-1 codes are valid too.
const std::vector<IdLabel>& Languages();

bool IsAxis(std::string_view id);
bool IsDocumentType(std::string_view id);

// A province id from an id or a sigla, case-insensitive ("MI", "milano", "Monza-Brianza"
// -> "milano"/"monza-brianza"); nullopt when it names no province.
std::optional<std::string> ResolveProvince(std::string_view name);

// "Italiano" for "it"; the code itself for a language without a label.
std::string LanguageLabel(std::string_view code);

}  // namespace correlare::taxonomy
