// correlare-indexer watch [--poll S] [--once] [--settle-ms N], and retry [PROVINCE].
#include <atomic>
#include <filesystem>
#include <iostream>
#include <thread>

#include "indexer/commands.h"
#include "indexer/extraction_settings.h"
#include "indexer/inbox_watcher.h"
#include "indexer/ingestor.h"
#include "indexer/repository.h"
#include "stop_signals.h"
#include "taxonomy/taxonomy.h"
#include "taxonomy/vocabulary.h"

namespace correlare::indexer {
namespace {

namespace fs = std::filesystem;

Result<int64_t> BoundedSetting(const Settings& settings, const std::string& key, int64_t fallback,
                               int64_t min, int64_t max) {
  auto value = settings.GetInt(key, fallback);
  if (!value.ok()) return value;
  if (value.value() < min || value.value() > max) {
    return Status(StatusCode::kInvalidArgument, "setting '" + key + "' must be between " +
                                                    std::to_string(min) + " and " +
                                                    std::to_string(max));
  }
  return value;
}

std::string InboxDir(const Settings& settings) {
  return (fs::path(settings.data_dir()) / "inbox").string();
}

// DIR/inbox and a folder per province, so that partners find where to drop files.
Status MakeInboxFolders(const std::string& inbox) {
  std::error_code error;
  fs::create_directories(inbox, error);
  for (const auto& province : taxonomy::Provinces()) {
    if (error) break;
    fs::create_directories(fs::path(inbox) / std::string(province.id), error);
  }
  if (error) return Status(StatusCode::kIoError, "cannot create " + inbox + ": " + error.message());
  return Status::Ok();
}

// A failure to open the index that time may cure (a full or read-only disk), as
// opposed to another writer holding it, or an index of another schema.
bool CanWaitOut(const Status& status) {
  return status.code() == StatusCode::kIoError &&
         status.message().find("being written by another process") == std::string::npos;
}

// A watcher that cannot open the index waits, as it does when the index or store
// fails while it runs (inbox_watcher.cpp): the files stay in the inbox, and it starts
// taking them once the index opens. Tries again after 2 s, doubling up to 60 s, until
// it opens or a stop is requested.
Result<std::unique_ptr<Repository>> WaitForRepository(const std::string& data_dir,
                                                      const taxonomy::Taxonomy& taxonomy,
                                                      Status failure) {
  auto pause = std::chrono::seconds(2);
  while (!StopRequested().load()) {
    std::cerr << "correlare-indexer: paused: " << failure.message()
              << "; files stay in the inbox; trying again in " << pause.count() << " s"
              << std::endl;
    auto until = std::chrono::steady_clock::now() + pause;
    while (!StopRequested().load() && std::chrono::steady_clock::now() < until) {
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    if (StopRequested().load()) break;
    auto repository = Repository::Open(data_dir, taxonomy);
    if (repository.ok()) {
      std::cerr << "correlare-indexer: resumed: the index opens again" << std::endl;
      return repository;
    }
    if (!CanWaitOut(repository.status())) return repository;
    failure = repository.status();
    pause = std::min(pause * 2, std::chrono::seconds(60));
  }
  return failure;
}

}  // namespace

std::vector<FlagSpec> WatchFlags() {
  return {
      {"poll", true, "S", "watch: look every S seconds instead of using inotify (network shares)"},
      {"once", false, "", "watch: take what is in the inbox now, then exit"},
      {"settle-ms", true, "N", "watch: a file unchanged this long is complete (default 500)"},
  };
}

int RunWatch(const CommandLine& cmd, const Settings& settings) {
  if (cmd.positionals.size() != 1)
    return Fail("usage: watch [--poll S] [--once] [--settle-ms N]", kExitUsage);
  auto poll = BoundedSetting(settings, "poll", 0, 0, 86400);
  auto settle = BoundedSetting(settings, "settle-ms", 500, 0, 600000);
  auto limits = LimitsFromSettings(settings);
  for (const Status& status : {poll.status(), settle.status(), limits.status()}) {
    if (!status.ok()) return Fail(status.message(), kExitUsage);
  }
  if (cmd.Has("poll") && poll.value() == 0)
    return Fail("--poll needs at least 1 second", kExitUsage);

  auto taxonomy = taxonomy::Taxonomy::Load(settings.taxonomy_file());
  if (!taxonomy.ok()) return Fail(taxonomy.status().message(), kExitUsage);
  const std::string inbox = InboxDir(settings);
  Status made = MakeInboxFolders(inbox);
  if (!made.ok()) return Fail(made.message(), kExitFailed);
  auto repository = Repository::Open(settings.data_dir(), taxonomy.value());
  if (!repository.ok() && !cmd.Has("once") && CanWaitOut(repository.status())) {
    HandleStopSignals();
    repository = WaitForRepository(settings.data_dir(), taxonomy.value(), repository.status());
    if (!repository.ok() && StopRequested().load()) return 0;
  }
  if (!repository.ok()) return Fail(repository.status().message(), kExitFailed);

  IngestOptions ingest;
  ingest.worker.limits = limits.value();
  // One thread more than cores, kept for small files: a dropped notice is searchable
  // while a large PDF is still being read.
  ingest.extract_threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency())) + 1;
  ingest.large_file_bytes = 1 << 20;
  ingest.batch_size = 50;
  WatchOptions watch;
  watch.inbox_dir = inbox;
  watch.poll_seconds = static_cast<int>(poll.value());
  watch.settle_ms = static_cast<int>(settle.value());
  watch.max_file_bytes = limits.value().max_file_bytes;

  Status status;
  {
    Ingestor ingestor(*repository.value(), ingest);
    watch.on_watching = [&] {
      std::cerr << "correlare-indexer: watching " << inbox
                << (watch.poll_seconds > 0 ? " every " + std::to_string(watch.poll_seconds) + " s"
                                           : "")
                << std::endl;
    };
    InboxWatcher watcher(ingestor, watch, std::cout);
    if (cmd.Has("once")) {
      status = watcher.SweepOnce();
    } else {
      HandleStopSignals();
      status = watcher.Run(StopRequested());
    }
  }
  if (!status.ok()) return Fail(status.message(), kExitFailed);
  return kExitOk;
}

int RunRetry(const CommandLine& cmd, const Settings& settings) {
  if (cmd.positionals.size() > 2) return Fail("usage: retry [PROVINCE]", kExitUsage);
  std::string province = cmd.positionals.size() == 2 ? cmd.positionals[1] : "";
  if (!province.empty() && !taxonomy::ResolveProvince(province)) {
    return Fail("unknown province '" + province + "'", kExitUsage);
  }
  auto moved = RetryRejected(InboxDir(settings), province);
  if (!moved.ok()) return Fail(moved.status().message(), kExitFailed);
  std::cout << moved.value() << (moved.value() == 1 ? " file" : " files")
            << " moved back to the inbox" << std::endl;
  return kExitOk;
}

}  // namespace correlare::indexer
