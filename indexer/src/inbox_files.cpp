#include "inbox_files.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <fstream>

#include "indexer/inbox_watcher.h"

namespace correlare::indexer {
namespace {

std::string Lower(const std::string& s) {
  std::string out = s;
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

bool IsIgnoredInboxName(const std::string& name) {
  // ".*" covers .DS_Store, ._resource forks, .~lock.x# (LibreOffice), rsync's hidden
  // temporaries and the .rejected folders.
  if (name.empty() || name[0] == '.') return true;
  if (name.rfind("~$", 0) == 0) return true;  // Office owner files
  std::string lower = Lower(name);
  // *.filepart: WinSCP, the SFTP client partner offices use most, uploads under it.
  for (const char* suffix : {".part", ".tmp", ".crdownload", ".filepart"}) {
    if (EndsWith(lower, suffix)) return true;
  }
  return lower == "thumbs.db" || lower == "desktop.ini" || lower == "@eadir";
}

namespace inbox {
namespace fs = std::filesystem;

bool FileStamp::regular() const { return S_ISREG(type); }
bool FileStamp::symlink() const { return S_ISLNK(type); }

std::optional<FileStamp> StampOf(const std::string& path) {
  struct stat st;
  if (lstat(path.c_str(), &st) != 0) return std::nullopt;
  FileStamp stamp;
  stamp.type = st.st_mode & S_IFMT;
  stamp.size = static_cast<uint64_t>(st.st_size);
  stamp.mtime_ns = static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
  stamp.ctime_ns = static_cast<int64_t>(st.st_ctim.tv_sec) * 1000000000 + st.st_ctim.tv_nsec;
  stamp.inode = st.st_ino;
  stamp.device = st.st_dev;
  return stamp;
}

WriterState WritersOf(const std::string& path) {
  int fd = open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return WriterState::kUnknown;
  // Should a writer open the file in the instant we hold the lease, the kernel signals
  // the holder: make that SIGURG, whose default action is to do nothing.
  fcntl(fd, F_SETSIG, SIGURG);
  int leased = fcntl(fd, F_SETLEASE, F_RDLCK);
  int error = errno;
  if (leased == 0) fcntl(fd, F_SETLEASE, F_UNLCK);
  close(fd);
  if (leased == 0) return WriterState::kNone;
  return error == EAGAIN ? WriterState::kWriting : WriterState::kUnknown;
}

std::string FreeName(const fs::path& dir, const std::string& name,
                     const std::vector<std::string>& companion_suffixes) {
  auto taken = [&](const std::string& candidate) {
    std::error_code error;
    if (fs::exists(fs::symlink_status(dir / candidate, error))) return true;
    for (const auto& suffix : companion_suffixes) {
      if (fs::exists(fs::symlink_status(dir / (candidate + suffix), error))) return true;
    }
    return false;
  };
  if (!taken(name)) return name;
  size_t dot = name.rfind('.');
  if (dot == 0 || dot == std::string::npos) dot = name.size();
  std::string stem = name.substr(0, dot);
  std::string extension = name.substr(dot);
  for (int n = 2;; ++n) {
    std::string candidate = stem + " (" + std::to_string(n) + ")" + extension;
    if (!taken(candidate)) return candidate;
  }
}

Status MoveNoReplace(const fs::path& from, const fs::path& to) {
  if (renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) == 0) {
    return Status::Ok();
  }
  int error = errno;
  if (error == EINVAL || error == ENOSYS) {
    // The file system cannot refuse to replace (some network shares): check, then move.
    std::error_code ignored;
    if (fs::exists(fs::symlink_status(to, ignored)))
      error = EEXIST;
    else if (rename(from.c_str(), to.c_str()) == 0)
      return Status::Ok();
    else
      error = errno;
  }
  return Status(StatusCode::kIoError, "cannot move " + from.string() + " to " + to.string() + ": " +
                                          std::strerror(error));
}

namespace {
constexpr char kTimePrefix[] = "rejected at ";
}

Status WriteReason(const fs::path& path, const std::string& reason) {
  std::string line = reason;
  for (char& c : line) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  char when[64];
  time_t now = time(nullptr);
  struct tm local;
  localtime_r(&now, &local);
  strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S%z", &local);

  fs::path temp = path.parent_path() / ("." + path.filename().string() + ".new");
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out << line << "\n" << kTimePrefix << when << "\n";
    if (!out.flush()) {
      return Status(StatusCode::kIoError, "cannot write " + temp.string());
    }
  }
  if (rename(temp.c_str(), path.c_str()) != 0) {
    return Status(StatusCode::kIoError,
                  "cannot write " + path.string() + ": " + std::strerror(errno));
  }
  return Status::Ok();
}

bool LooksLikeReasonFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::string first;
  std::string second;
  if (!std::getline(in, first) || !std::getline(in, second)) return false;
  return second.rfind(kTimePrefix, 0) == 0;
}

void RemoveEmptyFolders(fs::path dir, const fs::path& stop) {
  const std::string root = (stop / "").lexically_normal().string();
  while (true) {
    std::string here = dir.lexically_normal().string();
    if (here.size() <= root.size() || here.compare(0, root.size(), root) != 0) return;
    if (rmdir(dir.c_str()) != 0) return;  // not empty, or gone: either way, done
    dir = dir.parent_path();
  }
}

}  // namespace inbox
}  // namespace correlare::indexer
