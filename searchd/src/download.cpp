#include "download.h"

#include <charconv>
#include <optional>

#include "utf8.h"

namespace correlare::searchd {
namespace {

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

std::optional<uint64_t> Number(std::string_view digits) {
  if (digits.empty()) return std::nullopt;
  uint64_t value = 0;
  auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (error != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
  return value;
}

bool IsTokenChar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$&-^_.+").find(c) != std::string_view::npos;
}

bool IsAttrChar(unsigned char c) {  // RFC 5987 attr-char: sent as is in filename*
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$&+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
}

}  // namespace

ByteRange ParseByteRange(std::string_view header, uint64_t size) {
  ByteRange whole;
  header = Trim(header);
  constexpr std::string_view kUnit = "bytes=";
  if (header.size() < kUnit.size()) return whole;
  for (size_t i = 0; i < kUnit.size(); ++i) {
    char c = header[i];
    if ((c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c) != kUnit[i]) return whole;
  }
  std::string_view spec = Trim(header.substr(kUnit.size()));
  if (spec.find(',') != std::string_view::npos) return whole;
  size_t dash = spec.find('-');
  if (dash == std::string_view::npos) return whole;
  std::string_view from = Trim(spec.substr(0, dash));
  std::string_view to = Trim(spec.substr(dash + 1));
  ByteRange range;
  range.kind = ByteRange::kPart;
  if (from.empty()) {  // the last N bytes
    auto suffix = Number(to);
    if (!suffix) return whole;
    if (*suffix == 0 || size == 0) return {ByteRange::kUnsatisfiable, 0, 0};
    range.first = *suffix >= size ? 0 : size - *suffix;
    range.last = size - 1;
    return range;
  }
  auto first = Number(from);
  if (!first) return whole;
  std::optional<uint64_t> last = to.empty() ? std::optional<uint64_t>(UINT64_MAX) : Number(to);
  if (!last || *last < *first) return whole;
  if (*first >= size) return {ByteRange::kUnsatisfiable, 0, 0};
  range.first = *first;
  range.last = std::min(*last, size - 1);
  return range;
}

std::string ContentDisposition(std::string_view name, std::string_view fallback) {
  // Only the last path component: a name never names a folder.
  size_t slash = name.find_last_of("/\\");
  if (slash != std::string_view::npos) name = name.substr(slash + 1);
  std::string valid = ToValidUtf8(name);
  std::string clean;  // without control characters
  for (unsigned char c : valid) {
    if (c >= 0x20 && c != 0x7F) clean += static_cast<char>(c);
  }
  if (clean.empty() || clean == "." || clean == "..") clean = std::string(fallback);

  std::string ascii;
  for (size_t i = 0; i < clean.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(clean[i]);
    if (c >= 0x80) {
      // One '_' per character, not per byte.
      if ((c & 0xC0) != 0x80) ascii += '_';
    } else if (c == '"' || c == '\\' || c == '%' || c == ';') {
      ascii += '_';
    } else {
      ascii += static_cast<char>(c);
    }
  }
  std::string encoded;
  static const char kHex[] = "0123456789ABCDEF";
  for (unsigned char c : clean) {
    if (IsAttrChar(c)) {
      encoded += static_cast<char>(c);
    } else {
      encoded += '%';
      encoded += kHex[c >> 4];
      encoded += kHex[c & 0xF];
    }
  }
  return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
}

std::string SafeContentType(std::string_view mime) {
  size_t slash = mime.find('/');
  bool ok =
      slash != std::string_view::npos && slash > 0 && slash + 1 < mime.size() && mime.size() <= 127;
  for (size_t i = 0; ok && i < mime.size(); ++i) {
    ok = i == slash || IsTokenChar(mime[i]);
  }
  return ok ? std::string(mime) : "application/octet-stream";
}

}  // namespace correlare::searchd
