// Limits that keep one hostile file from hurting the process that extracts it.
#pragma once

#include <cstdint>

namespace correlare::extractors {

struct Limits {
  uint64_t max_file_bytes = 512ull << 20;      // a larger file is refused unread
  uint64_t max_text_bytes = 16ull << 20;       // text past this is cut (text_truncated)
  int max_depth = 5;                           // bundles inside bundles
  int max_members = 10000;                     // members of one bundle, all depths
  uint64_t max_member_bytes = 256ull << 20;    // one member, uncompressed
  uint64_t max_expanded_bytes = 1ull << 30;    // all members of a bundle, uncompressed
  double max_expansion_ratio = 200.0;          // uncompressed / compressed, per bundle
  int timeout_seconds = 60;                    // wall clock, per file (worker)
  uint64_t memory_bytes = 2ull << 30;          // address space of the worker
};

}  // namespace correlare::extractors
