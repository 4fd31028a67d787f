// Norm citations: "D.Lgs. 286/1998", "d.lgs. n. 286/98", "decreto legislativo 25 luglio
// 1998, n. 286", "L. 47/2017", "DPR 394/1999", "art. 22, comma 2, del D.Lgs. 286/1998"
// are recognised in text and normalised to one identifier per norm ("dlgs-286-1998") and
// per article ("dlgs-286-1998/art-22"). Curated common names ("Testo Unico
// Immigrazione", "legge Zampa") find their norm too.
//
// Thread safety: a NormRecognizer is immutable after construction; Find() may be called
// from many threads at once.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace correlare::taxonomy {

// One curated norm of taxonomy.json's "norms".
struct NormEntry {
  std::string id;                  // "dlgs-286-1998"
  std::string label;               // "D.Lgs. 286/1998"
  std::string title;               // the official title, may be empty
  std::vector<std::string> names;  // "Testo Unico Immigrazione", "TUI"
};

struct NormCitation {
  std::string norm_id;   // "dlgs-286-1998"
  std::string article;   // "22", "5-bis", or "" when no article is attached
  std::string id;        // norm_id, or norm_id + "/art-" + article
  std::string label;     // canonical display: "D.Lgs. 286/1998", "D.Lgs. 286/1998, art. 22"
  uint64_t offset = 0;   // byte range of the citation in the text
  uint64_t length = 0;
};

class NormRecognizer {
 public:
  explicit NormRecognizer(std::vector<NormEntry> catalog = {});
  ~NormRecognizer();
  NormRecognizer(const NormRecognizer&) = delete;
  NormRecognizer& operator=(const NormRecognizer&) = delete;

  // Every citation in `text` (UTF-8), in text order. A citation with an article yields
  // one NormCitation whose id names the article; its norm_id names the norm.
  std::vector<NormCitation> Find(std::string_view text) const;

  // The norm (and article) a user means by `query`, as typed in `norma:"…"`: any citation
  // spelling, a bare identifier ("dlgs-286-1998"), or a curated name ("legge Zampa").
  // nullopt when it names no norm.
  std::optional<NormCitation> Resolve(std::string_view query) const;

  // Canonical display label of a norm id ("l-47-2017" -> "L. 47/2017"), the catalog's
  // label when it has one.
  std::string LabelOf(std::string_view norm_id) const;

  const std::vector<NormEntry>& catalog() const { return catalog_; }

 private:
  struct Impl;
  std::vector<NormEntry> catalog_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace correlare::taxonomy
