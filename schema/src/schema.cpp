#include "schema/schema.h"

#include <cctype>
#include <map>

namespace correlare::schema {
namespace {
constexpr char kSeparator = '\x1F';
}  // namespace

std::string PackValues(const std::vector<std::string>& values) {
  std::string packed;
  for (const auto& value : values) {
    if (!packed.empty()) packed += kSeparator;
    packed += value;
  }
  return packed;
}

std::vector<std::string> UnpackValues(std::string_view packed) {
  std::vector<std::string> values;
  size_t start = 0;
  while (start < packed.size()) {
    size_t end = packed.find(kSeparator, start);
    if (end == std::string_view::npos) end = packed.size();
    if (end > start) values.emplace_back(packed.substr(start, end - start));
    start = end + 1;
  }
  return values;
}

double DateNumber(std::string_view date) {
  auto digits = [&](size_t from, size_t count) {
    if (date.size() < from + count) return false;
    for (size_t i = from; i < from + count; ++i) {
      if (!std::isdigit(static_cast<unsigned char>(date[i]))) return false;
    }
    return true;
  };
  if (!digits(0, 4)) return 0;
  double number = std::stoi(std::string(date.substr(0, 4))) * 10000.0;
  if (date.size() >= 10 && date[4] == '-' && date[7] == '-' && digits(5, 2) && digits(8, 2)) {
    number += std::stoi(std::string(date.substr(5, 2))) * 100 + std::stoi(std::string(date.substr(8, 2)));
  }
  return number;
}

std::string StemmerLanguage(std::string_view lang) {
  static const std::map<std::string_view, std::string_view> kStemmers = {
      {"it", "italian"},  {"en", "english"},    {"fr", "french"},    {"es", "spanish"},
      {"pt", "portuguese"}, {"de", "german"},   {"ro", "romanian"},  {"nl", "dutch"},
      {"ru", "russian"},  {"ar", "arabic"},     {"sv", "swedish"},   {"da", "danish"},
      {"fi", "finnish"},  {"hu", "hungarian"},  {"no", "norwegian"}, {"tr", "turkish"},
  };
  if (lang.empty()) return "italian";
  auto it = kStemmers.find(lang);
  return it == kStemmers.end() ? "" : std::string(it->second);
}

}  // namespace correlare::schema
