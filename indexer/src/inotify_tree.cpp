#include "inotify_tree.h"

#include <poll.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace correlare::indexer {
namespace {

// Closing after writing and moving in say "complete"; creating and modifying say
// "being written"; the rest keep the folder map right.
constexpr uint32_t kMask = IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE | IN_MODIFY |
                           IN_ATTRIB | IN_DELETE_SELF | IN_ONLYDIR | IN_DONT_FOLLOW |
                           IN_EXCL_UNLINK;

}  // namespace

Result<std::unique_ptr<InotifyTree>> InotifyTree::Open() {
  int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (fd < 0) {
    return Status(StatusCode::kIoError, std::string("cannot use inotify: ") + std::strerror(errno));
  }
  return std::unique_ptr<InotifyTree>(new InotifyTree(fd));
}

InotifyTree::~InotifyTree() { close(fd_); }

Status InotifyTree::Watch(const std::string& folder) {
  int wd = inotify_add_watch(fd_, folder.c_str(), kMask);
  if (wd < 0) {
    std::string why = errno == ENOSPC
                          ? "too many folders watched (raise fs.inotify.max_user_watches)"
                          : std::strerror(errno);
    return Status(StatusCode::kIoError, "cannot watch " + folder + ": " + why);
  }
  folders_[wd] = folder;
  return Status::Ok();
}

void InotifyTree::Forget(const std::string& folder) {
  const std::string below = folder + "/";
  for (auto it = folders_.begin(); it != folders_.end();) {
    if (it->second == folder || it->second.compare(0, below.size(), below) == 0) {
      inotify_rm_watch(fd_, it->first);
      it = folders_.erase(it);
    } else {
      ++it;
    }
  }
}

std::vector<InotifyTree::Event> InotifyTree::Wait(int timeout_ms, bool* overflowed) {
  std::vector<Event> events;
  pollfd ready = {fd_, POLLIN, 0};
  if (poll(&ready, 1, timeout_ms) <= 0) return events;
  alignas(inotify_event) char buffer[64 * 1024];
  while (true) {
    ssize_t n = read(fd_, buffer, sizeof(buffer));
    if (n <= 0) break;  // EAGAIN: all read
    for (char* at = buffer; at < buffer + n;) {
      const auto* event = reinterpret_cast<const inotify_event*>(at);
      at += sizeof(inotify_event) + event->len;
      if (event->mask & IN_Q_OVERFLOW) {
        *overflowed = true;
        continue;
      }
      auto folder = folders_.find(event->wd);
      if (folder == folders_.end()) continue;
      if (event->mask & IN_IGNORED) {  // the folder is gone, or was unwatched
        folders_.erase(folder);
        continue;
      }
      if (event->len == 0) continue;  // about the folder itself
      events.push_back({folder->second + "/" + event->name, event->mask});
    }
  }
  return events;
}

}  // namespace correlare::indexer
