// Helpers shared by the tests that run the real correlare-searchd and speak HTTP to it:
// the daemon on a free loopback port, one request over a fresh connection, a JSON body.
#pragma once

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/NameValueCollection.h>
#include <Poco/StreamCopier.h>
#include <Poco/Timespan.h>
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "test_support.h"

namespace correlare::testing {

inline const std::string kSearchd = std::string(CORRELARE_BIN_DIR) + "/correlare-searchd";
inline const std::string kTaxonomy =
    std::string(CORRELARE_SOURCE_DIR) + "/taxonomy/taxonomy.json";

inline std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

// The flags that serve `data` with the test taxonomy on a free loopback port, then `extra`.
inline std::vector<std::string> SearchdFlags(const std::filesystem::path& data,
                                             const std::vector<std::string>& extra = {}) {
  std::vector<std::string> flags = {"--data", data.string(), "--taxonomy", kTaxonomy,
                                    "--listen", "127.0.0.1:0"};
  flags.insert(flags.end(), extra.begin(), extra.end());
  return flags;
}

// A correlare-searchd child process run with `flags`, its stdout and stderr appended to
// `out` and `err`, stopped (SIGTERM) when the object dies. The constructor waits (up to
// a minute) for its "listening on http://127.0.0.1:PORT" line; port() is 0 when that
// never came or the daemon gave up first (then Stop() returns its exit code).
class SearchdProcess {
 public:
  SearchdProcess(const std::vector<std::string>& flags, const std::filesystem::path& out,
                 const std::filesystem::path& err)
      : out_(out), err_(err) {
    using namespace std::chrono_literals;
    std::vector<std::string> args = {kSearchd};
    args.insert(args.end(), flags.begin(), flags.end());
    pid_ = StartProgram(args, out_, err_);
    const std::regex listening("listening on http://127\\.0\\.0\\.1:([0-9]+)\n");
    auto deadline = std::chrono::steady_clock::now() + 60s;
    while (pid_ > 0 && std::chrono::steady_clock::now() < deadline) {
      std::smatch match;
      std::string text = ReadFile(out_);
      if (std::regex_search(text, match, listening)) {
        port_ = static_cast<uint16_t>(std::stoi(match[1]));
        return;
      }
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {  // it gave up
        exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
        pid_ = -1;
        return;
      }
      std::this_thread::sleep_for(20ms);
    }
  }
  ~SearchdProcess() { Stop(); }
  SearchdProcess(const SearchdProcess&) = delete;
  SearchdProcess& operator=(const SearchdProcess&) = delete;

  uint16_t port() const { return port_; }
  std::string out() const { return ReadFile(out_); }
  std::string err() const { return ReadFile(err_); }

  // SIGTERM, then the exit code.
  int Stop() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      exit_code_ = WaitForProgram(pid_);
      pid_ = -1;
    }
    return exit_code_;
  }

 private:
  std::filesystem::path out_, err_;
  pid_t pid_ = -1;
  uint16_t port_ = 0;
  int exit_code_ = -1;
};

// ---- HTTP --------------------------------------------------------------------------

struct Reply {
  int status = 0;
  std::string body;
  Poco::Net::NameValueCollection headers;  // case-insensitive names
  std::string Header(const std::string& name) const { return headers.get(name, ""); }
};

using Headers = std::vector<std::pair<std::string, std::string>>;

// One request to 127.0.0.1:`port` over a fresh connection; `timeout` bounds each read
// and write. A body (or a POST or PUT) goes with its Content-Length.
inline Reply Request(uint16_t port, const std::string& method, const std::string& uri,
                     const Headers& headers = {}, const std::string& body = "",
                     Poco::Timespan timeout = Poco::Timespan(30, 0)) {
  Poco::Net::HTTPClientSession session("127.0.0.1", port);
  session.setTimeout(timeout);
  Poco::Net::HTTPRequest request(method, uri, Poco::Net::HTTPMessage::HTTP_1_1);
  for (const auto& [name, value] : headers) request.set(name, value);
  if (!body.empty() || method == "POST" || method == "PUT") {
    request.setContentLength64(static_cast<Poco::Int64>(body.size()));
  }
  std::ostream& out = session.sendRequest(request);
  out << body;
  Poco::Net::HTTPResponse response;
  std::istream& in = session.receiveResponse(response);
  Reply reply;
  reply.status = response.getStatus();
  for (const auto& [name, value] : response) reply.headers.add(name, value);
  Poco::StreamCopier::copyToString(in, reply.body);
  return reply;
}

// One GET over a fresh connection; `timeout` bounds each read and write.
inline Reply Get(uint16_t port, const std::string& uri,
                 Poco::Timespan timeout = Poco::Timespan(30, 0)) {
  return Request(port, "GET", uri, {}, "", timeout);
}

// The reply's body as JSON (a failed expectation, and an empty object, when it is not).
inline rapidjson::Document Json(const Reply& reply) {
  rapidjson::Document doc;
  doc.Parse(reply.body.c_str(), reply.body.size());
  EXPECT_FALSE(doc.HasParseError()) << reply.body.substr(0, 300);
  if (doc.HasParseError()) doc.SetObject();
  return doc;
}

}  // namespace correlare::testing
