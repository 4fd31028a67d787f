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

Result<std::string> ReadWholeFile(const std::string& path, size_t max_bytes) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return Status(errno == ENOENT ? StatusCode::kNotFound : StatusCode::kIoError,
                  "cannot read " + path + ": " + strerror(errno));
  }
  // Read straight into the string, sized to the file (or grown as a pipe-like file
  // goes on): no intermediate buffer.
  std::string bytes;
  struct stat info {};
  size_t capacity = 65536;
  if (fstat(fd, &info) == 0 && info.st_size > 0) capacity = static_cast<size_t>(info.st_size) + 1;
  capacity = std::min(capacity, max_bytes);
  size_t got = 0;
  bytes.resize(capacity);
  while (got < max_bytes) {
    if (got == bytes.size()) bytes.resize(std::min(max_bytes, bytes.size() * 2));
    ssize_t n = read(fd, bytes.data() + got, bytes.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      std::string why = strerror(errno);
      close(fd);
      return Status(StatusCode::kIoError, "cannot read " + path + ": " + why);
    }
    if (n == 0) break;
    got += static_cast<size_t>(n);
  }
  bytes.resize(got);
  close(fd);
  return bytes;
}

Result<std::string_view> ReadFileInThreadBuffer(const std::string& path, size_t max_bytes) {
  constexpr size_t kMaxBuffer = 64 << 20;
  max_bytes = std::min(max_bytes, kMaxBuffer);
  thread_local std::unique_ptr<char[]> buffer;
  thread_local size_t capacity = 0;
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return Status(errno == ENOENT ? StatusCode::kNotFound : StatusCode::kIoError,
                  "cannot read " + path + ": " + strerror(errno));
  }
  struct stat info {};
  size_t want = max_bytes;
  if (fstat(fd, &info) == 0 && info.st_size > 0) want = std::min(want, static_cast<size_t>(info.st_size));
  if (capacity < want) {
    // Not zero-filled: only what is read is looked at.
    buffer.reset(new char[want]);
    capacity = want;
  }
  size_t got = 0;
  while (got < want) {
    ssize_t n = read(fd, buffer.get() + got, want - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      std::string why = strerror(errno);
      close(fd);
      return Status(StatusCode::kIoError, "cannot read " + path + ": " + why);
    }
    if (n == 0) break;
    got += static_cast<size_t>(n);
  }
  close(fd);
  return std::string_view(buffer.get(), got);
}

}  // namespace correlare::schema
