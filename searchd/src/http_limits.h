// The limits of correlare-searchd's HTTP side (documented in docs/api.md, "Limits").
// Each one answers with the SPEC's JSON error, never with a dropped connection.
#pragma once

#include <cstddef>
#include <cstdint>

namespace correlare::searchd {

// A request line's target longer than this is a 414. (Poco itself stops reading at
// 16 KiB; that case is a 414 too, see http_connection.cpp.)
inline constexpr size_t kMaxUriBytes = 8192;
// No endpoint takes a body; a body larger than this is a 413 (smaller ones are read
// and ignored, so that the connection can be kept alive).
inline constexpr uint64_t kMaxBodyBytes = 1 << 20;
// More query-string parameters than this is a 400.
inline constexpr size_t kMaxParameters = 64;
// The longest `q` (bytes of UTF-8, after percent-decoding).
inline constexpr size_t kMaxQueryBytes = 500;
// The largest `page` accepted (paging past the last result is an empty page, not an error).
inline constexpr int kMaxPage = 1000000;
inline constexpr int kMaxPerPage = 100;

}  // namespace correlare::searchd
