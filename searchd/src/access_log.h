// AccessLog: one line per answered request, "GET /api/search 200 1.42ms", on a stream
// (stdout for the daemon). Paths are shown without their query (which holds what
// people searched for) and with control characters escaped, so a request cannot forge
// a log line.
//
// Thread safety: Write() may be called from many threads at once; lines never mix.
#pragma once

#include <cstdio>
#include <mutex>
#include <string>
#include <string_view>

namespace correlare::searchd {

class AccessLog {
 public:
  explicit AccessLog(std::FILE* out) : out_(out) {}

  void Write(std::string_view method, std::string_view target, int status, double millis);

  // The path of a request target, printable and at most 200 bytes long.
  static std::string LoggablePath(std::string_view target);

 private:
  std::mutex mutex_;
  std::FILE* out_;
};

}  // namespace correlare::searchd
