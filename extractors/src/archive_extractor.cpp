// ArchiveExtractor: ZIP, TAR (plain or compressed), 7z, RAR, cpio, ISO images and single
// compressed files (.gz, .bz2, .xz), read from memory with libarchive. Every regular file
// becomes a member document, extracted through the registry one level deeper; a member
// that fails is still listed, with its path and a non-OK status.
//
// Hostile bundles. Members are inflated in fixed-size chunks and the totals are checked
// as they grow, so a zip bomb stops at the limit without allocating its expansion. The
// budgets of Limits (members, expanded bytes, expansion ratio) cover a bundle and all the
// bundles inside it: a nested bundle is extracted with what is left of them, and its
// "expanded_bytes" metadata tells the parent how much it used. When a budget runs out the
// bundle keeps the members read so far and says so in a warning. Member names are only
// labels, never file system paths; unsafe ones ("../x", "/etc/x", "C:\x") are cleaned.
//
// The bundle's own text is the list of its direct members' paths, one per line, so that
// a search for a file name also finds the bundle that holds it. Its title is left to the
// registry, which falls back on the archive's file name.

#include <archive.h>
#include <archive_entry.h>
#include <locale.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "builtin_extractors.h"
#include "extractors/mime_detector.h"
#include "extractors/registry.h"
#include "extractors/text_utils.h"

namespace correlare::extractors {
namespace {

constexpr size_t kChunkBytes = 64 * 1024;
constexpr char kExpandedBytesKey[] = "expanded_bytes";

struct ArchiveCloser {
  void operator()(archive* a) const { archive_read_free(a); }
};
using ArchiveHandle = std::unique_ptr<archive, ArchiveCloser>;

std::string ArchiveError(archive* a) {
  const char* message = archive_error_string(a);
  return message ? message : "damaged, or not in a format libarchive reads";
}

// libarchive converts entry names through the thread's locale, and under the default "C"
// locale every non-ASCII name fails to convert. LocaleScope switches the calling thread
// only (uselocale), restoring the previous locale when it dies.
locale_t Utf8Locale() {
  static const locale_t utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", static_cast<locale_t>(0));
  return utf8;
}

class LocaleScope {
 public:
  explicit LocaleScope(locale_t locale)
      : previous_(locale != static_cast<locale_t>(0) ? uselocale(locale)
                                                     : static_cast<locale_t>(0)) {}
  ~LocaleScope() {
    if (previous_ != static_cast<locale_t>(0)) uselocale(previous_);
  }
  LocaleScope(const LocaleScope&) = delete;
  LocaleScope& operator=(const LocaleScope&) = delete;
  locale_t previous() const { return previous_; }

 private:
  locale_t previous_;
};

// Entry names not in UTF-8: ZIPs from old Windows tools use the DOS code page (850 in
// Italy), other archives most likely Windows-1252.
std::string NameToUtf8(std::string name, bool zip) {
  if (IsValidUtf8(name)) return name;
  return ToUtf8(name, zip ? "ibm-850" : "windows-1252");
}

// Compression-only types: the content may be a single compressed file, not an archive.
bool IsCompressionOnly(const std::string& mime) {
  static const char* kCompressed[] = {
      "application/gzip",   "application/x-gzip",    "application/x-bzip2", "application/x-xz",
      "application/x-lzma", "application/x-lzip",    "application/zstd",    "application/x-zstd",
      "application/x-lz4",  "application/x-compress"};
  return std::find(std::begin(kCompressed), std::end(kCompressed), mime) != std::end(kCompressed);
}

std::string BaseName(std::string_view path) {
  size_t slash = path.find_last_of('/');
  return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

// The name of the one file inside a compressed file: "guida.txt.gz" -> "guida.txt".
std::string DecompressedName(const std::string& file_name) {
  std::string base = BaseName(file_name);
  size_t dot = base.find_last_of('.');
  if (dot == std::string::npos || dot == 0) return base.empty() ? "data" : base + ".out";
  return base.substr(0, dot);
}

// A member's path as a clean relative label: separators made '/', and empty, "." and ".."
// components and drive letters dropped. Sets *unsafe when the name tried to leave the
// bundle (absolute, "..", drive letter).
std::string SanitizeMemberPath(std::string_view raw, bool* unsafe) {
  *unsafe = false;
  std::string path;
  size_t start = 0;
  bool first = true;
  while (start <= raw.size()) {
    size_t end = raw.find_first_of("/\\", start);
    if (end == std::string_view::npos) end = raw.size();
    std::string_view part = raw.substr(start, end - start);
    if (first && end < raw.size() && part.empty()) *unsafe = true;  // absolute
    if (first && part.size() == 2 && part[1] == ':' &&
        std::isalpha(static_cast<unsigned char>(part[0]))) {
      *unsafe = true;
      part = {};
    }
    if (part == "..") *unsafe = true;
    if (!part.empty() && part != "." && part != "..") {
      if (!path.empty()) path += '/';
      path += part;
    }
    first = false;
    start = end + 1;
  }
  return path;
}

uint64_t CountMembers(const ExtractedDocument& doc) {
  uint64_t count = doc.members.size();
  for (const auto& member : doc.members) count += CountMembers(member);
  return count;
}

void PrefixMemberPaths(ExtractedDocument& doc, const std::string& prefix) {
  for (auto& member : doc.members) {
    member.member_path = prefix + "/" + member.member_path;
    PrefixMemberPaths(member, prefix);
  }
}

uint64_t ExpandedBytesOf(const ExtractedDocument& doc) {
  auto it = doc.metadata.find(kExpandedBytesKey);
  if (it == doc.metadata.end()) return 0;
  try {
    return std::stoull(it->second);
  } catch (const std::exception&) {
    return 0;
  }
}

std::string LimitWarning(const std::string& message) {
  return Status(StatusCode::kLimitExceeded, message).ToString();
}

// One pass over one bundle. Not reusable.
class BundleReader {
 public:
  BundleReader(const ExtractInput& input, ExtractedDocument& bundle)
      : input_(input), limits_(input.limits), bundle_(bundle) {
    double by_ratio = limits_.max_expansion_ratio * static_cast<double>(input.bytes.size());
    ratio_budget_ = by_ratio >= 1.8e19 ? UINT64_MAX : static_cast<uint64_t>(by_ratio);
  }

  Status Read() {
    ArchiveHandle reader(archive_read_new());
    if (!reader) return Status(StatusCode::kInternal, "libarchive: out of memory");
    archive_ = reader.get();
    archive_read_support_filter_all(archive_);
    // Not format_all: it includes mtree, which takes any text for a file list, so a
    // compressed text file would be read as one.
    archive_read_support_format_7zip(archive_);
    archive_read_support_format_cab(archive_);
    archive_read_support_format_cpio(archive_);
    archive_read_support_format_iso9660(archive_);
    archive_read_support_format_lha(archive_);
    archive_read_support_format_rar(archive_);
    archive_read_support_format_rar5(archive_);
    archive_read_support_format_tar(archive_);
    archive_read_support_format_xar(archive_);
    archive_read_support_format_zip(archive_);
    if (IsCompressionOnly(input_.mime)) archive_read_support_format_raw(archive_);
    LocaleScope utf8_names(Utf8Locale());
    caller_locale_ = utf8_names.previous();
    if (archive_read_open_memory(archive_, input_.bytes.data(), input_.bytes.size()) !=
        ARCHIVE_OK) {
      return Status(StatusCode::kCorrupt, "not a readable archive: " + ArchiveError(archive_));
    }

    std::vector<char> chunk(kChunkBytes);
    for (size_t entries = 0; !stopped_; ++entries) {
      archive_entry* entry = nullptr;
      int rc = archive_read_next_header(archive_, &entry);
      if (rc == ARCHIVE_EOF) break;
      if (rc == ARCHIVE_WARN) bundle_.warnings.push_back(ArchiveError(archive_));
      if (rc < ARCHIVE_WARN) {
        bool encrypted = archive_read_has_encrypted_entries(archive_) > 0;
        if (entries == 0) {
          return Status(encrypted ? StatusCode::kEncrypted : StatusCode::kCorrupt,
                        (encrypted ? "encrypted archive: " : "not a readable archive: ") +
                            ArchiveError(archive_));
        }
        bundle_.warnings.push_back("archive damaged after " + std::to_string(entries) +
                                   " entries, the rest is unread: " + ArchiveError(archive_));
        break;
      }
      Entry(entry, chunk);
    }
    bundle_.metadata[kExpandedBytesKey] = std::to_string(expanded_);
    return Status::Ok();
  }

 private:
  void Entry(archive_entry* entry, std::vector<char>& chunk) {
    const char* utf8_name = archive_entry_pathname_utf8(entry);
    const char* raw_name = utf8_name ? utf8_name : archive_entry_pathname(entry);
    bool zip = (archive_format(archive_) & ARCHIVE_FORMAT_BASE_MASK) == ARCHIVE_FORMAT_ZIP;
    std::string name = NameToUtf8(raw_name ? raw_name : "", zip);
    if (archive_format(archive_) == ARCHIVE_FORMAT_RAW) name = DecompressedName(input_.file_name);

    auto type = archive_entry_filetype(entry);
    if (type == AE_IFDIR) return;
    if (type != AE_IFREG || archive_entry_hardlink(entry) != nullptr) {
      bundle_.warnings.push_back("'" + name + "' is not a regular file (link or device), skipped");
      return;
    }
    if (members_ >= static_cast<uint64_t>(std::max(limits_.max_members, 0))) {
      return Stop("more than " + std::to_string(limits_.max_members) +
                  " members; the rest were not read");
    }

    bool unsafe = false;
    ExtractedDocument member;
    member.member_path = SanitizeMemberPath(name, &unsafe);
    if (member.member_path.empty()) member.member_path = "member-" + std::to_string(members_ + 1);
    if (unsafe) {
      bundle_.warnings.push_back("unsafe member name '" + name + "' read as '" +
                                 member.member_path + "'");
    }
    member.file_name = BaseName(member.member_path);
    if (archive_entry_size_is_set(entry)) {
      member.size = static_cast<uint64_t>(archive_entry_size(entry));
    }
    ++members_;

    if (input_.depth + 1 > limits_.max_depth) {
      member.status = Status(StatusCode::kLimitExceeded, "nested too deep (more than " +
                                                             std::to_string(limits_.max_depth) +
                                                             " levels of bundles)");
    } else if (archive_entry_is_encrypted(entry)) {
      member.status = Status(StatusCode::kEncrypted, "the member is encrypted");
    } else {
      std::string data;
      member.status = ReadData(member.size, chunk, data);
      if (member.status.ok()) ExtractMember(data, member);
    }
    AddMember(std::move(member));
  }

  // Reads the current entry into `data` chunk by chunk, counting every inflated byte
  // against the bundle's budgets. An entry over the member limit is drained (still
  // counted) rather than kept.
  Status ReadData(uint64_t declared_size, std::vector<char>& chunk, std::string& data) {
    Status status;
    if (declared_size > limits_.max_member_bytes) {
      status = MemberTooLarge();
    } else {
      // The declared size may lie: never reserve past what the budgets allow.
      data.reserve(static_cast<size_t>(std::min(declared_size, BytesLeft())));
    }
    for (;;) {
      la_ssize_t got = archive_read_data(archive_, chunk.data(), chunk.size());
      if (got == 0) break;
      if (got < 0) {
        if (got == ARCHIVE_FATAL) {
          Stop("archive damaged, the rest is unread: " + ArchiveError(archive_), false);
        }
        return Status(archive_read_has_encrypted_entries(archive_) > 0 ? StatusCode::kEncrypted
                                                                       : StatusCode::kCorrupt,
                      "the member is damaged: " + ArchiveError(archive_));
      }
      expanded_ += static_cast<uint64_t>(got);
      if (OverBudget()) {
        data.clear();
        return Status(StatusCode::kLimitExceeded,
                      "the bundle reached its expansion limit while reading this member");
      }
      if (!status.ok()) continue;
      if (data.size() + static_cast<uint64_t>(got) > limits_.max_member_bytes) {
        status = MemberTooLarge();
        data = std::string();
        continue;
      }
      data.append(chunk.data(), static_cast<size_t>(got));
    }
    return status;
  }

  Status MemberTooLarge() const {
    return Status(StatusCode::kLimitExceeded, "the member is larger than " +
                                                  std::to_string(limits_.max_member_bytes) +
                                                  " bytes uncompressed");
  }

  // Uncompressed bytes the bundle may still expand to.
  uint64_t BytesLeft() const {
    uint64_t budget = std::min(limits_.max_expanded_bytes, ratio_budget_);
    return budget > expanded_ ? budget - expanded_ : 0;
  }

  // Stops the bundle (with a warning) once the expanded bytes pass either budget.
  bool OverBudget() {
    if (expanded_ > limits_.max_expanded_bytes) {
      Stop("members expand beyond " + std::to_string(limits_.max_expanded_bytes) +
           " bytes; the rest were not read");
    } else if (expanded_ > ratio_budget_) {
      char ratio[32];
      std::snprintf(ratio, sizeof(ratio), "%g", limits_.max_expansion_ratio);
      Stop("members expand more than " + std::string(ratio) + " times the archive's " +
           std::to_string(input_.bytes.size()) + " bytes; the rest were not read");
    }
    return stopped_;
  }

  void ExtractMember(const std::string& data, ExtractedDocument& member) {
    member.size = data.size();
    if (input_.registry == nullptr) {
      member.status = Status(StatusCode::kInternal, "no registry to extract members with");
      return;
    }
    // A nested bundle gets what is left of this one's budgets.
    Limits nested = limits_;
    uint64_t member_budget = static_cast<uint64_t>(std::max(limits_.max_members, 0));
    nested.max_members = static_cast<int>(member_budget - std::min(member_budget, members_));
    nested.max_expanded_bytes = BytesLeft();

    Result<ExtractedDocument> result = Status(StatusCode::kInternal, "not extracted");
    {
      LocaleScope caller(caller_locale_);
      result = input_.registry->Extract(data, member.file_name, nested, input_.depth + 1,
                                        input_.member_sink);
    }
    if (!result.ok()) {
      member.status = result.status();
      member.mime = DetectMime(data, member.file_name);
      return;
    }
    ExtractedDocument extracted = std::move(result).value();
    extracted.member_path = member.member_path;
    extracted.file_name = member.file_name;
    PrefixMemberPaths(extracted, member.member_path);
    members_ += CountMembers(extracted);
    expanded_ += ExpandedBytesOf(extracted);
    member = std::move(extracted);
    if (!OverBudget() && members_ > member_budget) {
      Stop("more than " + std::to_string(limits_.max_members) + " members; the rest were not read");
    }
  }

  void AddMember(ExtractedDocument member) {
    if (!AppendBounded(bundle_.text, member.member_path + "\n", limits_.max_text_bytes)) {
      bundle_.text_truncated = true;
    }
    bundle_.members.push_back(std::move(member));
  }

  void Stop(const std::string& reason, bool limit = true) {
    if (stopped_) return;
    stopped_ = true;
    bundle_.warnings.push_back(limit ? LimitWarning(reason) : reason);
  }

  const ExtractInput& input_;
  const Limits& limits_;
  ExtractedDocument& bundle_;
  archive* archive_ = nullptr;
  locale_t caller_locale_ = static_cast<locale_t>(0);
  uint64_t ratio_budget_ = 0;
  uint64_t expanded_ = 0;  // uncompressed bytes read, nested bundles included
  uint64_t members_ = 0;   // members at all depths
  bool stopped_ = false;
};

class ArchiveExtractor : public Extractor {
 public:
  std::string_view name() const override { return "archive"; }

  std::vector<std::string> mime_types() const override {
    return {"application/zip",
            "application/x-zip-compressed",
            "application/x-tar",
            "application/x-gtar",
            "application/x-ustar",
            "application/gzip",
            "application/x-gzip",
            "application/x-bzip2",
            "application/x-xz",
            "application/x-lzma",
            "application/x-lzip",
            "application/zstd",
            "application/x-zstd",
            "application/x-lz4",
            "application/x-compress",
            "application/x-7z-compressed",
            "application/x-rar",
            "application/vnd.rar",
            "application/x-rar-compressed",
            "application/x-cpio",
            "application/x-iso9660-image",
            "application/vnd.ms-cab-compressed"};
  }

  Result<ExtractedDocument> Extract(const ExtractInput& input) const override {
    if (input.depth > input.limits.max_depth) {
      return Status(StatusCode::kLimitExceeded, "nested too deep (more than " +
                                                    std::to_string(input.limits.max_depth) +
                                                    " levels of bundles)");
    }
    ExtractedDocument bundle;
    BundleReader reader(input, bundle);
    Status status = reader.Read();
    if (!status.ok()) return status;
    if (!bundle.text.empty() && bundle.text.back() == '\n') bundle.text.pop_back();
    bundle.metadata["members"] = std::to_string(bundle.members.size());
    return bundle;
  }
};

}  // namespace

std::unique_ptr<Extractor> MakeArchiveExtractor() { return std::make_unique<ArchiveExtractor>(); }

}  // namespace correlare::extractors
