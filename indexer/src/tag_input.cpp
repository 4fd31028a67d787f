#include "indexer/tag_input.h"

#include <algorithm>

namespace correlare::indexer {
namespace {
// Tagging a bundle reads its members' text up to this much.
constexpr size_t kMaxBundleTagText = 1 << 20;
}  // namespace

taxonomy::TagInput MakeTagInput(const extractors::ExtractedDocument& doc, const SourceInfo& source,
                                const std::optional<Sidecar>& sidecar) {
  taxonomy::TagInput input;
  input.title = sidecar && sidecar->title ? *sidecar->title : doc.title;
  if (!doc.heading.empty() && doc.heading != input.title) input.headings.push_back(doc.heading);
  // A PDF's Subject or an office file's description says what the document is about as
  // well as a heading does.
  for (const char* key : {"subject", "description"}) {
    if (auto it = doc.metadata.find(key); it != doc.metadata.end() && !it->second.empty() &&
        std::find(input.headings.begin(), input.headings.end(), it->second) == input.headings.end()) {
      input.headings.push_back(it->second);
    }
  }
  if (sidecar && sidecar->description) input.headings.push_back(*sidecar->description);
  // A bundle's own text is the list of its members: what it is about is in them.
  input.text = doc.text;
  std::vector<const extractors::ExtractedDocument*> pending;
  for (const auto& member : doc.members) pending.push_back(&member);
  while (!pending.empty() && input.text.size() < kMaxBundleTagText) {
    const extractors::ExtractedDocument* member = pending.back();
    pending.pop_back();
    input.text += "\n\n" + member->title + "\n\n" + member->text;
    for (const auto& child : member->members) pending.push_back(&child);
  }
  input.mime = doc.mime;
  input.cue_count = doc.cues.size();
  input.page_count = doc.pages.size();
  input.lang = sidecar && sidecar->lang ? *sidecar->lang : doc.lang;
  input.inbox_province = source.province;
  input.sidecar_province = sidecar && sidecar->province ? *sidecar->province : source.province_hint;
  input.sidecar_type = sidecar && sidecar->type ? *sidecar->type : source.type_hint;
  if (sidecar && sidecar->axes) input.sidecar_axes = *sidecar->axes;
  return input;
}

}  // namespace correlare::indexer
