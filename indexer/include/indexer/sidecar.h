// Sidecar: a file NAME.meta.json beside NAME overrides detected metadata (SPEC
// "Programs"): title, authors, date (YYYY or YYYY-MM-DD), type, axes, province, lang,
// module, description. Unknown keys and bad values are errors naming them: a province
// that meant to correct a document should learn that its correction was not read.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace correlare::indexer {

struct Sidecar {
  std::optional<std::string> title;
  std::optional<std::vector<std::string>> authors;
  std::optional<std::string> date;
  std::optional<std::string> type;
  std::optional<std::vector<std::string>> axes;
  std::optional<std::string> province;  // a province id (a sigla is accepted and resolved)
  std::optional<std::string> lang;
  std::optional<std::string> module;
  std::optional<std::string> description;
};

inline constexpr std::string_view kSidecarSuffix = ".meta.json";

bool IsSidecarPath(std::string_view path);

Result<Sidecar> ParseSidecar(std::string_view json, const std::string& origin);

// The sidecar of `path` (path + ".meta.json"): nullopt when there is none, an error when
// it exists but is malformed.
Result<std::optional<Sidecar>> ReadSidecarFor(const std::string& path);

}  // namespace correlare::indexer
