// Helpers of the reliability tests (docs/reliability.md): the real programs, real
// filesystems (small tmpfs mounts for a full or read-only disk), real HTTP.
#pragma once

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/NameValueCollection.h>
#include <Poco/StreamCopier.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/wait.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "test_support.h"

namespace correlare::reliability {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

inline const std::string kIndexer = std::string(CORRELARE_BIN_DIR) + "/correlare-indexer";
inline const std::string kSearchd = std::string(CORRELARE_BIN_DIR) + "/correlare-searchd";
inline const std::string kTaxonomy =
    std::string(CORRELARE_SOURCE_DIR) + "/taxonomy/taxonomy.json";

inline std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

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

// A correlare-searchd child process, stopped (SIGTERM) when the object dies.
class Daemon {
 public:
  Daemon(const fs::path& data, const fs::path& logs, const std::vector<std::string>& extra = {})
      : out_(logs / "searchd.out"), err_(logs / "searchd.err") {
    std::vector<std::string> args = {kSearchd, "--data", data.string(), "--taxonomy", kTaxonomy,
                                     "--listen", "127.0.0.1:0"};
    args.insert(args.end(), extra.begin(), extra.end());
    pid_ = testing::StartProgram(args, out_, err_);
    const std::regex listening("listening on http://127\\.0\\.0\\.1:([0-9]+)\n");
    auto deadline = std::chrono::steady_clock::now() + 60s;
    while (pid_ > 0 && std::chrono::steady_clock::now() < deadline) {
      std::smatch match;
      std::string out = ReadFile(out_);
      if (std::regex_search(out, match, listening)) {
        port_ = static_cast<uint16_t>(std::stoi(match[1]));
        return;
      }
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return;
      }
      std::this_thread::sleep_for(20ms);
    }
  }
  ~Daemon() { Stop(); }
  Daemon(const Daemon&) = delete;
  Daemon& operator=(const Daemon&) = delete;

  uint16_t port() const { return port_; }
  std::string err() const { return ReadFile(err_); }
  int Stop() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      exit_code_ = testing::WaitForProgram(pid_);
      pid_ = -1;
    }
    return exit_code_;
  }

 private:
  fs::path out_, err_;
  pid_t pid_ = -1;
  uint16_t port_ = 0;
  int exit_code_ = -1;
};

struct Reply {
  int status = 0;
  std::string body;
  Poco::Net::NameValueCollection headers;  // case-insensitive names
  std::string Header(const std::string& name) const { return headers.get(name, ""); }
};

// One GET over a fresh connection; `timeout` bounds each read and write.
inline Reply Get(uint16_t port, const std::string& uri,
                 Poco::Timespan timeout = Poco::Timespan(30, 0)) {
  Poco::Net::HTTPClientSession session("127.0.0.1", port);
  session.setTimeout(timeout);
  Poco::Net::HTTPRequest request("GET", uri, Poco::Net::HTTPMessage::HTTP_1_1);
  session.sendRequest(request);
  Poco::Net::HTTPResponse response;
  std::istream& in = session.receiveResponse(response);
  Reply reply;
  reply.status = response.getStatus();
  for (const auto& [name, value] : response) reply.headers.add(name, value);
  Poco::StreamCopier::copyToString(in, reply.body);
  return reply;
}

}  // namespace correlare::reliability
