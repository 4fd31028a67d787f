// Helpers of the reliability tests (docs/reliability.md): the real programs, real
// filesystems (small tmpfs mounts for a full or read-only disk), real HTTP.
#pragma once

#include <signal.h>
#include <sys/mount.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "searchd_support.h"
#include "test_support.h"

namespace correlare::reliability {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

inline const std::string kIndexer = std::string(CORRELARE_BIN_DIR) + "/correlare-indexer";
using testing::kSearchd;
using testing::kTaxonomy;

using testing::Get;
using testing::Json;
using testing::ReadFile;
using testing::Reply;

inline void WriteFile(const fs::path& path, const std::string& bytes) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << bytes;
}

// An environment variable as a number (for the soak's iteration counts), or `fallback`.
inline int EnvInt(const char* name, int fallback) {
  const char* value = std::getenv(name);
  return value && *value ? std::atoi(value) : fallback;
}

// correlare-indexer with `args` plus --data and --taxonomy, run to the end.
inline testing::ProgramRun Indexer(const fs::path& data, std::vector<std::string> args) {
  args.insert(args.begin(), kIndexer);
  args.insert(args.end(), {"--data", data.string(), "--taxonomy", kTaxonomy});
  return testing::RunProgram(args);
}

inline std::string Dump(const testing::ProgramRun& run) {
  return "exit " + std::to_string(run.exit_code) + "\nstdout:\n" + run.out + "\nstderr:\n" + run.err;
}

// A tmpfs of `size` mounted at `where` for the object's life (tests run as root in a
// VM). ok() is false, with why(), where mounting is not permitted: the test then skips.
class TmpfsMount {
 public:
  TmpfsMount(const fs::path& where, const std::string& size) : where_(where) {
    fs::create_directories(where);
    std::string options = "size=" + size + ",mode=0755";
    if (mount("tmpfs", where.c_str(), "tmpfs", 0, options.c_str()) == 0) {
      mounted_ = true;
    } else {
      why_ = std::string("cannot mount a tmpfs (") + std::strerror(errno) +
             "): this test needs root in a VM or container that allows mount(2)";
    }
  }
  ~TmpfsMount() {
    if (mounted_) umount2(where_.c_str(), MNT_DETACH);
  }
  TmpfsMount(const TmpfsMount&) = delete;
  TmpfsMount& operator=(const TmpfsMount&) = delete;

  bool ok() const { return mounted_; }
  const std::string& why() const { return why_; }
  // Makes the mount read-only (true) or writable again; false when refused.
  bool SetReadOnly(bool read_only) {
    unsigned long flags = MS_REMOUNT | (read_only ? MS_RDONLY : 0);
    return mount("tmpfs", where_.c_str(), "tmpfs", flags, nullptr) == 0;
  }

 private:
  fs::path where_;
  bool mounted_ = false;
  std::string why_;
};

// A correlare-searchd child process on `data` (with `extra` flags), logging to
// `logs`/searchd.out and searchd.err, stopped (SIGTERM) when the object dies.
class Daemon : public testing::SearchdProcess {
 public:
  Daemon(const fs::path& data, const fs::path& logs, const std::vector<std::string>& extra = {})
      : SearchdProcess(testing::SearchdFlags(data, extra), logs / "searchd.out",
                       logs / "searchd.err") {}
};

}  // namespace correlare::reliability
