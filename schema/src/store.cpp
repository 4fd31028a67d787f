#include "schema/store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>

#include "common/content_id.h"

namespace correlare::schema {
namespace fs = std::filesystem;

namespace {
std::string Fanout(std::string_view id) { return std::string(id.substr(0, 2)); }
}  // namespace

Store::Store(std::string root) : root_(std::move(root)) {}

std::string Store::IdOf(std::string_view bytes) { return ContentId(bytes); }

bool Store::IsValidId(std::string_view id) { return IsValidContentId(id); }

std::string Store::OriginalPath(std::string_view id) const {
  return root_ + "/objects/" + Fanout(id) + "/" + std::string(id);
}

std::string Store::TextPath(std::string_view id) const {
  return root_ + "/text/" + Fanout(id) + "/" + std::string(id) + ".txt";
}

bool Store::HasOriginal(std::string_view id) const {
  std::error_code error;
  return IsValidId(id) && fs::is_regular_file(OriginalPath(id), error);
}

bool Store::HasText(std::string_view id) const {
  std::error_code error;
  return IsValidId(id) && fs::is_regular_file(TextPath(id), error);
}

Status Store::PutOriginal(std::string_view id, std::string_view bytes) const {
  if (!IsValidId(id)) return Status(StatusCode::kInvalidArgument, "malformed id");
  if (HasOriginal(id)) return Status::Ok();
  return WriteFileAtomically(OriginalPath(id), bytes);
}

Status Store::PutText(std::string_view id, std::string_view text) const {
  if (!IsValidId(id)) return Status(StatusCode::kInvalidArgument, "malformed id");
  return WriteFileAtomically(TextPath(id), text);
}

Result<std::string> Store::ReadText(std::string_view id, size_t max_bytes) const {
  if (!IsValidId(id)) return Status(StatusCode::kInvalidArgument, "malformed id");
  return ReadWholeFile(TextPath(id), max_bytes);
}

Result<std::string_view> Store::ReadTextInThreadBuffer(std::string_view id, size_t max_bytes) const {
  if (!IsValidId(id)) return Status(StatusCode::kInvalidArgument, "malformed id");
  return ReadFileInThreadBuffer(TextPath(id), max_bytes);
}

Status Store::Remove(std::string_view id) const {
  if (!IsValidId(id)) return Status(StatusCode::kInvalidArgument, "malformed id");
  std::error_code error;
  fs::remove(OriginalPath(id), error);
  if (error) return Status(StatusCode::kIoError, "cannot remove " + OriginalPath(id) + ": " + error.message());
  fs::remove(TextPath(id), error);
  if (error) return Status(StatusCode::kIoError, "cannot remove " + TextPath(id) + ": " + error.message());
  return Status::Ok();
}

std::vector<std::string> Store::ListOriginals() const {
  std::vector<std::string> ids;
  std::error_code error;
  fs::path objects = fs::path(root_) / "objects";
  if (!fs::is_directory(objects, error)) return ids;
  for (fs::recursive_directory_iterator it(objects, error), end; !error && it != end; it.increment(error)) {
    if (it->is_regular_file(error) && IsValidId(it->path().filename().string())) {
      ids.push_back(it->path().filename().string());
    }
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

std::vector<std::string> Store::ListLeftovers() const {
  std::vector<std::string> paths;
  std::error_code error;
  if (!fs::is_directory(root_, error)) return paths;
  for (fs::recursive_directory_iterator it(root_, error), end; !error && it != end; it.increment(error)) {
    if (it->is_regular_file(error) && it->path().filename().string().find(".tmp.") != std::string::npos) {
      paths.push_back(it->path().string());
    }
  }
  std::sort(paths.begin(), paths.end());
  return paths;
}

Status WriteFileAtomically(const std::string& path, std::string_view bytes) {
  static std::atomic<uint64_t> counter{0};
  std::string temp = path + ".tmp." + std::to_string(getpid()) + "." + std::to_string(counter++);
  int fd = open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0 && errno == ENOENT) {
    // The folder is made the first time only: most writes go to one that exists.
    std::error_code error;
    fs::create_directories(fs::path(path).parent_path(), error);
    if (error) return Status(StatusCode::kIoError, "cannot create the folder of " + path + ": " + error.message());
    fd = open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  }
  if (fd < 0) return Status(StatusCode::kIoError, "cannot write " + temp + ": " + std::strerror(errno));
  size_t written = 0;
  while (written < bytes.size()) {
    ssize_t n = write(fd, bytes.data() + written, bytes.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      std::string reason = std::strerror(errno);
      close(fd);
      unlink(temp.c_str());
      return Status(StatusCode::kIoError, "cannot write " + path + ": " + reason);
    }
    written += static_cast<size_t>(n);
  }
  if (fsync(fd) != 0) {
    std::string reason = std::strerror(errno);
    close(fd);
    unlink(temp.c_str());
    return Status(StatusCode::kIoError, "cannot flush " + path + ": " + reason);
  }
  close(fd);
  if (rename(temp.c_str(), path.c_str()) != 0) {
    std::string reason = std::strerror(errno);
    unlink(temp.c_str());
    return Status(StatusCode::kIoError, "cannot write " + path + ": " + reason);
  }
  return Status::Ok();
}

Status FlushFolder(const std::string& folder) {
  int fd = open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Status(StatusCode::kIoError, "cannot open folder " + folder + ": " + std::strerror(errno));
  int flushed = fsync(fd);
  std::string reason = flushed != 0 ? std::strerror(errno) : "";
  close(fd);
  if (flushed != 0) return Status(StatusCode::kIoError, "cannot flush folder " + folder + ": " + reason);
  return Status::Ok();
}

namespace {

// `path` opened for reading; the error names it, kNotFound when it is absent.
Result<int> OpenForReading(const std::string& path) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return Status(errno == ENOENT ? StatusCode::kNotFound : StatusCode::kIoError,
                  "cannot read " + path + ": " + strerror(errno));
  }
  return fd;
}

// Reads into [into, into + size) until it is full or the file ends: how much was read.
Result<size_t> ReadFull(int fd, const std::string& path, char* into, size_t size) {
  size_t got = 0;
  while (got < size) {
    ssize_t n = read(fd, into + got, size - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Status(StatusCode::kIoError, "cannot read " + path + ": " + strerror(errno));
    if (n == 0) break;
    got += static_cast<size_t>(n);
  }
  return got;
}

// The file's size when fstat knows it (0 for an empty file, a pipe or /proc).
size_t KnownSize(int fd) {
  struct stat info {};
  return fstat(fd, &info) == 0 && info.st_size > 0 ? static_cast<size_t>(info.st_size) : 0;
}

}  // namespace

Result<std::string> ReadWholeFile(const std::string& path, size_t max_bytes) {
  auto fd = OpenForReading(path);
  if (!fd.ok()) return fd.status();
  // Read straight into the string, sized to the file (one byte more, to see its end at
  // once), or grown as a file of unknown size goes on: no intermediate buffer.
  size_t known = KnownSize(fd.value());
  std::string bytes(std::min(known > 0 ? known + 1 : size_t{65536}, max_bytes), '\0');
  size_t got = 0;
  for (;;) {
    auto n = ReadFull(fd.value(), path, bytes.data() + got, bytes.size() - got);
    if (!n.ok()) {
      close(fd.value());
      return n.status();
    }
    got += n.value();
    if (got < bytes.size() || got >= max_bytes) break;  // the end, or all that was asked
    bytes.resize(std::min(max_bytes, bytes.size() * 2));
  }
  close(fd.value());
  bytes.resize(got);
  return bytes;
}

Result<std::string_view> ReadFileInThreadBuffer(const std::string& path, size_t max_bytes) {
  constexpr size_t kMaxBuffer = 64 << 20;
  thread_local std::unique_ptr<char[]> buffer;
  thread_local size_t capacity = 0;
  auto fd = OpenForReading(path);
  if (!fd.ok()) return fd.status();
  size_t want = std::min(max_bytes, kMaxBuffer);
  if (size_t known = KnownSize(fd.value()); known > 0) want = std::min(want, known);
  if (capacity < want) {
    // Not zero-filled: only what is read is looked at.
    buffer.reset(new char[want]);
    capacity = want;
  }
  auto got = ReadFull(fd.value(), path, buffer.get(), want);
  close(fd.value());
  if (!got.ok()) return got.status();
  return std::string_view(buffer.get(), got.value());
}

}  // namespace correlare::schema
