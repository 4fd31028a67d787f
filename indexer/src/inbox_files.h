// File operations of the inbox (private to the indexer): telling a complete file from
// one still being written, moving without overwriting, the .rejected folders and their
// reason files. Nothing here follows a symbolic link.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"

namespace correlare::indexer::inbox {

inline constexpr char kRejectedFolder[] = ".rejected";
inline constexpr char kReasonSuffix[] = ".reason.txt";

// What lstat says of a path: enough to notice any change to a file's bytes, or that
// another file took its place.
struct FileStamp {
  mode_t type = 0;  // S_IFREG, S_IFLNK, ...
  uint64_t size = 0;
  int64_t mtime_ns = 0;
  int64_t ctime_ns = 0;
  uint64_t inode = 0;
  uint64_t device = 0;

  bool regular() const;
  bool symlink() const;
  bool operator==(const FileStamp&) const = default;
};

// nullopt when nothing is at `path`.
std::optional<FileStamp> StampOf(const std::string& path);

enum class WriterState { kNone, kWriting, kUnknown };

// Whether some process has `path` open for writing. Asks the kernel with a read lease,
// which is refused while a writer exists; kUnknown where leases are not available
// (network file systems, files owned by another user).
WriterState WritersOf(const std::string& path);

// The first of `name`, "name (2).ext", "name (3).ext", ... such that neither it nor
// it + each of `companion_suffixes` exists in `dir`.
std::string FreeName(const std::filesystem::path& dir, const std::string& name,
                     const std::vector<std::string>& companion_suffixes);

// rename() that fails with "already exists" rather than replacing the target.
Status MoveNoReplace(const std::filesystem::path& from, const std::filesystem::path& to);

// Writes `reason` (one line) and the time to `path`, atomically.
Status WriteReason(const std::filesystem::path& path, const std::string& reason);
// True when `path` is a reason file this code wrote.
bool LooksLikeReasonFile(const std::filesystem::path& path);

// Removes `dir` and then its parents while they are empty, stopping below `stop`
// (never removing `stop` itself, nor anything outside it).
void RemoveEmptyFolders(std::filesystem::path dir, const std::filesystem::path& stop);

}  // namespace correlare::indexer::inbox
