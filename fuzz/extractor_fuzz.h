// The body of every extractor fuzz target: the bytes go, in this process, to the
// extractor registered for one MIME type, as the worker hands them over after
// detection. (In production the worker process contains a crash; here a crash is a
// finding.)
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "extractors/registry.h"

namespace correlare::fuzz {

inline const extractors::ExtractorRegistry& Registry() {
  static const auto* registry = extractors::ExtractorRegistry::WithDefaults().release();
  return *registry;
}

// Limits small enough that a run spends its time parsing, not expanding bombs.
inline extractors::Limits FuzzLimits() {
  extractors::Limits limits;
  limits.max_text_bytes = 1 << 20;
  limits.max_member_bytes = 4 << 20;
  limits.max_expanded_bytes = 16 << 20;
  limits.max_members = 200;
  return limits;
}

inline int ExtractAs(std::string_view mime, const uint8_t* data, size_t size) {
  const extractors::Extractor* extractor = Registry().Find(mime);
  if (extractor == nullptr) std::abort();  // the target names a type nobody takes
  extractors::ExtractInput input;
  input.bytes = std::string_view(reinterpret_cast<const char*>(data), size);
  input.file_name = "fuzz";
  input.mime = std::string(mime);
  input.limits = FuzzLimits();
  input.registry = &Registry();
  auto result = extractor->Extract(input);
  (void)result;  // an error is a fine answer to garbage; only a crash or a leak is not
  return 0;
}

}  // namespace correlare::fuzz
