#include "indexer/sidecar.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include "taxonomy/vocabulary.h"

namespace correlare::indexer {
namespace {

Status Bad(const std::string& origin, const std::string& what) {
  return Status(StatusCode::kInvalidArgument, origin + ": " + what);
}

bool ValidDate(const std::string& date) {
  auto digits = [&](size_t from, size_t n) {
    for (size_t i = from; i < from + n; ++i) {
      if (i >= date.size() || !std::isdigit(static_cast<unsigned char>(date[i]))) return false;
    }
    return true;
  };
  if (date.size() == 4) return digits(0, 4);
  if (date.size() != 10 || date[4] != '-' || date[7] != '-') return false;
  if (!digits(0, 4) || !digits(5, 2) || !digits(8, 2)) return false;
  int month = std::stoi(date.substr(5, 2));
  int day = std::stoi(date.substr(8, 2));
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

}  // namespace

bool IsSidecarPath(std::string_view path) {
  return path.size() > kSidecarSuffix.size() &&
         path.substr(path.size() - kSidecarSuffix.size()) == kSidecarSuffix;
}

Result<Sidecar> ParseSidecar(std::string_view json, const std::string& origin) {
  rapidjson::Document doc;
  doc.Parse(json.data(), json.size());
  if (doc.HasParseError()) {
    return Bad(origin, std::string("invalid JSON at offset ") +
                           std::to_string(doc.GetErrorOffset()) + ": " +
                           rapidjson::GetParseError_En(doc.GetParseError()));
  }
  if (!doc.IsObject()) return Bad(origin, "must hold a JSON object");
  Sidecar sidecar;
  for (const auto& member : doc.GetObject()) {
    std::string key(member.name.GetString(), member.name.GetStringLength());
    const auto& value = member.value;
    auto text = [&]() -> Result<std::string> {
      if (!value.IsString()) return Bad(origin, "\"" + key + "\" must be a string");
      return std::string(value.GetString(), value.GetStringLength());
    };
    auto list = [&]() -> Result<std::vector<std::string>> {
      if (!value.IsArray()) return Bad(origin, "\"" + key + "\" must be an array of strings");
      std::vector<std::string> out;
      for (const auto& item : value.GetArray()) {
        if (!item.IsString()) return Bad(origin, "\"" + key + "\" must be an array of strings");
        out.emplace_back(item.GetString(), item.GetStringLength());
      }
      return out;
    };
    if (key == "title" || key == "module" || key == "description" || key == "lang" ||
        key == "date" || key == "type" || key == "province") {
      auto v = text();
      if (!v.ok()) return v.status();
      std::string s = v.value();
      if (key == "title") sidecar.title = s;
      else if (key == "module") sidecar.module = s;
      else if (key == "description") sidecar.description = s;
      else if (key == "lang") {
        std::transform(s.begin(), s.end(), s.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        if (s.size() < 2 || s.size() > 3 ||
            !std::all_of(s.begin(), s.end(), [](char c) { return c >= 'a' && c <= 'z'; })) {
          return Bad(origin, "\"lang\" must be an ISO 639-1 code, not '" + s + "'");
        }
        sidecar.lang = s;
      } else if (key == "date") {
        if (!ValidDate(s)) return Bad(origin, "\"date\" must be YYYY or YYYY-MM-DD, not '" + s + "'");
        sidecar.date = s;
      } else if (key == "type") {
        if (!taxonomy::IsDocumentType(s)) return Bad(origin, "unknown type '" + s + "'");
        sidecar.type = s;
      } else {
        auto province = taxonomy::ResolveProvince(s);
        if (!province) return Bad(origin, "unknown province '" + s + "'");
        sidecar.province = *province;
      }
    } else if (key == "authors" || key == "axes") {
      auto v = list();
      if (!v.ok()) return v.status();
      if (key == "axes") {
        for (const auto& axis : v.value()) {
          if (!taxonomy::IsAxis(axis)) return Bad(origin, "unknown axis '" + axis + "'");
        }
        sidecar.axes = v.value();
      } else {
        sidecar.authors = v.value();
      }
    } else {
      return Bad(origin, "unknown key \"" + key + "\"");
    }
  }
  return sidecar;
}

Result<std::optional<Sidecar>> ReadSidecarFor(const std::string& path) {
  std::string sidecar_path = path + std::string(kSidecarSuffix);
  std::error_code error;
  if (!std::filesystem::is_regular_file(sidecar_path, error)) return std::optional<Sidecar>();
  std::ifstream in(sidecar_path, std::ios::binary);
  if (!in) return Status(StatusCode::kIoError, "cannot read " + sidecar_path);
  std::stringstream bytes;
  bytes << in.rdbuf();
  auto parsed = ParseSidecar(bytes.str(), sidecar_path);
  if (!parsed.ok()) return parsed.status();
  return std::optional<Sidecar>(parsed.value());
}

}  // namespace correlare::indexer
