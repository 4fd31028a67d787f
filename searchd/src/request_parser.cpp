#include "request_parser.h"

#include <algorithm>
#include <charconv>
#include <optional>

#include "http_limits.h"
#include "taxonomy/vocabulary.h"
#include "utf8.h"

namespace correlare::searchd {
namespace {

Status Invalid(std::string message) {
  return Status(StatusCode::kInvalidArgument, std::move(message));
}

// A value as it may be quoted back in an error message: short, and valid UTF-8 once
// the JSON codec has seen it.
std::string Quoted(std::string_view value) {
  constexpr size_t kShown = 60;
  if (value.size() <= kShown) return "'" + std::string(value) + "'";
  return "'" + std::string(value.substr(0, kShown)) + "…'";
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Result<std::string> Decode(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  for (size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (c == '+') {
      out += ' ';
    } else if (c == '%') {
      int high = i + 2 < raw.size() ? HexDigit(raw[i + 1]) : -1;
      int low = i + 2 < raw.size() ? HexDigit(raw[i + 2]) : -1;
      if (high < 0 || low < 0) return Invalid("malformed %-escape in the query string");
      out += static_cast<char>(high * 16 + low);
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

std::string AsciiLower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) {
    return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  });
  return out;
}

// A whole number in [min, max], digits only.
Result<int> ParseBounded(const std::string& name, const std::string& value, int min, int max) {
  int number = 0;
  const char* end = value.data() + value.size();
  auto [stop, error] = std::from_chars(value.data(), end, number);
  bool digits_only = !value.empty() && std::all_of(value.begin(), value.end(),
                                                   [](char c) { return c >= '0' && c <= '9'; });
  if (!digits_only || (error != std::errc() && error != std::errc::result_out_of_range) ||
      stop != end) {
    return Invalid(name + " must be a whole number, not " + Quoted(value));
  }
  if (error == std::errc::result_out_of_range || number < min || number > max) {
    return Invalid(name + " must be between " + std::to_string(min) + " and " +
                   std::to_string(max));
  }
  return number;
}

Status CheckText(const std::string& name, const std::string& value) {
  if (value.size() > kMaxQueryBytes) {
    return Invalid(name + " is longer than " + std::to_string(kMaxQueryBytes) + " bytes");
  }
  if (!IsValidUtf8(value)) return Invalid(name + " is not valid UTF-8");
  return Status::Ok();
}

// The facet id `value` names, or nullopt when it names none.
std::optional<std::string> FacetValue(const std::string& facet, const std::string& value) {
  std::string lower = AsciiLower(value);
  if (facet == "axis") return taxonomy::IsAxis(lower) ? std::optional(lower) : std::nullopt;
  if (facet == "type") {
    return taxonomy::IsDocumentType(lower) ? std::optional(lower) : std::nullopt;
  }
  if (facet == "province") return taxonomy::ResolveProvince(value);
  // lang: any ISO 639 code (two or three letters), not only the labelled ones.
  bool code = lower.size() >= 2 && lower.size() <= 3 &&
              std::all_of(lower.begin(), lower.end(), [](char c) { return c >= 'a' && c <= 'z'; });
  return code ? std::optional(lower) : std::nullopt;
}

std::vector<std::string>* FacetList(SearchRequest& request, const std::string& name) {
  if (name == "axis") return &request.axes;
  if (name == "province") return &request.provinces;
  if (name == "type") return &request.types;
  if (name == "lang") return &request.langs;
  return nullptr;
}

std::string FacetNoun(const std::string& name) { return name == "lang" ? "language" : name; }

Result<SortOrder> ParseSort(const std::string& value) {
  if (value == "relevance") return SortOrder::kRelevance;
  if (value == "date_desc") return SortOrder::kDateDesc;
  if (value == "date_asc") return SortOrder::kDateAsc;
  return Invalid("sort must be relevance, date_desc or date_asc, not " + Quoted(value));
}

}  // namespace

Result<std::vector<QueryParam>> ParseQueryString(std::string_view query) {
  std::vector<QueryParam> params;
  size_t start = 0;
  while (start <= query.size()) {
    size_t end = query.find('&', start);
    if (end == std::string_view::npos) end = query.size();
    std::string_view piece = query.substr(start, end - start);
    start = end + 1;
    if (piece.empty()) continue;
    if (params.size() == kMaxParameters) {
      return Invalid("more than " + std::to_string(kMaxParameters) + " parameters");
    }
    size_t eq = piece.find('=');
    auto name = Decode(piece.substr(0, eq));
    if (!name.ok()) return name.status();
    Result<std::string> value = std::string();
    if (eq != std::string_view::npos) value = Decode(piece.substr(eq + 1));
    if (!value.ok()) return value.status();
    params.push_back({std::move(name).value(), std::move(value).value()});
  }
  return params;
}

Result<SearchRequest> ParseSearchRequest(const std::vector<QueryParam>& params) {
  SearchRequest request;
  std::vector<std::string> seen;  // single-valued parameters already read
  for (const auto& [name, value] : params) {
    if (auto* list = FacetList(request, name)) {
      if (value.empty()) continue;
      auto id = FacetValue(name, value);
      if (!id) return Invalid("unknown " + FacetNoun(name) + " " + Quoted(value));
      if (std::find(list->begin(), list->end(), *id) == list->end()) list->push_back(*id);
      continue;
    }
    static const char* const kSingle[] = {"q", "year_from", "year_to", "sort", "page", "per_page"};
    if (std::find(std::begin(kSingle), std::end(kSingle), name) == std::end(kSingle)) continue;
    if (std::find(seen.begin(), seen.end(), name) != seen.end()) {
      return Invalid("parameter '" + name + "' is given more than once");
    }
    seen.push_back(name);
    if (name == "q") {
      Status checked = CheckText("q", value);
      if (!checked.ok()) return checked;
      request.q = value;
      continue;
    }
    if (value.empty()) continue;
    if (name == "sort") {
      auto sort = ParseSort(value);
      if (!sort.ok()) return sort.status();
      request.sort = sort.value();
      continue;
    }
    Result<int> number = name == "page"       ? ParseBounded(name, value, 1, kMaxPage)
                         : name == "per_page" ? ParseBounded(name, value, 1, kMaxPerPage)
                                              : ParseBounded(name, value, 0, 9999);
    if (!number.ok()) return number.status();
    if (name == "page") request.page = number.value();
    if (name == "per_page") request.per_page = number.value();
    if (name == "year_from") request.year_from = number.value();
    if (name == "year_to") request.year_to = number.value();
  }
  if (request.year_from && request.year_to && *request.year_from > *request.year_to) {
    return Invalid("year_from is after year_to");
  }
  return request;
}

Result<std::string> ParseSuggestPrefix(const std::vector<QueryParam>& params) {
  const std::string* prefix = nullptr;
  for (const auto& param : params) {
    if (param.name != "q") continue;
    if (prefix) return Invalid("parameter 'q' is given more than once");
    prefix = &param.value;
  }
  if (!prefix) return std::string();
  Status checked = CheckText("q", *prefix);
  if (!checked.ok()) return checked;
  return *prefix;
}

}  // namespace correlare::searchd
