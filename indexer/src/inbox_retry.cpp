// RetryRejected: puts what the inbox rejected back where it was dropped, so that the
// watcher tries it again (after the extractors, the limits or the taxonomy changed).
#include <unistd.h>

#include <filesystem>
#include <set>

#include "inbox_files.h"
#include "indexer/inbox_watcher.h"
#include "indexer/sidecar.h"
#include "taxonomy/vocabulary.h"

namespace correlare::indexer {
namespace {

namespace fs = std::filesystem;

bool EndsWith(const std::string& s, std::string_view suffix) {
  return s.size() > suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string WithoutSuffix(const std::string& s, std::string_view suffix) {
  return s.substr(0, s.size() - suffix.size());
}

// Moves every file under `rejected` to the same relative place under `dest`, a
// document's sidecar along with it; drops reason files. Counts the files moved
// (documents, and sidecars whose document is not there).
Status Restore(const fs::path& rejected, const fs::path& dest, int& moved) {
  const std::string reason_suffix = inbox::kReasonSuffix;
  const std::string sidecar_suffix(kSidecarSuffix);
  std::vector<fs::path> folders{rejected};
  for (size_t i = 0; i < folders.size(); ++i) {
    const fs::path folder = folders[i];
    std::set<std::string> names;
    std::error_code error;
    for (fs::directory_iterator it(folder, error), end; !error && it != end; it.increment(error)) {
      std::error_code ignored;
      if (fs::is_directory(it->symlink_status(ignored)))
        folders.push_back(it->path());
      else
        names.insert(it->path().filename().string());
    }
    if (error)
      return Status(StatusCode::kIoError,
                    "cannot read " + folder.string() + ": " + error.message());

    const fs::path target = dest / folder.lexically_relative(rejected);
    for (const std::string& name : names) {
      if (EndsWith(name, reason_suffix) && names.count(WithoutSuffix(name, reason_suffix)))
        continue;
      if (IsSidecarPath(name) && names.count(WithoutSuffix(name, sidecar_suffix))) continue;
      if (EndsWith(name, reason_suffix) && inbox::LooksLikeReasonFile(folder / name)) {
        fs::remove(folder / name, error);  // its document was moved back already
        continue;
      }
      fs::create_directories(target, error);
      if (error)
        return Status(StatusCode::kIoError,
                      "cannot create " + target.string() + ": " + error.message());
      std::string final_name = inbox::FreeName(target, name, {sidecar_suffix});
      // The sidecar goes first: a watcher that sees the document must find it.
      if (names.count(name + sidecar_suffix)) {
        Status status = inbox::MoveNoReplace(folder / (name + sidecar_suffix),
                                             target / (final_name + sidecar_suffix));
        if (!status.ok()) return status;
      }
      Status status = inbox::MoveNoReplace(folder / name, target / final_name);
      if (!status.ok()) return status;
      ++moved;
      fs::remove(folder / (name + reason_suffix), error);
    }
  }
  for (auto it = folders.rbegin(); it != folders.rend(); ++it) rmdir(it->c_str());
  return Status::Ok();
}

bool IsRealFolder(const fs::path& path) {
  std::error_code error;
  return fs::is_directory(fs::symlink_status(path, error));
}

}  // namespace

Result<int> RetryRejected(const std::string& inbox_dir, const std::string& province) {
  std::string wanted;
  if (!province.empty()) {
    auto resolved = taxonomy::ResolveProvince(province);
    if (!resolved)
      return Status(StatusCode::kInvalidArgument, "unknown province '" + province + "'");
    wanted = *resolved;
  }
  const fs::path inbox(inbox_dir);
  if (!IsRealFolder(inbox)) return Status(StatusCode::kNotFound, "no inbox at " + inbox_dir);

  int moved = 0;
  std::error_code error;
  for (fs::directory_iterator it(inbox, error), end; !error && it != end; it.increment(error)) {
    std::string name = it->path().filename().string();
    if (IsIgnoredInboxName(name) || !IsRealFolder(it->path())) continue;
    auto folder_province = taxonomy::ResolveProvince(name);
    if (!folder_province || (!wanted.empty() && *folder_province != wanted)) continue;
    fs::path rejected = it->path() / inbox::kRejectedFolder;
    if (!IsRealFolder(rejected)) continue;
    Status status = Restore(rejected, it->path(), moved);
    if (!status.ok()) return status;
  }
  if (error)
    return Status(StatusCode::kIoError, "cannot read " + inbox_dir + ": " + error.message());
  // DIR/inbox/.rejected holds what came from no province: unknown folders, loose files.
  if (wanted.empty() && IsRealFolder(inbox / inbox::kRejectedFolder)) {
    Status status = Restore(inbox / inbox::kRejectedFolder, inbox, moved);
    if (!status.ok()) return status;
  }
  return moved;
}

}  // namespace correlare::indexer
