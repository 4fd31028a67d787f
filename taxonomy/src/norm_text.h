// Private to norm_citations.cpp: the little UTF-8 it needs (no ICU at this level) and the
// folded keys and regexes of curated norm names.
#pragma once

#include <string>
#include <string_view>

namespace correlare::taxonomy::norms {

// The code point at `pos` and its byte length; U+FFFD, length 1, for a bad sequence.
// REQUIRES: pos < s.size().
char32_t DecodeAt(std::string_view s, size_t pos, size_t* length);

// The code point that ends right before `pos`; 0 at the start of `s`.
char32_t DecodeBefore(std::string_view s, size_t pos);

bool IsAsciiAlnum(char32_t c);

// A letter or digit of any script, roughly: what a word boundary must not split.
bool IsWordCodePoint(char32_t c);

std::string AsciiLower(std::string_view s);

// The form names are compared in: lower case, no accents, any run of spaces and
// punctuation made one space ("Testo Unico sull’Immigrazione" -> "testo unico sull
// immigrazione", "Bossi-Fini" -> "bossi fini").
std::string NameKey(std::string_view s);

// An RE2 pattern (case-insensitive mode) that matches, in text as written, what has the
// name key `key`: accents optional, any spaces, apostrophes, dots or dashes between the
// words. Word boundaries are only partly in the pattern: RE2's \b knows ASCII only, so the
// caller checks them. REQUIRES: key is a non-empty NameKey() result.
std::string NamePattern(std::string_view key);

}  // namespace correlare::taxonomy::norms
