// MIME detection by content with libmagic; the file name is only a hint, used where
// content alone cannot tell (SRT is "text/plain" to libmagic). libmagic handles are not
// thread-safe, so each thread gets its own.
#pragma once

#include <string>
#include <string_view>

namespace correlare::extractors {

// Returns a MIME type such as "application/pdf", "text/vtt", "application/x-subrip",
// or "application/octet-stream" when nothing better is known.
std::string DetectMime(std::string_view bytes, std::string_view file_name);

}  // namespace correlare::extractors
