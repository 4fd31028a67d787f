// Helpers shared by the extractor tests: running the default registry on a file of the
// sample corpus or on bytes built in the test.
#pragma once

#include <string>

#include "extractors/registry.h"
#include "test_support.h"

namespace correlare::testing {

// Extracts corpus-samples/<relative> as the indexer would (MIME detected from content).
inline Result<extractors::ExtractedDocument> ExtractSample(const std::string& relative,
                                                           const extractors::Limits& limits = {}) {
  return extractors::ExtractorRegistry::WithDefaults()->ExtractFile(CorpusPath(relative).string(),
                                                                    limits);
}

// Extracts `bytes` as a file called `name`.
inline Result<extractors::ExtractedDocument> ExtractBytes(const std::string& bytes,
                                                          const std::string& name,
                                                          const extractors::Limits& limits = {}) {
  return extractors::ExtractorRegistry::WithDefaults()->Extract(bytes, name, limits);
}

inline bool Contains(const std::string& text, const std::string& needle) {
  return text.find(needle) != std::string::npos;
}

}  // namespace correlare::testing
