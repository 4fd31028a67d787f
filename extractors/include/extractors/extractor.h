// Extractor: one narrow handler per format. It turns bytes known to be of its MIME
// types into an ExtractedDocument, and never throws: third-party exceptions are caught
// inside and returned as a Status naming the problem.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "extractors/document.h"
#include "extractors/limits.h"

namespace correlare::extractors {

class ExtractorRegistry;

// Receives the bytes of every member of a bundle, so that the caller can keep the
// originals (the indexer stores them, so a member can be downloaded on its own).
class MemberSink {
 public:
  virtual ~MemberSink() = default;
  // `content_id` is ContentId(bytes). A failure is reported as a warning of the member.
  virtual Status Keep(const std::string& content_id, std::string_view bytes) = 0;
};

struct ExtractInput {
  std::string_view bytes;        // the whole file; lives as long as the call
  std::string file_name;         // original name, a hint only
  std::string mime;              // detected by MimeDetector
  Limits limits;
  int depth = 0;                 // 0 for a top-level file, +1 per enclosing bundle
  // The registry that dispatched this call, so that a bundle can extract its members.
  const ExtractorRegistry* registry = nullptr;
  // Where bundle members' bytes go; nullptr: nowhere. Pass it on to registry->Extract.
  MemberSink* member_sink = nullptr;
};

class Extractor {
 public:
  virtual ~Extractor() = default;

  // Short stable name ("pdf", "ooxml", "html"...), shown in errors and --help.
  virtual std::string_view name() const = 0;
  // The MIME types this extractor takes.
  virtual std::vector<std::string> mime_types() const = 0;
  // Fills text, title/heading, authors, date, metadata, pages/cues, members. Need not
  // detect the language, normalise Unicode or choose a fallback title: the registry
  // does that for every format. Text must be UTF-8 (invalid bytes are repaired later,
  // but an extractor that knows the charset converts itself).
  virtual Result<ExtractedDocument> Extract(const ExtractInput& input) const = 0;
};

}  // namespace correlare::extractors
