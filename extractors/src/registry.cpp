#include "extractors/registry.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>

#include "builtin_extractors.h"
#include "common/content_id.h"
#include "extractors/mime_detector.h"
#include "extractors/text_utils.h"

namespace correlare::extractors {
namespace {

// libmagic names some plain texts after a format they only resemble (a man page's text
// as "application/vnd.hp-HPGL", a script as "application/javascript"): bytes with no
// NUL and almost no control characters in their first 64 KB are read as text.
bool LooksLikeText(std::string_view bytes) {
  std::string_view head = bytes.substr(0, 64 << 10);
  size_t control = 0;
  for (unsigned char c : head) {
    if (c == 0) return false;
    if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' && c != 0x1b) ++control;
  }
  return !head.empty() && control * 100 <= head.size();
}

// The one place where formats are registered. To add a format: write
// src/<format>_extractor.cpp with a Make…Extractor() factory, declare it in
// builtin_extractors.h, list the file in CMakeLists.txt and add it here.
void AddDefaultExtractors(ExtractorRegistry& registry) {
  registry.Add(MakePlainTextExtractor());
  registry.Add(MakeSubtitleExtractor());
  registry.Add(MakeHtmlExtractor());
  registry.Add(MakePdfExtractor());
  registry.Add(MakeOoxmlExtractor());
  registry.Add(MakeOdfExtractor());
  registry.Add(MakeArchiveExtractor());
}

std::string BaseName(const std::string& path) {
  size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string Stem(const std::string& file_name) {
  std::string base = BaseName(file_name);
  size_t dot = base.find_last_of('.');
  if (dot != std::string::npos && dot > 0) base = base.substr(0, dot);
  std::replace(base.begin(), base.end(), '_', ' ');
  return base;
}

std::string Trim(std::string_view s) {
  const char* space = " \t\n\r\f\v";
  size_t begin = s.find_first_not_of(space);
  if (begin == std::string_view::npos) return "";
  size_t end = s.find_last_not_of(space);
  return std::string(s.substr(begin, end - begin + 1));
}

// A one-line clean version of a metadata string: valid UTF-8, NFC, single spaces.
std::string CleanLine(std::string_view s) {
  std::string repaired = RepairAndNormalize(s);
  std::replace(repaired.begin(), repaired.end(), '\n', ' ');
  std::replace(repaired.begin(), repaired.end(), '\t', ' ');
  return TidyWhitespace(repaired);
}

// Titles that say nothing about the document, as office tools leave them.
bool IsPlaceholderTitle(const std::string& title) {
  static const char* kPlaceholders[] = {"untitled", "senza titolo", "documento1", "document1",
                                        "presentazione standard di powerpoint",
                                        "powerpoint presentation", "slide 1"};
  std::string lower = title;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (const char* placeholder : kPlaceholders) {
    if (lower == placeholder) return true;
  }
  return lower.rfind("microsoft word - ", 0) == 0;
}

// Repairs and NFC-normalises the text piecewise between every offset that pages and
// cues point at, so that the positions stay true after normalisation changes lengths.
void NormalizeKeepingPositions(ExtractedDocument& doc, uint64_t max_text_bytes) {
  std::set<uint64_t> cuts{0, doc.text.size()};
  for (const auto& page : doc.pages) cuts.insert(std::min<uint64_t>(page.offset, doc.text.size()));
  for (const auto& cue : doc.cues) {
    cuts.insert(std::min<uint64_t>(cue.offset, doc.text.size()));
    cuts.insert(std::min<uint64_t>(cue.offset + cue.length, doc.text.size()));
  }
  std::string out;
  out.reserve(doc.text.size());
  std::map<uint64_t, uint64_t> moved;  // old offset -> new offset
  uint64_t previous = 0;
  for (uint64_t cut : cuts) {
    if (cut > previous) {
      out += RepairAndNormalize(std::string_view(doc.text).substr(previous, cut - previous));
    }
    moved[cut] = out.size();
    previous = cut;
  }
  if (out.size() > max_text_bytes) {
    std::string capped;
    AppendBounded(capped, out, max_text_bytes);
    out = std::move(capped);
    doc.text_truncated = true;
  }
  auto remap = [&](uint64_t offset) {
    auto it = moved.find(std::min<uint64_t>(offset, doc.text.size()));
    return std::min<uint64_t>(it == moved.end() ? offset : it->second, out.size());
  };
  for (auto& page : doc.pages) page.offset = remap(page.offset);
  for (auto& cue : doc.cues) {
    uint64_t begin = remap(cue.offset);
    uint64_t end = remap(cue.offset + cue.length);
    cue.offset = begin;
    cue.length = end - begin;
  }
  doc.text = std::move(out);
}

void PostProcess(ExtractedDocument& doc, const std::string& file_name, const std::string& mime,
                 uint64_t size, const Limits& limits) {
  if (doc.file_name.empty()) doc.file_name = BaseName(file_name);
  if (doc.mime.empty()) doc.mime = mime;
  if (doc.size == 0) doc.size = size;

  NormalizeKeepingPositions(doc, limits.max_text_bytes);
  if (doc.text_truncated &&
      std::find_if(doc.warnings.begin(), doc.warnings.end(), [](const std::string& w) {
        return w.find("truncated") != std::string::npos;
      }) == doc.warnings.end()) {
    doc.warnings.push_back("text truncated at " + std::to_string(limits.max_text_bytes) +
                           " bytes");
  }

  doc.title = CleanLine(doc.title);
  doc.heading = CleanLine(doc.heading);
  for (auto& author : doc.authors) author = CleanLine(author);
  doc.authors.erase(std::remove(doc.authors.begin(), doc.authors.end(), std::string()),
                    doc.authors.end());
  for (auto& [key, value] : doc.metadata) value = RepairAndNormalize(value);

  if (!doc.title.empty() && !IsPlaceholderTitle(doc.title)) {
    doc.title_source = "metadata";
  } else if (!doc.heading.empty()) {
    doc.title = doc.heading;
    doc.title_source = "heading";
  } else {
    doc.title = Stem(doc.file_name);
    doc.title_source = "filename";
  }
  doc.declared_lang = Trim(doc.declared_lang);
  if (doc.members.empty()) {
    doc.lang = DetectLanguage(doc.text, doc.declared_lang);
  } else {
    // A bundle's own text is a list of paths: its language is its members' most common.
    std::map<std::string, int> votes;
    for (const auto& member : doc.members) {
      if (!member.lang.empty()) ++votes[member.lang];
    }
    auto top = std::max_element(votes.begin(), votes.end(),
                                [](const auto& a, const auto& b) { return a.second < b.second; });
    doc.lang = top == votes.end() ? "" : top->first;
  }
}

}  // namespace

std::unique_ptr<ExtractorRegistry> ExtractorRegistry::WithDefaults() {
  auto registry = std::make_unique<ExtractorRegistry>();
  AddDefaultExtractors(*registry);
  return registry;
}

void ExtractorRegistry::Add(std::unique_ptr<Extractor> extractor) {
  for (const auto& mime : extractor->mime_types()) by_mime_[mime] = extractor.get();
  extractors_.push_back(std::move(extractor));
}

const Extractor* ExtractorRegistry::Find(std::string_view mime) const {
  auto it = by_mime_.find(mime);
  return it == by_mime_.end() ? nullptr : it->second;
}

std::map<std::string, std::string> ExtractorRegistry::Formats() const {
  std::map<std::string, std::string> formats;
  for (const auto& [mime, extractor] : by_mime_) formats[mime] = std::string(extractor->name());
  return formats;
}

Result<ExtractedDocument> ExtractorRegistry::Extract(std::string_view bytes,
                                                     const std::string& file_name,
                                                     const Limits& limits, int depth,
                                                     MemberSink* sink) const {
  if (bytes.empty()) return Status(StatusCode::kCorrupt, "the file is empty (0 bytes)");
  if (bytes.size() > limits.max_file_bytes) {
    return Status(StatusCode::kLimitExceeded,
                  "the file has " + std::to_string(bytes.size()) + " bytes, over the limit of " +
                      std::to_string(limits.max_file_bytes));
  }
  std::string mime = DetectMime(bytes, file_name);
  const Extractor* extractor = Find(mime);
  if (extractor == nullptr && mime.rfind("text/", 0) != 0 && LooksLikeText(bytes)) {
    mime = "text/plain";
  }
  if (extractor == nullptr && mime.rfind("text/", 0) == 0) extractor = Find("text/plain");
  if (extractor == nullptr) {
    return Status(StatusCode::kUnsupported, "no extractor for this kind of file (" + mime + ")");
  }

  ExtractInput input;
  input.bytes = bytes;
  input.file_name = file_name;
  input.mime = mime;
  input.limits = limits;
  input.depth = depth;
  input.registry = this;
  input.member_sink = sink;

  Result<ExtractedDocument> result = Status(StatusCode::kInternal, "extractor did not run");
  try {
    result = extractor->Extract(input);
  } catch (const std::bad_alloc&) {
    return Status(StatusCode::kLimitExceeded,
                  "out of memory while extracting (" + std::string(extractor->name()) + ")");
  } catch (const std::exception& e) {
    return Status(StatusCode::kInternal,
                  std::string(extractor->name()) + " extractor failed: " + e.what());
  }
  if (!result.ok()) return result.status();
  ExtractedDocument doc = std::move(result).value();
  PostProcess(doc, file_name, mime, bytes.size(), limits);
  doc.content_id = ContentId(bytes);
  if (depth > 0 && sink != nullptr) {
    Status kept = sink->Keep(doc.content_id, bytes);
    if (!kept.ok()) doc.warnings.push_back("original not kept: " + kept.message());
  }
  return doc;
}

Result<ExtractedDocument> ExtractorRegistry::ExtractFile(const std::string& path,
                                                         const Limits& limits,
                                                         MemberSink* sink) const {
  std::error_code error;
  auto status = std::filesystem::status(path, error);
  if (error || !std::filesystem::exists(status)) {
    return Status(StatusCode::kNotFound, "no such file: " + path);
  }
  if (!std::filesystem::is_regular_file(status)) {
    return Status(StatusCode::kInvalidArgument, "not a regular file: " + path);
  }
  uint64_t size = std::filesystem::file_size(path, error);
  if (error) return Status(StatusCode::kIoError, "cannot read " + path + ": " + error.message());
  if (size > limits.max_file_bytes) {
    return Status(StatusCode::kLimitExceeded,
                  "the file has " + std::to_string(size) + " bytes, over the limit of " +
                      std::to_string(limits.max_file_bytes));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status(StatusCode::kIoError, "cannot open " + path + ": " + std::strerror(errno));
  std::string bytes(size, '\0');
  in.read(bytes.data(), static_cast<std::streamsize>(size));
  if (static_cast<uint64_t>(in.gcount()) != size) {
    return Status(StatusCode::kIoError, "short read from " + path);
  }
  return Extract(bytes, BaseName(path), limits, 0, sink);
}

}  // namespace correlare::extractors
