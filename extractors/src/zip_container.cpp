#include "zip_container.h"

#include <archive.h>
#include <archive_entry.h>

#include <memory>

namespace correlare::extractors {
namespace {

struct ArchiveCloser {
  void operator()(archive* a) const { archive_read_free(a); }
};
using ArchiveHandle = std::unique_ptr<archive, ArchiveCloser>;

std::string ArchiveError(archive* a) {
  const char* message = archive_error_string(a);
  return message ? message : "unknown libarchive error";
}

std::string EntryName(archive_entry* entry) {
  const char* name = archive_entry_pathname_utf8(entry);
  if (name == nullptr) name = archive_entry_pathname(entry);
  return name ? name : "";
}

}  // namespace

Result<ZipContainer> ZipContainer::Open(std::string_view bytes, const Limits& limits,
                                        const std::function<bool(const std::string&)>& wanted) {
  ArchiveHandle reader(archive_read_new());
  if (!reader) return Status(StatusCode::kInternal, "libarchive: out of memory");
  archive* a = reader.get();
  archive_read_support_format_zip(a);
  if (archive_read_open_memory(a, bytes.data(), bytes.size()) != ARCHIVE_OK) {
    return Status(StatusCode::kCorrupt, "not a readable ZIP container: " + ArchiveError(a));
  }

  ZipContainer zip;
  uint64_t expanded = 0;
  char buffer[64 * 1024];
  for (;;) {
    archive_entry* entry = nullptr;
    int rc = archive_read_next_header(a, &entry);
    if (rc == ARCHIVE_EOF) break;
    if (rc < ARCHIVE_WARN) {
      return Status(StatusCode::kCorrupt, "damaged ZIP container: " + ArchiveError(a));
    }
    if (archive_entry_filetype(entry) != AE_IFREG) continue;
    std::string name = EntryName(entry);
    // The next archive_read_next_header skips the data of an entry that is not read.
    if (wanted && !wanted(name)) continue;
    if (archive_entry_is_encrypted(entry)) {
      return Status(StatusCode::kEncrypted, "ZIP entry '" + name + "' is encrypted");
    }
    // The declared size lets an oversized entry be refused before inflating it; the
    // count below catches an entry that lies about its size.
    if (archive_entry_size_is_set(entry) &&
        static_cast<uint64_t>(archive_entry_size(entry)) > limits.max_member_bytes) {
      return Status(StatusCode::kLimitExceeded,
                    "ZIP entry '" + name + "' is larger than the member limit (" +
                        std::to_string(limits.max_member_bytes) + " bytes)");
    }

    std::string data;
    for (;;) {
      la_ssize_t got = archive_read_data(a, buffer, sizeof(buffer));
      if (got == 0) break;
      if (got < 0) {
        return Status(StatusCode::kCorrupt,
                      "ZIP entry '" + name + "' is damaged: " + ArchiveError(a));
      }
      uint64_t size = static_cast<uint64_t>(got);
      if (data.size() + size > limits.max_member_bytes) {
        return Status(StatusCode::kLimitExceeded,
                      "ZIP entry '" + name + "' expands beyond the member limit (" +
                          std::to_string(limits.max_member_bytes) + " bytes)");
      }
      expanded += size;
      if (expanded > limits.max_expanded_bytes) {
        return Status(StatusCode::kLimitExceeded,
                      "ZIP container expands beyond the limit of " +
                          std::to_string(limits.max_expanded_bytes) + " bytes at entry '" +
                          name + "'");
      }
      data.append(buffer, size);
    }
    // A name seen twice keeps its first entry, as most ZIP readers do.
    zip.entries_.emplace(std::move(name), std::move(data));
  }
  return zip;
}

const std::string& ZipContainer::Get(const std::string& name) const {
  static const std::string kEmpty;
  auto it = entries_.find(name);
  return it == entries_.end() ? kEmpty : it->second;
}

std::vector<std::string> ZipContainer::Names() const {
  std::vector<std::string> names;
  names.reserve(entries_.size());
  for (const auto& [name, data] : entries_) names.push_back(name);
  return names;
}

}  // namespace correlare::extractors
