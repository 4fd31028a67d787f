// ExtractedDocument: what an extractor makes of one file (or one member of a bundle).
// Every string is valid UTF-8 once the registry has post-processed it; byte offsets
// index into `text`.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "common/status.h"

namespace correlare::extractors {

// Page `number` (1-based) starts at byte `offset` of the text.
struct PageBreak {
  int number = 0;
  uint64_t offset = 0;
};

// A timed cue of a transcript: its text is text[offset, offset + length).
struct Cue {
  int64_t start_ms = 0;
  int64_t end_ms = 0;
  uint64_t offset = 0;
  uint64_t length = 0;
};

struct ExtractedDocument {
  // Path inside the enclosing bundle ("materiali/scheda.pdf"); empty at top level.
  std::string member_path;
  std::string file_name;       // the original file name (or the member's base name)
  std::string content_id;      // common/content_id.h of the bytes (top level and members)
  std::string mime;            // detected from content
  uint64_t size = 0;           // bytes of the original

  std::string title;           // metadata, else first heading, else file name
  std::string title_source;    // "metadata", "heading" or "filename"
  std::string heading;         // first heading seen by the extractor, if any
  std::vector<std::string> authors;
  std::string date;            // "YYYY" or "YYYY-MM-DD", empty when unknown
  std::string lang;            // ISO 639-1, detected from the text ("" when unknown)
  std::string declared_lang;   // what the file says of itself (html lang, dc:language)

  std::string text;            // UTF-8, NFC
  bool text_truncated = false; // text was cut at Limits::max_text_bytes

  // Other metadata by name: "subject", "keywords", "description", "creator",
  // "producer", "charset", "pages", "slides", "sheets", "encrypted"...
  std::map<std::string, std::string> metadata;

  std::vector<PageBreak> pages;  // paged formats: PDF pages, slides
  std::vector<Cue> cues;         // SRT / VTT

  // Non-fatal problems ("member skipped: too deep"), in the order met.
  std::vector<std::string> warnings;

  // Bundles (ZIP, TAR): one document per member, recursively. A member that could not be
  // extracted is present with a non-OK `status` and no text.
  std::vector<ExtractedDocument> members;
  Status status;  // OK for the document itself; a member's failure otherwise
};

}  // namespace correlare::extractors
