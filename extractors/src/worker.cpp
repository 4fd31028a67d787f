#include "extractors/worker.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <new>
#include <string>
#include <vector>

#include "extractors/json_codec.h"
#include "extractors/registry.h"

extern char** environ;

namespace correlare::extractors {
namespace {

constexpr char kWorkerName[] = "correlare-extract-worker";
// What the parent keeps of the worker's stderr, for the error message.
constexpr size_t kMaxStderrBytes = 4096;
// Exit code of a worker that ran out of memory under its rlimit.
constexpr int kExitOutOfMemory = 3;

std::string FindWorker(const WorkerOptions& options) {
  if (!options.worker_path.empty()) return options.worker_path;
  std::error_code error;
  auto self = std::filesystem::read_symlink("/proc/self/exe", error);
  if (!error) {
    auto sibling = self.parent_path() / kWorkerName;
    if (std::filesystem::is_regular_file(sibling, error)) return sibling.string();
  }
  if (const char* env = std::getenv("CORRELARE_EXTRACT_WORKER"); env != nullptr && *env) {
    return env;
  }
  return "";
}

std::vector<std::string> WorkerArguments(const std::string& worker, const std::string& file,
                                         const Limits& limits, const std::string& members_dir) {
  std::vector<std::string> args = {worker,
          "--max-file-bytes", std::to_string(limits.max_file_bytes),
          "--max-text-bytes", std::to_string(limits.max_text_bytes),
          "--max-depth", std::to_string(limits.max_depth),
          "--max-members", std::to_string(limits.max_members),
          "--max-member-bytes", std::to_string(limits.max_member_bytes),
          "--max-expanded-bytes", std::to_string(limits.max_expanded_bytes),
          "--max-expansion-ratio", std::to_string(limits.max_expansion_ratio),
          "--timeout", std::to_string(limits.timeout_seconds),
          "--memory-bytes", std::to_string(limits.memory_bytes)};
  if (!members_dir.empty()) {
    args.push_back("--members-dir");
    args.push_back(members_dir);
  }
  args.push_back("--");
  args.push_back(file);
  return args;
}

// Writes each member's bytes to DIR/<content id>, once.
class DirectorySink : public MemberSink {
 public:
  explicit DirectorySink(std::string dir) : dir_(std::move(dir)) {}
  Status Keep(const std::string& content_id, std::string_view bytes) override {
    std::string path = dir_ + "/" + content_id;
    if (access(path.c_str(), F_OK) == 0) return Status::Ok();
    std::string temp = path + ".part";
    int fd = open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return Status(StatusCode::kIoError, "cannot write " + temp + ": " + strerror(errno));
    size_t written = 0;
    while (written < bytes.size()) {
      ssize_t n = write(fd, bytes.data() + written, bytes.size() - written);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      written += static_cast<size_t>(n);
    }
    close(fd);
    if (written != bytes.size() || rename(temp.c_str(), path.c_str()) != 0) {
      unlink(temp.c_str());
      return Status(StatusCode::kIoError, "cannot write " + path);
    }
    return Status::Ok();
  }

 private:
  std::string dir_;
};

class Pipe {
 public:
  Pipe() {
    if (pipe2(fds_, O_CLOEXEC) != 0) fds_[0] = fds_[1] = -1;
  }
  ~Pipe() {
    CloseRead();
    CloseWrite();
  }
  Pipe(const Pipe&) = delete;
  Pipe& operator=(const Pipe&) = delete;
  bool ok() const { return fds_[0] >= 0; }
  int read_end() const { return fds_[0]; }
  int write_end() const { return fds_[1]; }
  void CloseRead() {
    if (fds_[0] >= 0) close(fds_[0]);
    fds_[0] = -1;
  }
  void CloseWrite() {
    if (fds_[1] >= 0) close(fds_[1]);
    fds_[1] = -1;
  }

 private:
  int fds_[2];
};

std::string DescribeSignal(int signal_number) {
  const char* name = strsignal(signal_number);
  return "signal " + std::to_string(signal_number) + (name ? std::string(": ") + name : "");
}

std::string LastLine(const std::string& text) {
  std::string trimmed = text;
  while (!trimmed.empty() && (trimmed.back() == '\n' || trimmed.back() == '\r')) trimmed.pop_back();
  size_t newline = trimmed.find_last_of('\n');
  return newline == std::string::npos ? trimmed : trimmed.substr(newline + 1);
}

void ApplyRlimits(const Limits& limits, bool writes_members) {
  struct rlimit none = {0, 0};
  setrlimit(RLIMIT_CORE, &none);
  // The worker writes nothing but its stdout pipe and, when asked, members' bytes: no
  // file larger than one member.
  struct rlimit files = {0, 0};
  if (writes_members) files.rlim_cur = files.rlim_max = static_cast<rlim_t>(limits.max_member_bytes);
  setrlimit(RLIMIT_FSIZE, &files);
  rlim_t cpu = static_cast<rlim_t>(limits.timeout_seconds) + 1;
  struct rlimit cpu_limit = {cpu, cpu + 1};
  setrlimit(RLIMIT_CPU, &cpu_limit);
#ifndef CORRELARE_SANITIZED
  // AddressSanitizer reserves terabytes of address space for its shadow memory, so the
  // address-space limit only applies to normal builds.
  struct rlimit memory = {static_cast<rlim_t>(limits.memory_bytes),
                          static_cast<rlim_t>(limits.memory_bytes)};
  setrlimit(RLIMIT_AS, &memory);
#endif
}

bool ParseWorkerArgs(int argc, char** argv, Limits& limits, std::string& members_dir,
                     std::string& file) {
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--") {
      if (i + 1 != argc - 1) return false;
      file = argv[i + 1];
      return true;
    }
    if (i + 1 >= argc) return false;
    std::string value = argv[++i];
    try {
      if (arg == "--max-file-bytes") limits.max_file_bytes = std::stoull(value);
      else if (arg == "--max-text-bytes") limits.max_text_bytes = std::stoull(value);
      else if (arg == "--max-depth") limits.max_depth = std::stoi(value);
      else if (arg == "--max-members") limits.max_members = std::stoi(value);
      else if (arg == "--max-member-bytes") limits.max_member_bytes = std::stoull(value);
      else if (arg == "--max-expanded-bytes") limits.max_expanded_bytes = std::stoull(value);
      else if (arg == "--max-expansion-ratio") limits.max_expansion_ratio = std::stod(value);
      else if (arg == "--timeout") limits.timeout_seconds = std::stoi(value);
      else if (arg == "--memory-bytes") limits.memory_bytes = std::stoull(value);
      else if (arg == "--members-dir") members_dir = value;
      else return false;
    } catch (const std::exception&) {
      return false;
    }
  }
  return false;
}

}  // namespace

Result<ExtractedDocument> ExtractInWorker(const std::string& file_path,
                                          const WorkerOptions& options) {
  std::string worker = FindWorker(options);
  if (worker.empty() || access(worker.c_str(), X_OK) != 0) {
    return Status(StatusCode::kInternal,
                  std::string("cannot find the extraction helper ") + kWorkerName +
                      (worker.empty() ? "" : " at " + worker) +
                      " (set CORRELARE_EXTRACT_WORKER to its path)");
  }
  Pipe out;
  Pipe err;
  if (!out.ok() || !err.ok()) {
    return Status(StatusCode::kIoError, std::string("cannot create a pipe: ") + strerror(errno));
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out.write_end(), 1);
  posix_spawn_file_actions_adddup2(&actions, err.write_end(), 2);

  std::vector<std::string> args =
      WorkerArguments(worker, file_path, options.limits, options.members_dir);
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);

  pid_t pid = 0;
  int spawned = posix_spawn(&pid, worker.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  out.CloseWrite();
  err.CloseWrite();
  if (spawned != 0) {
    return Status(StatusCode::kInternal,
                  "cannot start " + worker + ": " + std::string(strerror(spawned)));
  }

  std::string output;
  std::string errors;
  auto deadline = std::chrono::steady_clock::now() +
                  std::chrono::seconds(std::max(1, options.limits.timeout_seconds));
  bool timed_out = false;
  pollfd fds[2] = {{out.read_end(), POLLIN, 0}, {err.read_end(), POLLIN, 0}};
  int open_fds = 2;
  char buffer[65536];
  while (open_fds > 0) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      timed_out = true;
      break;
    }
    int ready = poll(fds, 2, static_cast<int>(std::min<int64_t>(left.count(), 1000)));
    if (ready < 0 && errno != EINTR) break;
    for (auto& fd : fds) {
      if (fd.fd < 0 || (fd.revents & (POLLIN | POLLHUP | POLLERR)) == 0) continue;
      ssize_t n = read(fd.fd, buffer, sizeof(buffer));
      if (n > 0) {
        if (fd.fd == out.read_end()) output.append(buffer, static_cast<size_t>(n));
        else if (errors.size() < kMaxStderrBytes) errors.append(buffer, static_cast<size_t>(n));
      } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
        fd.fd = -1;
        --open_fds;
      }
    }
  }
  if (timed_out) kill(pid, SIGKILL);
  int wait_status = 0;
  while (waitpid(pid, &wait_status, 0) < 0 && errno == EINTR) {
  }

  if (timed_out) {
    return Status(StatusCode::kTimeout, "extraction took longer than " +
                                            std::to_string(options.limits.timeout_seconds) +
                                            " s and was stopped");
  }
  if (WIFSIGNALED(wait_status)) {
    int sig = WTERMSIG(wait_status);
    if (sig == SIGXCPU || sig == SIGKILL) {
      return Status(StatusCode::kTimeout, "extraction used more than " +
                                              std::to_string(options.limits.timeout_seconds) +
                                              " s of CPU and was stopped");
    }
    std::string detail = LastLine(errors);
    return Status(StatusCode::kInternal, "the extractor crashed on this file (" +
                                             DescribeSignal(sig) + ")" +
                                             (detail.empty() ? "" : ": " + detail));
  }
  int code = WIFEXITED(wait_status) ? WEXITSTATUS(wait_status) : -1;
  if (code == kExitOutOfMemory && output.empty()) {
    return Status(StatusCode::kLimitExceeded,
                  "extraction ran out of memory (limit " +
                      std::to_string(options.limits.memory_bytes >> 20) + " MB)");
  }
  if (code != 0 || output.empty()) {
    std::string detail = LastLine(errors);
    return Status(StatusCode::kInternal, "the extraction helper failed (exit code " +
                                             std::to_string(code) + ")" +
                                             (detail.empty() ? "" : ": " + detail));
  }
  Result<ExtractedDocument> parsed = DocumentFromJson(output);
  if (!parsed.ok()) {
    return Status(StatusCode::kInternal,
                  "the extraction helper answered badly: " + parsed.status().message());
  }
  if (!parsed.value().status.ok()) return parsed.value().status;
  return parsed;
}

int RunExtractWorker(int argc, char** argv) {
  Limits limits;
  std::string members_dir;
  std::string file;
  if (!ParseWorkerArgs(argc, argv, limits, members_dir, file)) {
    std::cerr << kWorkerName << ": usage: " << kWorkerName << " [--max-… N]… -- FILE\n";
    return 2;
  }
  ApplyRlimits(limits, !members_dir.empty());
  // SIGXFSZ would kill the worker; a member too large to keep is a failed write instead.
  signal(SIGXFSZ, SIG_IGN);
  // Keep the rest of the job's output off stdout: libraries that print would corrupt the
  // JSON the parent reads.
  int json_fd = dup(1);
  dup2(2, 1);
  std::string json;
  try {
    auto registry = ExtractorRegistry::WithDefaults();
    DirectorySink sink(members_dir);
    Result<ExtractedDocument> result =
        registry->ExtractFile(file, limits, members_dir.empty() ? nullptr : &sink);
    json = result.ok() ? DocumentToJson(result.value(), /*pretty=*/false)
                       : FailureToJson(file, result.status(), /*pretty=*/false);
  } catch (const std::bad_alloc&) {
    return kExitOutOfMemory;
  } catch (const std::exception& e) {
    json = FailureToJson(file, Status(StatusCode::kInternal, e.what()), false);
  }
  size_t written = 0;
  while (written < json.size()) {
    ssize_t n = write(json_fd, json.data() + written, json.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      return 1;
    }
    written += static_cast<size_t>(n);
  }
  return 0;
}

}  // namespace correlare::extractors
