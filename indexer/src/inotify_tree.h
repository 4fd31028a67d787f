// InotifyTree: Linux inotify over a tree of folders. inotify watches one folder at a
// time, so the owner adds a watch for each folder it walks (and for each new folder an
// event announces); events come back with full paths. Watches never follow symbolic
// links.
//
// Thread safety: none; one thread owns it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/status.h"

namespace correlare::indexer {

class InotifyTree {
 public:
  struct Event {
    std::string path;  // the folder's path + "/" + the name the event is about
    uint32_t mask;     // IN_CLOSE_WRITE, IN_MOVED_TO, IN_ISDIR, ...
  };

  static Result<std::unique_ptr<InotifyTree>> Open();
  ~InotifyTree();
  InotifyTree(const InotifyTree&) = delete;
  InotifyTree& operator=(const InotifyTree&) = delete;

  // Watches `folder` (an existing watch is kept, its path updated). Fails when the
  // folder is gone, is a symbolic link, or the user's watch limit is reached.
  Status Watch(const std::string& folder);
  // Drops the watches of `folder` and everything under it (it was moved away).
  void Forget(const std::string& folder);

  // Waits up to `timeout_ms` for events and returns those that came. Sets `*overflowed`
  // when the kernel dropped events (its queue was full): the caller must look again.
  std::vector<Event> Wait(int timeout_ms, bool* overflowed);

  size_t watch_count() const { return folders_.size(); }

 private:
  explicit InotifyTree(int fd) : fd_(fd) {}
  int fd_;
  std::unordered_map<int, std::string> folders_;  // watch descriptor -> folder path
};

}  // namespace correlare::indexer
