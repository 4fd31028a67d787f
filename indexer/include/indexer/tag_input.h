// What the tagger is given for a document: its extraction, its sidecar (which wins
// over what was detected) and where it came from (the inbox folder wins over both for
// the province). The one place that decides it, for the index and for the tests that
// measure tagging.
#pragma once

#include <optional>

#include "extractors/document.h"
#include "indexer/repository.h"
#include "indexer/sidecar.h"
#include "taxonomy/tagger.h"

namespace correlare::indexer {

taxonomy::TagInput MakeTagInput(const extractors::ExtractedDocument& doc, const SourceInfo& source,
                                const std::optional<Sidecar>& sidecar);

}  // namespace correlare::indexer
