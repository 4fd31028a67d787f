// The pieces of a file download that are easy to get wrong: the Range header
// (RFC 9110 §14), the Content-Disposition with the original name (RFC 6266 and 5987),
// and a Content-Type that cannot smuggle a header.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace correlare::searchd {

struct ByteRange {
  enum Kind {
    kWhole,          // no Range, or one this server ignores (malformed, several ranges)
    kPart,           // bytes first..last, both inclusive, inside the file
    kUnsatisfiable,  // a single range wholly past the end: 416
  };
  Kind kind = kWhole;
  uint64_t first = 0;
  uint64_t last = 0;
};

// Reads one "bytes=A-B", "bytes=A-" or "bytes=-N" range against a file of `size` bytes.
// A malformed header, another unit or several ranges serve the whole file, as RFC 9110
// allows.
ByteRange ParseByteRange(std::string_view header, uint64_t size);

// `attachment; filename="ASCII fallback"; filename*=UTF-8''percent-encoded`. Folders,
// control characters and quotes in `name` never reach the header; an empty name becomes
// `fallback`.
std::string ContentDisposition(std::string_view name, std::string_view fallback);

// `mime` when it is a plain "type/subtype" token pair, else application/octet-stream.
std::string SafeContentType(std::string_view mime);

}  // namespace correlare::searchd
