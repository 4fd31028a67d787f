#include "daemon.h"

#include <pthread.h>
#include <signal.h>

#include <algorithm>
#include <charconv>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <thread>

#include "fifo_gate.h"
#include "json_codec.h"
#include "metrics.h"
#include "searchd/search_service.h"
#include "taxonomy/taxonomy.h"
#include "usage_stats.h"

namespace correlare::searchd {
namespace {

constexpr int kSaveEverySeconds = 10;

void Warn(const std::string& message) {
  std::fprintf(stderr, "correlare-searchd: %s\n", message.c_str());
}

int Fail(const std::string& message, int code) {
  Warn(message);
  return code;
}

int CoreCount() { return static_cast<int>(std::max(1u, std::thread::hardware_concurrency())); }

Result<int> Bounded(const Settings& settings, const char* key, int fallback, int min, int max) {
  auto value = settings.GetInt(key, fallback);
  if (!value.ok()) return value.status();
  if (value.value() < min || value.value() > max) {
    return Status(StatusCode::kInvalidArgument, std::string("setting '") + key +
                                                    "' must be between " + std::to_string(min) +
                                                    " and " + std::to_string(max));
  }
  return static_cast<int>(value.value());
}

// Saves the usage counts every kSaveEverySeconds until stopped.
class PeriodicSaver {
 public:
  PeriodicSaver(UsageStats& usage, std::string path)
      : usage_(usage), path_(std::move(path)), thread_([this] { Loop(); }) {}
  ~PeriodicSaver() {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    wake_.notify_all();
    thread_.join();
  }

 private:
  void Loop() {
    std::unique_lock lock(mutex_);
    while (
        !wake_.wait_for(lock, std::chrono::seconds(kSaveEverySeconds), [this] { return stop_; })) {
      lock.unlock();
      Status saved = usage_.SaveIfChanged(path_);
      if (!saved.ok()) Warn("cannot save usage counts: " + saved.ToString());
      lock.lock();
    }
  }

  UsageStats& usage_;
  std::string path_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::thread thread_;  // last: starts once everything it uses exists
};

UsageSnapshot LoadUsage(const std::string& path) {
  auto loaded = UsageStats::Load(path);
  if (loaded.ok()) return loaded.value();
  // Counting goes on from zero; the damaged file is kept aside for a person to look at.
  std::error_code ignored;
  std::filesystem::rename(path, path + ".damaged", ignored);
  Warn("usage counts start afresh: " + loaded.status().ToString() + " (kept as " + path +
       ".damaged)");
  UsageSnapshot fresh;
  fresh.since = UtcNow();
  return fresh;
}

std::string ShownHost(const std::string& host) {
  return host.find(':') != std::string::npos ? "[" + host + "]" : host;
}

}  // namespace

std::vector<FlagSpec> DaemonFlags() {
  return {
      {"listen", true, "HOST:PORT", "address to serve on (default 127.0.0.1:8080; port 0: any)"},
      {"max_threads", true, "N", "requests answered at once (default 16)"},
      {"max_searches", true, "N",
       "searches computed at once, the others wait their turn in order (default: the number of cores)"},
      {"max_queued", true, "N", "connections waiting for a thread (default 64)"},
      {"request_timeout_s", true, "S", "seconds a request head may take to arrive, and each read or write (default 10)"},
      {"web_root", true, "DIR", "the web UI's files (default: the build's web/root/)"},
  };
}

Status ParseListen(const std::string& listen, std::string& host, uint16_t& port) {
  auto bad = [&](const std::string& why) {
    return Status(StatusCode::kInvalidArgument,
                  "setting 'listen' must be HOST:PORT, not '" + listen + "' (" + why + ")");
  };
  size_t colon = listen.rfind(':');
  if (colon == std::string::npos) return bad("no port");
  std::string name = listen.substr(0, colon);
  std::string digits = listen.substr(colon + 1);
  if (name.size() >= 2 && name.front() == '[' && name.back() == ']') {
    name = name.substr(1, name.size() - 2);
  } else if (name.find(':') != std::string::npos) {
    return bad("write an IPv6 address in brackets");
  }
  if (name.empty()) return bad("no host");
  unsigned value = 0;
  auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (digits.empty() || error != std::errc() || end != digits.data() + digits.size() ||
      value > 65535) {
    return bad("the port must be a number from 0 to 65535");
  }
  host = name;
  port = static_cast<uint16_t>(value);
  return Status::Ok();
}

Result<DaemonOptions> DaemonOptionsFromSettings(const Settings& settings) {
  DaemonOptions options;
  options.data_dir = settings.data_dir();
  options.taxonomy_file = settings.taxonomy_file();
  // CORRELARE_WEB_ROOT: the folder the build assembles (web/CMakeLists.txt).
  options.web_root = settings.GetString("web_root", CORRELARE_WEB_ROOT);
  Status listen = ParseListen(settings.GetString("listen", "127.0.0.1:8080"), options.server.host,
                              options.server.port);
  if (!listen.ok()) return listen;
  auto threads = Bounded(settings, "max_threads", 16, 1, 1024);
  auto searches = Bounded(settings, "max_searches", CoreCount(), 1, 1024);
  auto queued = Bounded(settings, "max_queued", 64, 1, 100000);
  auto timeout = Bounded(settings, "request_timeout_s", 10, 1, 3600);
  for (const auto* value : {&threads, &searches, &queued, &timeout}) {
    if (!value->ok()) return value->status();
  }
  options.max_searches = searches.value();
  options.server.max_threads = threads.value();
  options.server.max_queued = queued.value();
  options.server.request_timeout_s = timeout.value();
  return options;
}

int RunDaemon(const DaemonOptions& options) {
  // The stop signals are taken by sigwait() below, never by a thread in the middle of
  // a request; a client that goes away is an error on its socket, not a SIGPIPE.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  auto service = SearchService::Open(options.data_dir, options.taxonomy_file);
  if (!service.ok()) return Fail(service.status().message(), kExitFailed);
  auto taxonomy = taxonomy::Taxonomy::Load(options.taxonomy_file);
  if (!taxonomy.ok()) return Fail(taxonomy.status().message(), kExitFailed);

  const std::string usage_path =
      (std::filesystem::path(options.data_dir) / "searchd-stats.json").string();
  UsageStats usage(LoadUsage(usage_path));
  Metrics metrics;
  AccessLog log(stdout);
  ApiContext context;
  context.service = service.value().get();
  context.taxonomy = &taxonomy.value();
  context.taxonomy_json = TaxonomyToJson(taxonomy.value());
  context.usage = &usage;
  context.metrics = &metrics;
  context.web_root = options.web_root;
  FifoGate searches(options.max_searches > 0 ? options.max_searches : CoreCount());
  context.searches = &searches;
  std::error_code missing;
  if (!std::filesystem::is_regular_file(std::filesystem::path(options.web_root) / "index.html",
                                        missing)) {
    Warn("no web UI in " + options.web_root + " (setting 'web_root'): only the API is served");
  }
  RequestDispatcher dispatcher(context, metrics, log);

  HttpServer server(dispatcher, options.server);
  Status started = server.Start();
  if (!started.ok()) return Fail(started.message(), kExitFailed);
  std::printf("listening on http://%s:%u\n", ShownHost(options.server.host).c_str(),
              static_cast<unsigned>(server.port()));
  std::fflush(stdout);

  {
    PeriodicSaver saver(usage, usage_path);
    int signal_number = 0;
    while (sigwait(&stop_signals, &signal_number) != 0) {
    }
    server.Stop();
  }
  Status saved = usage.SaveIfChanged(usage_path);
  if (!saved.ok()) return Fail("cannot save usage counts: " + saved.ToString(), kExitFailed);
  return kExitOk;
}

}  // namespace correlare::searchd
