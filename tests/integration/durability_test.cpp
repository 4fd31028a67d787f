// A committed document's stored files survive a power cut: each is flushed (fsync)
// before it is renamed into place, and the folder it was renamed into is flushed before
// the index commit that refers to it. Watched with strace on the real indexer: what a
// power cut keeps is exactly what was flushed, in the order the system calls ran.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <filesystem>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "test_support.h"

namespace correlare {
namespace {

namespace fs = std::filesystem;
using correlare::testing::TempDir;

// The calls of one thread, in order (strace -ff writes one file per thread, so no call
// is split by another thread's).
std::vector<std::string> ReadTrace(const fs::path& log) {
  std::vector<std::string> calls;
  std::ifstream in(log);
  for (std::string line; std::getline(in, line);) calls.push_back(line);
  return calls;
}

TEST(Durability, StoreFoldersAreFlushedBeforeTheCommitThatRefersToThem) {
  if (std::system("command -v strace > /dev/null") != 0) GTEST_SKIP() << "strace is not installed (scripts/install-deps installs it)";
  TempDir dir;
  fs::path docs = dir.path() / "docs";
  fs::create_directories(docs);
  for (int i = 0; i < 6; ++i) {
    std::ofstream(docs / ("avviso-" + std::to_string(i) + ".txt"))
        << "Avviso " << i << " dello sportello stranieri di Lodi: rinnovo del permesso di soggiorno.\n";
  }
  std::string data = (dir.path() / "var").string();
  fs::path traces = dir.path() / "trace";
  fs::create_directories(traces);
  // LeakSanitizer cannot run under ptrace: the sanitizer build's indexer is traced
  // without it (its other checks stay on).
  std::string command = "ASAN_OPTIONS=\"${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0\" "
                        "strace -f -ff -qq -e trace=openat,fsync,rename -o '" + (traces / "t").string() + "' " +
                        CORRELARE_BIN_DIR "/correlare-indexer --data '" + data + "' --taxonomy '" +
                        CORRELARE_SOURCE_DIR "/taxonomy/taxonomy.json' index '" + docs.string() + "' > /dev/null";
  ASSERT_EQ(std::system(command.c_str()), 0) << command;

  // Each thread's calls in order: a thread that stores files (the writer) must flush
  // their folders before its own next commit of the index.
  static const std::regex kOpenFolder(R"re(^openat\(AT_FDCWD, "([^"]+)", [^)]*O_DIRECTORY[^)]*\) = (\d+))re");
  static const std::regex kFsync(R"(^fsync\((\d+)\)\s+= 0)");
  static const std::regex kRename(R"re(^rename\("([^"]+)", "([^"]+)"\)\s+= 0)re");
  const std::string store = data + "/store/";
  const std::string version_file = data + "/index/iamglass";
  size_t stored = 0;
  size_t commits = 0;
  for (const auto& entry : fs::directory_iterator(traces)) {
    std::map<std::string, std::string> open_folders;  // descriptor -> folder last opened on it
    std::set<std::string> flushed;                    // folders flushed since the last commit
    std::vector<std::string> waiting;                 // folders given a file since then
    std::smatch m;
    for (const auto& call : ReadTrace(entry.path())) {
      if (std::regex_search(call, m, kOpenFolder)) {
        open_folders[m[2]] = m[1];
      } else if (std::regex_search(call, m, kFsync)) {
        auto it = open_folders.find(m[1]);
        if (it != open_folders.end()) flushed.insert(it->second);
      } else if (std::regex_search(call, m, kRename)) {
        std::string to = m[2];
        if (to.rfind(store, 0) == 0) {
          ++stored;
          std::string folder = fs::path(to).parent_path().string();
          waiting.push_back(folder);
          flushed.erase(folder);  // a flush before this rename does not count
        } else if (to == version_file) {
          ++commits;
          for (const auto& folder : waiting) {
            EXPECT_TRUE(flushed.count(folder)) << folder << " was not flushed before commit " << commits;
          }
          if (!waiting.empty()) {
            EXPECT_TRUE(flushed.count(data + "/store/objects")) << "commit " << commits;
            EXPECT_TRUE(flushed.count(data + "/store/text")) << "commit " << commits;
          }
          waiting.clear();
          flushed.clear();
        }
      }
    }
    EXPECT_TRUE(waiting.empty()) << "files stored after the last commit of thread " << entry.path().filename();
  }
  EXPECT_EQ(stored, 12u) << "an original and a text for each of the 6 files";
  EXPECT_GE(commits, 1u);
}

}  // namespace
}  // namespace correlare
