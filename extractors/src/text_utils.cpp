#include "extractors/text_utils.h"

#include <algorithm>
#include <cctype>
#include <memory>

#include <cld2/public/compact_lang_det.h>
#include <uchardet/uchardet.h>
#include <unicode/normalizer2.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

namespace correlare::extractors {
namespace {

constexpr char kReplacement[] = "\xEF\xBF\xBD";  // U+FFFD in UTF-8
// uchardet and CLD2 see enough of a text in its first part; a larger sample only costs.
constexpr size_t kDetectionSample = 256 * 1024;

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

bool HasC1Bytes(std::string_view bytes) {
  return std::any_of(bytes.begin(), bytes.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return u >= 0x80 && u <= 0x9F;
  });
}

// Drops control characters other than tab and newline, which no text format means.
bool IsUnwantedControl(UChar32 c) {
  return (c < 0x20 && c != '\t' && c != '\n') || c == 0x7F;
}

}  // namespace

bool IsValidUtf8(std::string_view bytes) {
  const auto* s = reinterpret_cast<const uint8_t*>(bytes.data());
  int32_t length = static_cast<int32_t>(std::min<size_t>(bytes.size(), INT32_MAX));
  int32_t i = 0;
  while (i < length) {
    UChar32 c;
    U8_NEXT(s, i, length, c);
    if (c < 0) return false;
  }
  return bytes.size() <= static_cast<size_t>(INT32_MAX);
}

std::string DetectCharset(std::string_view bytes) {
  if (bytes.size() >= 3 && bytes.substr(0, 3) == "\xEF\xBB\xBF") return "utf-8";
  if (bytes.size() >= 2 && bytes.substr(0, 2) == "\xFF\xFE") return "utf-16le";
  if (bytes.size() >= 2 && bytes.substr(0, 2) == "\xFE\xFF") return "utf-16be";
  std::string_view sample = bytes.substr(0, kDetectionSample);
  // A sample cut in the middle of a character is still UTF-8: allow 3 trailing bytes.
  std::string_view head = sample;
  if (sample.size() < bytes.size()) {
    size_t cut = sample.size();
    while (cut > 0 && sample.size() - cut < 4 &&
           (static_cast<unsigned char>(sample[cut - 1]) & 0xC0) == 0x80) {
      --cut;
    }
    if (cut > 0 && static_cast<unsigned char>(sample[cut - 1]) >= 0xC0) --cut;
    head = sample.substr(0, cut);
  }
  if (IsValidUtf8(head)) return "utf-8";

  std::string guess;
  uchardet_t detector = uchardet_new();
  if (uchardet_handle_data(detector, sample.data(), sample.size()) == 0) {
    uchardet_data_end(detector);
    guess = Lower(uchardet_get_charset(detector));
  }
  uchardet_delete(detector);
  // Latin-1 has no printable characters at 0x80-0x9F; text using them (curly quotes,
  // euro, dashes) is Windows-1252, which is how Italian office text is usually written.
  if (guess.empty() || guess == "ascii" || guess == "iso-8859-1" ||
      (guess.rfind("iso-8859-", 0) == 0 && HasC1Bytes(sample))) {
    return HasC1Bytes(sample) || guess.empty() ? "windows-1252" : guess;
  }
  return guess;
}

std::string ToUtf8(std::string_view bytes, const std::string& charset) {
  std::string name = Lower(charset);
  if (name.empty() || name == "utf-8" || name == "utf8" || name == "us-ascii" ||
      name == "ascii") {
    if (bytes.size() >= 3 && bytes.substr(0, 3) == "\xEF\xBB\xBF") bytes.remove_prefix(3);
    return RepairAndNormalize(bytes);
  }
  if (bytes.size() > static_cast<size_t>(INT32_MAX)) bytes = bytes.substr(0, INT32_MAX);
  icu::UnicodeString decoded(bytes.data(), static_cast<int32_t>(bytes.size()), name.c_str());
  if (decoded.isBogus()) return RepairAndNormalize(bytes);
  if (decoded.length() > 0 && decoded.charAt(0) == 0xFEFF) decoded.remove(0, 1);
  std::string out;
  decoded.toUTF8String(out);
  return RepairAndNormalize(out);
}

std::string RepairAndNormalize(std::string_view utf8) {
  // Pass 1: invalid sequences -> U+FFFD, unwanted controls dropped, CRLF/CR -> LF.
  std::string clean;
  clean.reserve(utf8.size());
  const auto* s = reinterpret_cast<const uint8_t*>(utf8.data());
  int32_t length = static_cast<int32_t>(std::min<size_t>(utf8.size(), INT32_MAX));
  int32_t i = 0;
  while (i < length) {
    int32_t start = i;
    UChar32 c;
    U8_NEXT(s, i, length, c);
    if (c < 0) {
      clean += kReplacement;
    } else if (c == '\r') {
      if (i >= length || s[i] != '\n') clean += '\n';
    } else if (!IsUnwantedControl(c)) {
      clean.append(utf8.data() + start, static_cast<size_t>(i - start));
    }
  }
  // Pass 2: NFC, skipped when the text already is (the common case).
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  if (U_FAILURE(status)) return clean;
  icu::UnicodeString text = icu::UnicodeString::fromUTF8(clean);
  if (nfc->isNormalized(text, status) || U_FAILURE(status)) return clean;
  status = U_ZERO_ERROR;
  icu::UnicodeString normalized = nfc->normalize(text, status);
  if (U_FAILURE(status)) return clean;
  std::string out;
  normalized.toUTF8String(out);
  return out;
}

std::string TidyWhitespace(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  int pending_newlines = 0;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    std::string tidy;
    bool in_space = false;
    for (char c : line) {
      if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
        in_space = true;
      } else {
        if (in_space && !tidy.empty()) tidy += ' ';
        in_space = false;
        tidy += c;
      }
    }
    if (tidy.empty()) {
      if (!out.empty()) pending_newlines = std::max(pending_newlines, 2);
    } else {
      if (!out.empty()) out.append(static_cast<size_t>(std::max(pending_newlines, 1)), '\n');
      pending_newlines = 1;
      out += tidy;
    }
    pos = end + 1;
  }
  return out;
}

bool AppendBounded(std::string& out, std::string_view piece, uint64_t max_bytes) {
  if (out.size() >= max_bytes) return piece.empty();
  uint64_t room = max_bytes - out.size();
  if (piece.size() <= room) {
    out.append(piece);
    return true;
  }
  size_t cut = static_cast<size_t>(room);
  // Back up to the start of a UTF-8 character.
  while (cut > 0 && (static_cast<unsigned char>(piece[cut]) & 0xC0) == 0x80) --cut;
  out.append(piece.substr(0, cut));
  return false;
}

std::string DetectLanguage(std::string_view text, std::string_view hint) {
  std::string_view sample = text.substr(0, kDetectionSample);
  // Cut on a character boundary so CLD2 sees valid UTF-8.
  size_t cut = sample.size();
  while (cut < text.size() && cut > 0 &&
         (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) {
    --cut;
  }
  sample = sample.substr(0, cut);
  std::string fallback(hint.substr(0, hint.find_first_of("-_")));
  fallback = Lower(fallback);
  if (sample.size() < 16) return fallback;

  CLD2::Language languages[3];
  int percents[3];
  int text_bytes = 0;
  bool reliable = false;
  CLD2::Language top = CLD2::DetectLanguageSummary(
      sample.data(), static_cast<int>(sample.size()), /*is_plain_text=*/true, languages,
      percents, &text_bytes, &reliable);
  if (top == CLD2::UNKNOWN_LANGUAGE || top == CLD2::TG_UNKNOWN_LANGUAGE) return fallback;
  std::string code = CLD2::LanguageCode(top);
  code = Lower(code.substr(0, code.find('-')));
  if (!reliable && !fallback.empty()) return fallback;
  if (code.size() != 2) return fallback;
  return code;
}

}  // namespace correlare::extractors
