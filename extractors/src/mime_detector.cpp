#include "extractors/mime_detector.h"

#include <algorithm>
#include <cctype>
#include <regex>

#include <magic.h>

namespace correlare::extractors {
namespace {

// libmagic looks at the start of a file; a larger buffer only slows its text checks.
constexpr size_t kMagicSample = 1 << 20;

// One libmagic handle per thread: handles are not safe to share (Recoll does the same).
class MagicHandle {
 public:
  MagicHandle() : cookie_(magic_open(MAGIC_MIME_TYPE | MAGIC_ERROR)) {
    if (cookie_ != nullptr && magic_load(cookie_, nullptr) != 0) {
      magic_close(cookie_);
      cookie_ = nullptr;
    }
  }
  ~MagicHandle() {
    if (cookie_ != nullptr) magic_close(cookie_);
  }
  MagicHandle(const MagicHandle&) = delete;
  MagicHandle& operator=(const MagicHandle&) = delete;

  std::string Detect(std::string_view bytes) {
    if (cookie_ == nullptr) return "application/octet-stream";
    const char* type = magic_buffer(cookie_, bytes.data(), std::min(bytes.size(), kMagicSample));
    return type == nullptr ? "application/octet-stream" : type;
  }

 private:
  magic_t cookie_;
};

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string Extension(std::string_view file_name) {
  size_t slash = file_name.find_last_of('/');
  std::string_view base = slash == std::string_view::npos ? file_name : file_name.substr(slash + 1);
  size_t dot = base.find_last_of('.');
  return dot == std::string_view::npos ? "" : Lower(base.substr(dot + 1));
}

std::string_view SkipBomAndSpace(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
    text.remove_prefix(1);
  }
  return text;
}

bool LooksLikeSrt(std::string_view text) {
  static const std::regex kFirstCue(
      R"(^\d+[ \t]*\r?\n[ \t]*\d{1,2}:\d{2}:\d{2}[,.]\d{1,3}[ \t]*-->)");
  std::string head(SkipBomAndSpace(text).substr(0, 256));
  return std::regex_search(head, kFirstCue);
}

bool LooksLikeHtml(std::string_view text) {
  std::string head = Lower(SkipBomAndSpace(text).substr(0, 4096));
  return head.find("<html") != std::string::npos || head.find("<!doctype html") != std::string::npos;
}

}  // namespace

std::string DetectMime(std::string_view bytes, std::string_view file_name) {
  thread_local MagicHandle magic;
  std::string mime = magic.Detect(bytes);
  std::string ext = Extension(file_name);

  if (mime.rfind("text/", 0) == 0) {
    std::string_view content = SkipBomAndSpace(bytes);
    if (content.substr(0, 6) == "WEBVTT") return "text/vtt";
    if (LooksLikeSrt(bytes)) return "application/x-subrip";
    if (mime == "text/xml" && LooksLikeHtml(bytes)) return "text/html";
    if (mime == "text/plain" && (ext == "html" || ext == "htm") && LooksLikeHtml(bytes)) {
      return "text/html";
    }
  }
  // ZIP files that libmagic could not place more precisely: office files whose first
  // entry is not the one libmagic expects. The extension is a hint the content confirms
  // later (the office extractors fail cleanly on a plain ZIP).
  if (mime == "application/zip" || mime == "application/octet-stream") {
    static const std::pair<const char*, const char*> kOfficeByExtension[] = {
        {"docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
        {"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
        {"pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"},
        {"odt", "application/vnd.oasis.opendocument.text"},
        {"ods", "application/vnd.oasis.opendocument.spreadsheet"},
        {"odp", "application/vnd.oasis.opendocument.presentation"},
    };
    if (bytes.substr(0, 4) == std::string_view("PK\x03\x04", 4)) {
      for (const auto& [extension, office_mime] : kOfficeByExtension) {
        if (ext == extension &&
            bytes.substr(0, kMagicSample).find(ext[0] == 'o' ? "mimetype" : "[Content_Types].xml") !=
                std::string_view::npos) {
          return office_mime;
        }
      }
    }
  }
  return mime;
}

}  // namespace correlare::extractors
