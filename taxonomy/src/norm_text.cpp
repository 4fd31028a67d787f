#include "norm_text.h"

namespace correlare::taxonomy::norms {

char32_t DecodeAt(std::string_view s, size_t pos, size_t* length) {
  auto byte = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
  unsigned char lead = byte(pos);
  size_t n = lead < 0x80           ? 1
             : (lead >> 5) == 0x6  ? 2
             : (lead >> 4) == 0xE  ? 3
             : (lead >> 3) == 0x1E ? 4
                                   : 0;
  if (n == 0 || pos + n > s.size()) {
    *length = 1;
    return 0xFFFD;
  }
  char32_t c = n == 1 ? lead : lead & (0x7F >> n);
  for (size_t i = 1; i < n; ++i) {
    if ((byte(pos + i) & 0xC0) != 0x80) {
      *length = 1;
      return 0xFFFD;
    }
    c = (c << 6) | (byte(pos + i) & 0x3F);
  }
  *length = n;
  return c;
}

char32_t DecodeBefore(std::string_view s, size_t pos) {
  if (pos == 0) return 0;
  size_t start = pos - 1;
  while (start > 0 && pos - start < 4 && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80) {
    --start;
  }
  size_t length = 0;
  char32_t c = DecodeAt(s, start, &length);
  return start + length == pos ? c : 0xFFFD;
}

bool IsAsciiAlnum(char32_t c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool IsWordCodePoint(char32_t c) {
  if (c < 0x80) return IsAsciiAlnum(c);
  if (c == 0xAA || c == 0xB5 || c == 0xBA) return true;
  if (c < 0xC0 || c == 0xD7 || c == 0xF7 || c == 0xFFFD) return false;
  if (c >= 0x2000 && c <= 0x2BFF) return false;  // punctuation, symbols, arrows
  if (c >= 0x3000 && c <= 0x303F) return false;  // CJK punctuation
  if (c >= 0xFE00 && c <= 0xFE6F) return false;  // variation selectors, small forms
  if (c >= 0xFF00 && c <= 0xFF0F) return false;  // fullwidth punctuation
  return true;
}

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return out;
}

namespace {

// The unaccented lower-case ASCII letter of a Latin-1 letter ("È" -> 'e'), else 0.
char FoldLatin1(char32_t c) {
  static constexpr std::string_view kFolds =
      "aaaaaaaceeeeiiiidnooooo_ouuuuy_s"   // U+00C0..U+00DF
      "aaaaaaaceeeeiiiidnooooo_ouuuuy_y";  // U+00E0..U+00FF
  if (c < 0xC0 || c > 0xFF) return 0;
  char folded = kFolds[c - 0xC0];
  return folded == '_' ? 0 : folded;
}

// The letters NameKey folds accents into, and what each matches in text (RE2 adds the
// upper case). Must agree with FoldLatin1.
std::string_view AccentClass(char c) {
  switch (c) {
    case 'a':
      return "[aàáâãäåæ]";
    case 'c':
      return "[cç]";
    case 'd':
      return "[dð]";
    case 'e':
      return "[eèéêë]";
    case 'i':
      return "[iìíîï]";
    case 'n':
      return "[nñ]";
    case 'o':
      return "[oòóôõöø]";
    case 's':
      return "[sß]";
    case 'u':
      return "[uùúûü]";
    case 'y':
      return "[yýÿ]";
    default:
      return {};
  }
}

}  // namespace

std::string NameKey(std::string_view s) {
  std::string key;
  bool pending_space = false;
  auto append = [&](std::string_view piece) {
    if (pending_space && !key.empty()) key += ' ';
    pending_space = false;
    key += piece;
  };
  for (size_t i = 0; i < s.size();) {
    size_t length = 0;
    char32_t c = DecodeAt(s, i, &length);
    if (IsAsciiAlnum(c)) {
      char lower = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
      append(std::string_view(&lower, 1));
    } else if (char folded = FoldLatin1(c)) {
      append(std::string_view(&folded, 1));
    } else if (IsWordCodePoint(c)) {
      append(s.substr(i, length));  // another script: kept as written
    } else {
      pending_space = true;
    }
    i += length;
  }
  return key;
}

std::string NamePattern(std::string_view key) {
  static constexpr std::string_view kSeparator =
      R"([\s\x{a0}\x{202f}'\x{2018}\x{2019}.\-\x{2010}-\x{2014}]+)";
  // \b is right only at an edge that can match nothing but an ASCII character.
  auto ascii_edge = [](char c) {
    return IsAsciiAlnum(static_cast<unsigned char>(c)) && AccentClass(c).empty();
  };
  std::string pattern;
  if (ascii_edge(key.front())) pattern += R"(\b)";
  for (char c : key) {
    if (c == ' ') {
      pattern += kSeparator;
    } else if (std::string_view cls = AccentClass(c); !cls.empty()) {
      pattern += cls;
    } else {
      pattern += c;  // an ASCII letter or digit, or a byte of another script's letter
    }
  }
  if (ascii_edge(key.back())) pattern += R"(\b)";
  return pattern;
}

}  // namespace correlare::taxonomy::norms
