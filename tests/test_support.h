// Helpers shared by the tests: where the sample corpus is, temporary folders, running
// the built programs.
#pragma once

#include <fcntl.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

extern char** environ;

namespace correlare::testing {

inline std::filesystem::path CorpusPath(const std::string& relative) {
  return std::filesystem::path(CORRELARE_CORPUS_DIR) / relative;
}

// A fresh empty folder under the system temp dir, removed when the object dies.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

inline TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "correlare-test-XXXXXX").string();
  char* made = mkdtemp(pattern.data());
  path_ = made ? std::filesystem::path(made) : std::filesystem::path();
}

inline TempDir::~TempDir() {
  std::error_code ignored;
  if (!path_.empty()) std::filesystem::remove_all(path_, ignored);
}

// What a finished program did.
struct ProgramRun {
  int exit_code = -1;  // -N when signal N ended it, -1 when it could not start
  std::string out;
  std::string err;
};

// Starts the program args[0] (a path, not looked up in PATH) with `args`, stdin from
// /dev/null, stdout and stderr appended to the files `out` and `err`. No shell is
// involved, so arguments need no quoting. Returns its pid, or -1.
inline pid_t StartProgram(const std::vector<std::string>& args, const std::filesystem::path& out,
                          const std::filesystem::path& err) {
  if (args.empty()) return -1;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  std::vector<std::string> copy = args;
  std::vector<char*> argv;
  for (auto& arg : copy) argv.push_back(arg.data());
  argv.push_back(nullptr);
  pid_t pid = -1;
  int spawned = posix_spawn(&pid, copy[0].c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  return spawned == 0 ? pid : -1;
}

// Waits for a program started by StartProgram: its exit code, or -N when signal N
// ended it.
inline int WaitForProgram(pid_t pid) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return -1;
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
}

// Runs the program args[0] with `args` to the end and returns what it printed.
inline ProgramRun RunProgram(const std::vector<std::string>& args) {
  TempDir dir;
  ProgramRun run;
  std::filesystem::path out = dir.path() / "out";
  std::filesystem::path err = dir.path() / "err";
  pid_t pid = StartProgram(args, out, err);
  if (pid < 0) return run;
  run.exit_code = WaitForProgram(pid);
  auto slurp = [](const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    return bytes.str();
  };
  run.out = slurp(out);
  run.err = slurp(err);
  return run;
}

}  // namespace correlare::testing
