#include "web_files.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <system_error>
#include <utility>

namespace correlare::searchd {
namespace fs = std::filesystem;
namespace {

bool IsSafeSegment(std::string_view segment) {
  if (segment.empty() || segment.front() == '.') return false;  // ".", "..", hidden
  for (char c : segment) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

bool IsSafeRelativePath(std::string_view relative) {
  if (relative.empty()) return false;
  size_t start = 0;
  while (true) {
    size_t slash = relative.find('/', start);
    std::string_view segment = relative.substr(start, slash - start);
    if (!IsSafeSegment(segment)) return false;
    if (slash == std::string_view::npos) return true;
    start = slash + 1;
  }
}

bool IsInside(const fs::path& root, const fs::path& path) {
  auto [root_end, path_at] = std::mismatch(root.begin(), root.end(), path.begin(), path.end());
  return root_end == root.end() && path_at != path.end();
}

Status NotFound() { return Status(StatusCode::kNotFound, "no such file"); }

}  // namespace

std::string WebContentType(std::string_view name) {
  static const std::pair<std::string_view, std::string_view> kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".woff2", "font/woff2"},
      {".woff", "font/woff"},
      {".ttf", "font/ttf"},
      {".pfb", "application/octet-stream"},  // pdf.js standard fonts
      {".json", "application/json; charset=utf-8"},
      {".wasm", "application/wasm"},
      {".txt", "text/plain; charset=utf-8"},
  };
  for (const auto& [extension, type] : kTypes) {
    if (name.size() > extension.size() &&
        name.substr(name.size() - extension.size()) == extension) {
      return std::string(type);
    }
  }
  return "";
}

Result<WebFile> ResolveWebFile(const std::string& root, std::string_view relative) {
  if (!IsSafeRelativePath(relative)) return NotFound();
  std::string type = WebContentType(relative);
  if (type.empty()) return NotFound();
  std::error_code error;
  fs::path canonical_root = fs::canonical(root, error);
  if (error) return NotFound();  // the daemon warns at start when the root is missing
  fs::path path = fs::canonical(canonical_root / fs::path(relative), error);
  if (error || !IsInside(canonical_root, path)) return NotFound();
  fs::file_status status = fs::status(path, error);
  if (error || !fs::is_regular_file(status)) return NotFound();
  uint64_t size = fs::file_size(path, error);
  if (error) return NotFound();
  auto modified = fs::last_write_time(path, error);
  if (error) return NotFound();
  WebFile file;
  file.path = path.string();
  file.size = size;
  file.content_type = std::move(type);
  auto nanoseconds = std::chrono::duration_cast<std::chrono::nanoseconds>(
      std::chrono::file_clock::to_sys(modified).time_since_epoch());
  file.etag = "\"" + std::to_string(size) + "-" + std::to_string(nanoseconds.count()) + "\"";
  return file;
}

}  // namespace correlare::searchd
