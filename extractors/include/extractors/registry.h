// ExtractorRegistry: MIME type -> extractor, plus the steps every format shares
// (detection by content, Unicode repair and NFC, title fallback, language detection).
//
// Thread safety: after construction, Extract() may be called from many threads at once.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "extractors/document.h"
#include "extractors/extractor.h"
#include "extractors/limits.h"

namespace correlare::extractors {

class ExtractorRegistry {
 public:
  ExtractorRegistry() = default;
  ExtractorRegistry(const ExtractorRegistry&) = delete;
  ExtractorRegistry& operator=(const ExtractorRegistry&) = delete;
  ExtractorRegistry(ExtractorRegistry&&) = default;
  ExtractorRegistry& operator=(ExtractorRegistry&&) = default;

  // A registry with every built-in extractor (see AddDefaultExtractors in registry.cpp:
  // the one place to register a new format).
  static std::unique_ptr<ExtractorRegistry> WithDefaults();

  // Takes ownership. A later extractor for the same MIME type replaces an earlier one.
  void Add(std::unique_ptr<Extractor> extractor);

  // nullptr when no extractor takes `mime`.
  const Extractor* Find(std::string_view mime) const;

  // Every MIME type with the name of its extractor, for --help and docs.
  std::map<std::string, std::string> Formats() const;

  // Detects the type of `bytes`, extracts, then post-processes the result and its
  // members. `file_name` is a hint for detection and the fallback title. Members of
  // bundles (depth > 0) are handed to `sink` when one is given.
  Result<ExtractedDocument> Extract(std::string_view bytes, const std::string& file_name,
                                    const Limits& limits, int depth = 0,
                                    MemberSink* sink = nullptr) const;

  // Reads the file (refusing one over limits.max_file_bytes) and calls Extract().
  Result<ExtractedDocument> ExtractFile(const std::string& path, const Limits& limits,
                                        MemberSink* sink = nullptr) const;

 private:
  std::vector<std::unique_ptr<Extractor>> extractors_;
  std::map<std::string, const Extractor*, std::less<>> by_mime_;
};

}  // namespace correlare::extractors
