// The one JSON form of an ExtractedDocument (RapidJSON). It is what
// `correlare-indexer extract` prints and what the extraction worker sends its parent.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"
#include "extractors/document.h"

namespace correlare::extractors {

// Serialises `doc` with all its members. `include_text` false leaves out the text
// (a "text_bytes" count stands in its place).
std::string DocumentToJson(const ExtractedDocument& doc, bool pretty, bool include_text = true);

// Inverse of DocumentToJson (with text). Fails with kCorrupt on malformed input.
Result<ExtractedDocument> DocumentFromJson(std::string_view json);

// {"status": "...", "message": "..."} pairs for a failed extraction.
std::string FailureToJson(const std::string& file_name, const Status& status, bool pretty);

}  // namespace correlare::extractors
