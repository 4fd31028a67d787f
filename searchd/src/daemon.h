// The daemon as a whole: settings in, the service opened, the HTTP server running until
// SIGINT or SIGTERM, the usage counts saved every 10 seconds and at the end. main()
// only parses the command line and calls RunDaemon().
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/command_line.h"
#include "common/settings.h"
#include "common/status.h"
#include "http_server.h"

namespace correlare::searchd {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;
inline constexpr int kExitUsage = 2;

struct DaemonOptions {
  std::string data_dir = "var";
  std::string taxonomy_file = "taxonomy/taxonomy.json";
  std::string web_root;  // the web UI's files; by default the web/ folder of the build
  ServerOptions server;
  int max_searches = 0;  // searches computed at once (0: as many as there are cores)
};

// The daemon's own flags (--listen, --max_threads, --max_searches, --max_queued,
// --request_timeout_s, --web_root), each also an INI key of the same name.
std::vector<FlagSpec> DaemonFlags();

// Reads and checks the daemon's settings (SPEC "Programs"); errors name the setting.
Result<DaemonOptions> DaemonOptionsFromSettings(const Settings& settings);

// "HOST:PORT" or "[IPv6]:PORT" -> host and port.
Status ParseListen(const std::string& listen, std::string& host, uint16_t& port);

// Serves until SIGINT or SIGTERM; prints "listening on http://HOST:PORT" on stdout once
// it accepts connections. Returns the process exit code. REQUIRES: called before any
// other thread exists (it blocks the stop signals for every thread it starts).
int RunDaemon(const DaemonOptions& options);

}  // namespace correlare::searchd
