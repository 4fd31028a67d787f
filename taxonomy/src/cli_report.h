// What correlare-taxonomy prints: the taxonomy as a tree, one term in full, the history,
// and the tags of a document with their evidence (as text for people, or as JSON).
// Private to the program; the library knows nothing of how it is shown.
#pragma once

#include <string>
#include <vector>

#include "taxonomy/tagger.h"
#include "taxonomy/taxonomy.h"

namespace correlare::taxonomy::cli {

// Axes with their sub-theme tree, provinces, types: id, label, phrase count.
std::string FormatList(const Taxonomy& taxonomy);

// Labels, kind, parent, phrases with weights, patterns, exclusions, sub-themes.
// REQUIRES: `id` names a term of `taxonomy`.
std::string FormatTerm(const Taxonomy& taxonomy, const std::string& id);

// One line per edit: when, who, what.
std::string FormatHistory(const Taxonomy& taxonomy);

// One tagged document (or bundle member) for `correlare-taxonomy test`.
struct TaggedDocument {
  std::string name;  // the file, the member path, or "-" for standard input
  std::string title;
  std::string mime;
  std::string error;  // a member that could not be extracted: why; then `tags` is empty
  Tags tags;
  std::vector<TaggedDocument> members;
};

std::string FormatTags(const TaggedDocument& doc, const Taxonomy& taxonomy);
std::string TagsToJson(const TaggedDocument& doc, const Taxonomy& taxonomy);

}  // namespace correlare::taxonomy::cli
