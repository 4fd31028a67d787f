// Text helpers shared by extractors: charset conversion, UTF-8 repair, Unicode
// normalisation (ICU), whitespace tidying, language identification (CLD2).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace correlare::extractors {

// Converts `bytes` from `charset` (any name ICU knows: "windows-1252", "ISO-8859-1",
// "UTF-16LE"...) to UTF-8. Unconvertible bytes become U+FFFD. An unknown charset
// name is treated as UTF-8.
std::string ToUtf8(std::string_view bytes, const std::string& charset);

// Guesses the charset of `bytes` (BOM, then valid UTF-8, then uchardet). Never empty:
// falls back to "windows-1252", the usual charset of Italian office text.
std::string DetectCharset(std::string_view bytes);

// Valid UTF-8 in, valid UTF-8 out: invalid sequences become U+FFFD, then NFC.
std::string RepairAndNormalize(std::string_view utf8);

// True when `bytes` is entirely valid UTF-8.
bool IsValidUtf8(std::string_view bytes);

// Collapses runs of spaces and tabs, trims each line, and keeps at most one empty line
// between paragraphs.
std::string TidyWhitespace(std::string_view text);

// Appends `piece` to `out`, stopping at `max_bytes` on a UTF-8 boundary. Returns false
// when it had to cut.
bool AppendBounded(std::string& out, std::string_view piece, uint64_t max_bytes);

// ISO 639-1 code of the main language of `text`, or "" when unreliable or too short.
// `hint` (e.g. "it", from the file's own declaration) breaks ties.
std::string DetectLanguage(std::string_view text, std::string_view hint = "");

}  // namespace correlare::extractors
