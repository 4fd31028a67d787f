#include "extractors/worker.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
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

// FILE empty: a serving worker (--serve), which reads its files from stdin.
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
  if (file.empty()) {
    args.push_back("--serve");
    return args;
  }
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

void ApplyRlimits(const Limits& limits, bool writes_members, bool serving) {
  struct rlimit none = {0, 0};
  setrlimit(RLIMIT_CORE, &none);
  // The worker writes nothing but its stdout pipe and, when asked, members' bytes: no
  // file larger than one member. A serving worker may be asked for members by any file.
  struct rlimit files = {0, 0};
  if (writes_members || serving) {
    files.rlim_cur = files.rlim_max = static_cast<rlim_t>(limits.max_member_bytes);
  }
  setrlimit(RLIMIT_FSIZE, &files);
  // A serving worker moves its CPU limit before each file (SetCpuLimitForNextFile).
  if (!serving) {
    rlim_t cpu = static_cast<rlim_t>(limits.timeout_seconds) + 1;
    struct rlimit cpu_limit = {cpu, cpu + 1};
    setrlimit(RLIMIT_CPU, &cpu_limit);
  }
#ifndef CORRELARE_SANITIZED
  // AddressSanitizer reserves terabytes of address space for its shadow memory, so the
  // address-space limit only applies to normal builds.
  struct rlimit memory = {static_cast<rlim_t>(limits.memory_bytes),
                          static_cast<rlim_t>(limits.memory_bytes)};
  setrlimit(RLIMIT_AS, &memory);
#endif
}

// RLIMIT_CPU counts the whole life of the process: a serving worker allows the CPU it
// has used so far plus one file's worth.
void SetCpuLimitForNextFile(const Limits& limits) {
  struct rusage usage = {};
  getrusage(RUSAGE_SELF, &usage);
  rlim_t used = static_cast<rlim_t>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec);
  rlim_t cpu = used + static_cast<rlim_t>(limits.timeout_seconds) + 1;
  struct rlimit cpu_limit = {cpu, RLIM_INFINITY};
  getrlimit(RLIMIT_CPU, &cpu_limit);
  cpu_limit.rlim_cur = std::min(cpu, cpu_limit.rlim_max);
  setrlimit(RLIMIT_CPU, &cpu_limit);
}

bool ParseWorkerArgs(int argc, char** argv, Limits& limits, std::string& members_dir,
                     std::string& file, bool& serving) {
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--") {
      if (serving || i + 1 != argc - 1) return false;
      file = argv[i + 1];
      return true;
    }
    if (arg == "--serve") {
      serving = true;
      continue;
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
  return serving;
}

bool WriteAll(int fd, std::string_view bytes) {
  size_t written = 0;
  while (written < bytes.size()) {
    ssize_t n = write(fd, bytes.data() + written, bytes.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    written += static_cast<size_t>(n);
  }
  return true;
}

// The serving protocol. A request on the worker's stdin: "<path bytes> <members-dir
// bytes>\n", then both strings (file names may hold any byte but NUL). An answer on its
// stdout: "<json bytes>\n", then the JSON of ExtractInWorker's one-shot output.
constexpr size_t kMaxRequestString = 1 << 16;

std::string FrameRequest(const std::string& path, const std::string& members_dir) {
  return std::to_string(path.size()) + " " + std::to_string(members_dir.size()) + "\n" + path +
         members_dir;
}

// Reads exactly `size` bytes; false at end of input.
bool ReadExactly(int fd, std::string& into, size_t size) {
  into.resize(size);
  size_t got = 0;
  while (got < size) {
    ssize_t n = read(fd, into.data() + got, size - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    got += static_cast<size_t>(n);
  }
  return true;
}

bool ReadHeaderLine(int fd, std::string& line) {
  line.clear();
  char c = 0;
  while (line.size() < 64) {
    ssize_t n = read(fd, &c, 1);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    if (c == '\n') return true;
    line.push_back(c);
  }
  return false;
}

std::string ExtractToJson(const ExtractorRegistry& registry, const std::string& file,
                          const Limits& limits, const std::string& members_dir) {
  DirectorySink sink(members_dir);
  Result<ExtractedDocument> result =
      registry.ExtractFile(file, limits, members_dir.empty() ? nullptr : &sink);
  return result.ok() ? DocumentToJson(result.value(), /*pretty=*/false)
                     : FailureToJson(file, result.status(), /*pretty=*/false);
}

int ServeFiles(const ExtractorRegistry& registry, const Limits& limits, int json_fd) {
  // A worker whose indexer died stops with it, even in the middle of a file (between
  // files, the end of its input stops it).
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  std::string header;
  while (ReadHeaderLine(0, header)) {
    size_t path_size = 0;
    size_t dir_size = 0;
    if (std::sscanf(header.c_str(), "%zu %zu", &path_size, &dir_size) != 2 ||
        path_size == 0 || path_size > kMaxRequestString || dir_size > kMaxRequestString) {
      std::cerr << kWorkerName << ": bad request\n";
      return 2;
    }
    std::string file;
    std::string members_dir;
    if (!ReadExactly(0, file, path_size) || !ReadExactly(0, members_dir, dir_size)) return 2;
    SetCpuLimitForNextFile(limits);
    std::string json;
    try {
      json = ExtractToJson(registry, file, limits, members_dir);
    } catch (const std::bad_alloc&) {
      return kExitOutOfMemory;
    } catch (const std::exception& e) {
      json = FailureToJson(file, Status(StatusCode::kInternal, e.what()), false);
    }
    if (!WriteAll(json_fd, std::to_string(json.size()) + "\n") || !WriteAll(json_fd, json)) {
      return 1;
    }
  }
  return 0;
}

// What a worker's end says about the file it was extracting: a crash, a timeout, running
// out of memory or a failed helper. `answered`: it had written an answer.
Status EndedWorkerStatus(int wait_status, const std::string& errors, const Limits& limits,
                         bool answered) {
  if (WIFSIGNALED(wait_status)) {
    int sig = WTERMSIG(wait_status);
    if (sig == SIGXCPU || sig == SIGKILL) {
      return Status(StatusCode::kTimeout, "extraction used more than " +
                                              std::to_string(limits.timeout_seconds) +
                                              " s of CPU and was stopped");
    }
    std::string detail = LastLine(errors);
    return Status(StatusCode::kInternal, "the extractor crashed on this file (" +
                                             DescribeSignal(sig) + ")" +
                                             (detail.empty() ? "" : ": " + detail));
  }
  int code = WIFEXITED(wait_status) ? WEXITSTATUS(wait_status) : -1;
  if (code == kExitOutOfMemory && !answered) {
    return Status(StatusCode::kLimitExceeded,
                  "extraction ran out of memory (limit " +
                      std::to_string(limits.memory_bytes >> 20) + " MB)");
  }
  std::string detail = LastLine(errors);
  return Status(StatusCode::kInternal, "the extraction helper failed (exit code " +
                                           std::to_string(code) + ")" +
                                           (detail.empty() ? "" : ": " + detail));
}

Status TimeoutStatus(const Limits& limits) {
  return Status(StatusCode::kTimeout, "extraction took longer than " +
                                          std::to_string(limits.timeout_seconds) +
                                          " s and was stopped");
}

Result<ExtractedDocument> ParseAnswer(const std::string& output) {
  Result<ExtractedDocument> parsed = DocumentFromJson(output);
  if (!parsed.ok()) {
    return Status(StatusCode::kInternal,
                  "the extraction helper answered badly: " + parsed.status().message());
  }
  if (!parsed.value().status.ok()) return parsed.value().status;
  return parsed;
}

Status MissingWorker(const std::string& worker) {
  return Status(StatusCode::kInternal,
                std::string("cannot find the extraction helper ") + kWorkerName +
                    (worker.empty() ? "" : " at " + worker) +
                    " (set CORRELARE_EXTRACT_WORKER to its path)");
}

// Starts `args` with stdin from `stdin_fd` (or /dev/null when -1), stdout and stderr to
// the given pipe ends.
Result<pid_t> Spawn(const std::vector<std::string>& args, int stdin_fd, int out_fd, int err_fd) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (stdin_fd >= 0) {
    posix_spawn_file_actions_adddup2(&actions, stdin_fd, 0);
  } else {
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  }
  posix_spawn_file_actions_adddup2(&actions, out_fd, 1);
  posix_spawn_file_actions_adddup2(&actions, err_fd, 2);
  std::vector<std::string> copy = args;
  std::vector<char*> argv;
  for (auto& arg : copy) argv.push_back(arg.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  int spawned = posix_spawn(&pid, args[0].c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) {
    return Status(StatusCode::kInternal,
                  "cannot start " + args[0] + ": " + std::string(strerror(spawned)));
  }
  return pid;
}

int WaitFor(pid_t pid) {
  int wait_status = 0;
  while (waitpid(pid, &wait_status, 0) < 0 && errno == EINTR) {
  }
  return wait_status;
}

// Reads a worker's stdout and stderr until `done(output)` or both are closed or the
// deadline passes. Returns false on the deadline. Keeps at most kMaxStderrBytes of stderr.
template <typename Done>
bool ReadWorker(int out_fd, int err_fd, std::chrono::steady_clock::time_point deadline,
                std::string& output, std::string& errors, bool& out_closed, Done done) {
  pollfd fds[2] = {{out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}};
  out_closed = false;
  char buffer[65536];
  while (!done(output) && (fds[0].fd >= 0 || fds[1].fd >= 0)) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    int ready = poll(fds, 2, static_cast<int>(std::min<int64_t>(left.count(), 1000)));
    if (ready < 0 && errno != EINTR) break;
    for (auto& fd : fds) {
      if (fd.fd < 0 || (fd.revents & (POLLIN | POLLHUP | POLLERR)) == 0) continue;
      ssize_t n = read(fd.fd, buffer, sizeof(buffer));
      if (n > 0) {
        if (fd.fd == out_fd) output.append(buffer, static_cast<size_t>(n));
        else if (errors.size() < kMaxStderrBytes) errors.append(buffer, static_cast<size_t>(n));
      } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
        if (fd.fd == out_fd) out_closed = true;
        fd.fd = -1;
      }
    }
  }
  return true;
}

auto DeadlineFor(const Limits& limits) {
  return std::chrono::steady_clock::now() +
         std::chrono::seconds(std::max(1, limits.timeout_seconds));
}

}  // namespace

Result<ExtractedDocument> ExtractInWorker(const std::string& file_path,
                                          const WorkerOptions& options) {
  std::string worker = FindWorker(options);
  if (worker.empty() || access(worker.c_str(), X_OK) != 0) return MissingWorker(worker);
  Pipe out;
  Pipe err;
  if (!out.ok() || !err.ok()) {
    return Status(StatusCode::kIoError, std::string("cannot create a pipe: ") + strerror(errno));
  }
  Result<pid_t> pid = Spawn(WorkerArguments(worker, file_path, options.limits, options.members_dir),
                            -1, out.write_end(), err.write_end());
  out.CloseWrite();
  err.CloseWrite();
  if (!pid.ok()) return pid.status();

  std::string output;
  std::string errors;
  bool out_closed = false;
  bool in_time = ReadWorker(out.read_end(), err.read_end(), DeadlineFor(options.limits), output,
                            errors, out_closed, [](const std::string&) { return false; });
  if (!in_time) kill(pid.value(), SIGKILL);
  int wait_status = WaitFor(pid.value());
  if (!in_time) return TimeoutStatus(options.limits);
  bool clean_exit = WIFEXITED(wait_status) && WEXITSTATUS(wait_status) == 0;
  if (!clean_exit || output.empty()) {
    return EndedWorkerStatus(wait_status, errors, options.limits, !output.empty());
  }
  return ParseAnswer(output);
}

struct ExtractionWorker::Process {
  pid_t pid = -1;
  int request_fd = -1;  // our end of the worker's stdin (a socket: no SIGPIPE)
  Pipe out;
  Pipe err;
  int files = 0;

  ~Process() {
    if (request_fd >= 0) close(request_fd);  // the worker sees the end of its input
    if (pid > 0) {
      // A worker between files exits at once; one still extracting is not waited for.
      out.CloseRead();
      kill(pid, SIGKILL);
      WaitFor(pid);
    }
  }
};

ExtractionWorker::ExtractionWorker(WorkerOptions options) : options_(std::move(options)) {}

ExtractionWorker::~ExtractionWorker() = default;

Result<ExtractedDocument> ExtractionWorker::Extract(const std::string& file_path,
                                                    const std::string& members_dir) {
  bool fresh = false;
  Result<ExtractedDocument> result = ExtractOnce(file_path, members_dir, fresh);
  bool process_failure = !result.ok() && (result.status().code() == StatusCode::kInternal ||
                                          result.status().code() == StatusCode::kLimitExceeded);
  if (process_failure && !fresh && !process_) {
    // The process that failed had served other files: the file gets a fresh one.
    result = ExtractOnce(file_path, members_dir, fresh);
  }
  return result;
}

Result<ExtractedDocument> ExtractionWorker::ExtractOnce(const std::string& file_path,
                                                        const std::string& members_dir,
                                                        bool& fresh_process) {
  if (file_path.empty() || file_path.size() > kMaxRequestString ||
      members_dir.size() > kMaxRequestString) {
    return Status(StatusCode::kInvalidArgument, "bad file name for extraction: " + file_path);
  }
  if (process_ && process_->files >= kFilesPerProcess) process_.reset();
  fresh_process = !process_;
  if (!process_) {
    std::string worker = FindWorker(options_);
    if (worker.empty() || access(worker.c_str(), X_OK) != 0) return MissingWorker(worker);
    auto process = std::make_unique<Process>();
    int sockets[2];
    if (!process->out.ok() || !process->err.ok() ||
        socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sockets) != 0) {
      return Status(StatusCode::kIoError, std::string("cannot create a pipe: ") + strerror(errno));
    }
    Result<pid_t> pid = Spawn(WorkerArguments(worker, "", options_.limits, ""), sockets[1],
                              process->out.write_end(), process->err.write_end());
    close(sockets[1]);
    process->request_fd = sockets[0];
    process->out.CloseWrite();
    process->err.CloseWrite();
    if (!pid.ok()) return pid.status();
    process->pid = pid.value();
    process_ = std::move(process);
    ++processes_started_;
  }
  Process& process = *process_;
  ++process.files;
  std::string request = FrameRequest(file_path, members_dir);
  size_t sent = 0;
  while (sent < request.size()) {
    ssize_t n = send(process.request_fd, request.data() + sent, request.size() - sent,
                     MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    sent += static_cast<size_t>(n);
  }
  bool delivered = sent == request.size();

  // The answer: "<size>\n<json>". A worker that could not be sent the request has died:
  // read what it left until its pipes close.
  std::string output;
  std::string errors;
  size_t body_start = std::string::npos;
  size_t body_size = 0;
  auto answered = [&](const std::string& out) {
    if (!delivered) return false;
    if (body_start == std::string::npos) {
      size_t newline = out.find('\n');
      if (newline == std::string::npos) return false;
      body_start = newline + 1;
      body_size = std::strtoull(out.c_str(), nullptr, 10);
    }
    return out.size() >= body_start + body_size;
  };
  bool out_closed = false;
  bool in_time = ReadWorker(process.out.read_end(), process.err.read_end(),
                            DeadlineFor(options_.limits), output, errors, out_closed, answered);
  if (in_time && answered(output)) {
    if (output.size() != body_start + body_size) {
      process_.reset();
      return Status(StatusCode::kInternal, "the extraction helper answered badly: extra output");
    }
    return ParseAnswer(output.substr(body_start));
  }
  // The process is gone, or is stopped now: its end says what happened to the file.
  pid_t pid = process.pid;
  process.pid = -1;
  if (!in_time) kill(pid, SIGKILL);
  int wait_status = WaitFor(pid);
  process_.reset();
  if (!in_time) return TimeoutStatus(options_.limits);
  return EndedWorkerStatus(wait_status, errors, options_.limits, false);
}

int RunExtractWorker(int argc, char** argv) {
  Limits limits;
  std::string members_dir;
  std::string file;
  bool serving = false;
  if (!ParseWorkerArgs(argc, argv, limits, members_dir, file, serving)) {
    std::cerr << kWorkerName << ": usage: " << kWorkerName
              << " [--max-… N]… -- FILE, or --serve [--max-… N]…\n";
    return 2;
  }
  ApplyRlimits(limits, !members_dir.empty(), serving);
  // SIGXFSZ would kill the worker; a member too large to keep is a failed write instead.
  signal(SIGXFSZ, SIG_IGN);
  // Keep the rest of the job's output off stdout: libraries that print would corrupt the
  // JSON the parent reads.
  int json_fd = dup(1);
  dup2(2, 1);
  std::unique_ptr<ExtractorRegistry> registry;
  std::string json;
  try {
    registry = ExtractorRegistry::WithDefaults();
    if (serving) return ServeFiles(*registry, limits, json_fd);
    json = ExtractToJson(*registry, file, limits, members_dir);
  } catch (const std::bad_alloc&) {
    return kExitOutOfMemory;
  } catch (const std::exception& e) {
    json = FailureToJson(file, Status(StatusCode::kInternal, e.what()), false);
  }
  return WriteAll(json_fd, json) ? 0 : 1;
}

}  // namespace correlare::extractors
