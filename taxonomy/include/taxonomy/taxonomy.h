// Taxonomy: the curated vocabulary of taxonomy/taxonomy.json (format: docs/taxonomy.md)
// — axes with sub-themes, provinces, document types, each with the evidence that
// signals it; query-time synonyms; the main norms; the history of edits.
//
// A Taxonomy is a plain value: load it, read it, edit a copy (editor.h), save
// it. Load() either returns a whole, valid taxonomy or an error naming the line.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "taxonomy/norm_citations.h"

namespace correlare::taxonomy {

struct Phrase {
  std::string text;
  double weight = 1.0;
};

struct Pattern {
  std::string regex;  // RE2 syntax, matched case-insensitively
  double weight = 1.0;
  std::string note;
};

// An axis or a sub-theme (any depth below an axis), or a province or document type
// (those have no children and no patterns).
struct Term {
  std::string id;
  std::string label;
  std::string label_en;
  std::string sigla;  // provinces only
  std::vector<Phrase> phrases;
  std::vector<Pattern> patterns;
  std::vector<std::string> exclude;
  std::vector<Term> children;
};

struct HistoryEntry {
  std::string when;  // ISO 8601, UTC
  std::string who;
  std::string what;
};

struct TaggingSettings {
  double axis_threshold = 4.0;  // an axis needs at least this score
  // ... and at least this share of the best axis's score: an axis far below the best
  // one is mentioned in passing, not what the document is about.
  double axis_relative_cut = 0.4;
  double title_weight = 3.0;    // a match in the title counts this many times
  double heading_weight = 2.0;  // a match in a heading counts this many times
};

class Taxonomy {
 public:
  // Reads and validates a file. Errors name the file and, for JSON errors, the line and
  // column.
  static Result<Taxonomy> Load(const std::string& path);
  static Result<Taxonomy> Parse(std::string_view json, const std::string& origin);

  // Serialises (2-space indent, stable order) and writes atomically: a temporary file
  // in the same folder, fsync, rename.
  std::string ToJson() const;
  Status Save(const std::string& path) const;

  // Ids are well-formed and unique, every SPEC axis/province/type is present, labels
  // are not empty, no phrase repeats within a term, every pattern compiles.
  Status Validate() const;

  // Any term by id: axis, sub-theme, province or type. nullptr when unknown.
  const Term* Find(std::string_view id) const;
  Term* FindMutable(std::string_view id);
  // The axis a sub-theme belongs to ("decreto-flussi" -> "lavoro"); an axis is its own.
  // Empty when `id` is not an axis or sub-theme.
  std::string AxisOf(std::string_view id) const;
  // The parent of a sub-theme; empty for an axis or an unknown id.
  std::string ParentOf(std::string_view id) const;
  // "axis", "subtheme", "province", "type", or "" when unknown.
  std::string KindOf(std::string_view id) const;

  TaggingSettings settings;
  std::vector<Term> axes;
  std::vector<Term> provinces;
  std::vector<Term> types;
  std::vector<std::vector<std::string>> synonyms;
  std::vector<NormEntry> norms;
  std::vector<HistoryEntry> history;
};

}  // namespace correlare::taxonomy
