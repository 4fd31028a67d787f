// Tagger: tags a document by axis (and sub-theme), province, type and language, and
// says why — the same call that tags returns the evidence. Deterministic: the same
// input and taxonomy always give the same tags in the same order.
//
// Thread safety: a Tagger is immutable after construction; Tag() may be called from
// many threads at once. It keeps no reference to the Taxonomy it was built from.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "taxonomy/norm_citations.h"
#include "taxonomy/taxonomy.h"

namespace correlare::taxonomy {

// What the tagger reads of a document. It knows nothing of extractors: the indexer
// fills this from an extraction, its sidecar and the inbox folder.
struct TagInput {
  std::string title;
  std::vector<std::string> headings;
  std::string text;
  std::string mime;
  size_t cue_count = 0;   // timed cues (SRT/VTT)
  size_t page_count = 0;  // pages or slides
  std::string lang;       // detected by the extractor

  // Known from outside the text, in order of precedence for the province:
  // inbox folder > sidecar > text.
  std::string inbox_province;
  std::string sidecar_province;
  std::string sidecar_type;
  std::vector<std::string> sidecar_axes;
};

// One reason for a tag: a phrase or pattern of a term that matched, where and how often.
struct Evidence {
  std::string term;     // the term whose phrase matched (a sub-theme, say)
  std::string matched;  // the phrase as curated, or "/regex/"
  std::string zone;     // "title", "heading" or "text"
  int count = 0;
  double score = 0;
};

struct AxisTag {
  std::string axis;
  double score = 0;
  std::string source;                  // "text" or "metadata"
  std::vector<std::string> subthemes;  // tagged sub-themes of this axis, best first
  std::vector<Evidence> evidence;      // best first
};

struct SourcedTag {
  std::string value;   // an id, or "" when none
  std::string source;  // "inbox", "metadata", "structure", "text", "default"
  std::string reason;  // a sentence for people: "12 'Art.' sections, 4 norm citations"
  std::vector<Evidence> evidence;
};

struct Tags {
  std::vector<AxisTag> axes;  // best first
  SourcedTag province;
  SourcedTag type;
  std::string lang;
  std::vector<NormCitation> norms;  // one per distinct id, in order of first citation
};

class Tagger {
 public:
  explicit Tagger(const Taxonomy& taxonomy);
  ~Tagger();
  Tagger(const Tagger&) = delete;
  Tagger& operator=(const Tagger&) = delete;

  Tags Tag(const TagInput& input) const;

  const NormRecognizer& norms() const;

 private:
  struct Compiled;
  std::vector<NormCitation> NormsOf(const TagInput& input) const;
  // The type that the document's structure shows (cues, slides, articles, speaker
  // turns); an empty value when the structure says nothing.
  SourcedTag TypeFromStructure(const TagInput& input, size_t norm_citations) const;

  std::unique_ptr<Compiled> compiled_;
};

}  // namespace correlare::taxonomy
