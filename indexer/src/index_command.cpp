// correlare-indexer index / remove / check.
#include <sys/stat.h>
#include <unistd.h>
#include <xapian.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <set>
#include <thread>

#include "common/content_id.h"
#include "indexer/commands.h"
#include "indexer/extraction_settings.h"
#include "indexer/ingestor.h"
#include "indexer/repository.h"
#include "indexer/sidecar.h"
#include "schema/document_record.h"
#include "schema/schema.h"
#include "schema/store.h"
#include "stop_signals.h"
#include "taxonomy/taxonomy.h"
#include "taxonomy/vocabulary.h"

namespace correlare::indexer {
namespace fs = std::filesystem;

namespace {

int64_t MtimeNs(const struct stat& st) {
  return static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
}

// The state of a file as the index compares it: its size, and the newest mtime of the
// file and its sidecar (a changed sidecar means re-indexing too).
std::optional<FileState> StatFile(const std::string& path) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) return std::nullopt;
  FileState state{static_cast<uint64_t>(st.st_size), MtimeNs(st), ""};
  struct stat side {};
  if (stat((path + std::string(kSidecarSuffix)).c_str(), &side) == 0) {
    state.mtime_ns = std::max(state.mtime_ns, MtimeNs(side)) + 1;
  }
  return state;
}

bool IsHiddenOrJunk(const fs::path& path) {
  std::string name = path.filename().string();
  return name.empty() || name[0] == '.' || name.rfind("~$", 0) == 0;
}

struct Summary {
  std::mutex mutex;
  int indexed = 0;
  int duplicates = 0;
  int unchanged = 0;
  int removed = 0;
  int members = 0;
  std::vector<std::pair<std::string, std::string>> failures;
  size_t done = 0;
  size_t total = 0;
  bool progress = false;
  // Why the run stopped before the end ("" when it did not), as "stopped <why>" says
  // it: a signal, or an index that cannot be written.
  std::string stopped;
  size_t not_taken = 0;

  void Progress() {
    if (!progress) return;
    constexpr int kWidth = 30;
    int filled = total == 0 ? kWidth : static_cast<int>(kWidth * done / total);
    std::cerr << "\r[" << std::string(filled, '#') << std::string(kWidth - filled, '.') << "] "
              << done << "/" << total << " files" << std::flush;
  }
};

Result<taxonomy::Taxonomy> LoadTaxonomy(const Settings& settings) {
  return taxonomy::Taxonomy::Load(settings.taxonomy_file());
}

}  // namespace

int Fail(const std::string& message, int code) {
  std::cerr << "correlare-indexer: " << message << "\n";
  return code;
}

int RunIndex(const CommandLine& cmd, const Settings& settings) {
  std::vector<std::string> paths(cmd.positionals.begin() + 1, cmd.positionals.end());
  if (paths.empty()) return Fail("usage: index PATH... [--province ID] [--type ID]", kExitUsage);
  std::string province_hint;
  if (cmd.Has("province")) {
    auto province = taxonomy::ResolveProvince(cmd.Get("province"));
    if (!province) return Fail("unknown province '" + cmd.Get("province") + "'", kExitUsage);
    province_hint = *province;
  }
  std::string type_hint = cmd.Get("type");
  if (!type_hint.empty() && !taxonomy::IsDocumentType(type_hint)) {
    return Fail("unknown type '" + type_hint + "'", kExitUsage);
  }
  for (const auto& path : paths) {
    std::error_code error;
    if (!fs::exists(path, error)) return Fail("no such file or folder: " + path, kExitUsage);
  }
  auto limits = LimitsFromSettings(settings);
  if (!limits.ok()) return Fail(limits.status().message(), kExitUsage);
  auto taxonomy = LoadTaxonomy(settings);
  if (!taxonomy.ok()) return Fail(taxonomy.status().message(), kExitUsage);
  auto repository = Repository::Open(settings.data_dir(), taxonomy.value());
  if (!repository.ok()) return Fail(repository.status().message(), kExitFailed);
  Repository& repo = *repository.value();

  // Few, large commits: each commit rewrites the posting lists it touches, so the
  // number of commits, not of documents, makes a bulk run slow. A kill loses what was
  // not committed; the next run does it again.
  auto interval = settings.GetInt("commit_interval_s", 20);
  auto batch = settings.GetInt("commit_batch", 2000);
  if (!interval.ok() || interval.value() < 1 || interval.value() > 3600) {
    return Fail("setting 'commit_interval_s' must be between 1 and 3600", kExitUsage);
  }
  if (!batch.ok() || batch.value() < 1 || batch.value() > 1000000) {
    return Fail("setting 'commit_batch' must be between 1 and 1000000", kExitUsage);
  }
  IngestOptions options;
  options.worker.limits = limits.value();
  options.extract_threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  options.batch_size = static_cast<size_t>(batch.value());
  options.commit_interval_ms = static_cast<int>(interval.value() * 1000);
  options.stop_on_index_failure = true;
  Summary summary;
  summary.progress = isatty(STDERR_FILENO) != 0;
  // SIGINT or SIGTERM: the files in hand are committed, the rest are left for the next
  // run (which skips what this one indexed).
  HandleStopSignals();
  auto signalled = [&summary] {
    if (!StopRequested().load()) return false;
    std::lock_guard lock(summary.mutex);
    if (summary.stopped.empty()) summary.stopped = "by SIGINT or SIGTERM";
    return true;
  };

  // Walk first: the totals make the progress bar honest.
  struct Found {
    std::string path;
    FileState state;
    std::string known_id;  // what the path held at the last run, "" if new
  };
  std::vector<Found> found;
  std::vector<std::string> folders;
  for (const auto& given : paths) {
    std::string root = fs::absolute(given).lexically_normal().string();
    if (root.size() > 1 && root.back() == '/') root.pop_back();
    std::error_code error;
    auto add = [&](const std::string& file) {
      if (IsSidecarPath(file)) return;
      auto state = StatFile(file);
      if (state) found.push_back({file, *state, ""});
    };
    if (signalled()) break;
    if (fs::is_directory(root, error)) {
      folders.push_back(root);
      fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied,
                                          error);
      for (; !error && it != fs::recursive_directory_iterator() && !StopRequested().load();
           it.increment(error)) {
        if (IsHiddenOrJunk(it->path())) {
          if (it->is_directory(error)) it.disable_recursion_pending();
          continue;
        }
        if (it->is_symlink(error)) continue;  // never followed: it may leave the folder
        if (it->is_regular_file(error)) add(it->path().string());
      }
    } else {
      add(root);
    }
  }

  // A file under two of the paths given is taken once; files go in path order.
  auto by_path = [](const Found& a, const Found& b) { return a.path < b.path; };
  std::sort(found.begin(), found.end(), by_path);
  found.erase(std::unique(found.begin(), found.end(),
                          [](const Found& a, const Found& b) { return a.path == b.path; }),
              found.end());
  auto seen = [&](const std::string& path) {
    return std::binary_search(found.begin(), found.end(), Found{path, {}, ""}, by_path);
  };

  // Unchanged files (same size and mtime, or same bytes) are skipped without extraction,
  // unless the store lost their original or text: indexing the source again is how
  // `check` says to restore those.
  auto intact = [&repo](const std::string& id) { return repo.IsIntact(id); };
  std::vector<size_t> todo;  // indices in `found`
  std::vector<std::pair<std::string, FileState>> touched;
  size_t examined = 0;
  try {
    for (auto& file : found) {
      if (signalled()) break;
      size_t at = examined++;
      auto known = repo.GetFileState(file.path);
      if (known) file.known_id = known->id;
      if (known && known->size == file.state.size && known->mtime_ns == file.state.mtime_ns &&
          intact(known->id)) {
        ++summary.unchanged;
        continue;
      }
      if (known && known->size == file.state.size && intact(known->id)) {
        auto bytes = schema::ReadWholeFile(file.path);
        if (bytes.ok() && ContentId(bytes.value()) == known->id &&
            !fs::exists(file.path + std::string(kSidecarSuffix))) {
          ++summary.unchanged;
          FileState state = file.state;
          state.id = known->id;
          touched.emplace_back(file.path, state);
          continue;
        }
      }
      todo.push_back(at);
    }
  } catch (const Xapian::Error& e) {
    return Fail("cannot read " + settings.data_dir() + "/index: " + e.get_description(),
                kExitFailed);
  }
  summary.total = todo.size();
  if (signalled()) {
    summary.not_taken = found.size() - examined;  // and todo, counted at the end
    todo.clear();
    touched.clear();
  }

  {
    Ingestor ingestor(repo, options);
    auto stopping = [&] {
      std::lock_guard lock(summary.mutex);
      return !summary.stopped.empty();
    };
    // Jobs are queued a window at a time: each holds copies of its path, and a million
    // of them queued at once took about 1 GB.
    constexpr size_t kQueueWindow = 1024;
    for (size_t index : todo) {
      while (ingestor.queued() >= kQueueWindow && !signalled() && !stopping()) {
        ingestor.DrainFor(std::chrono::milliseconds(10));
      }
      if (signalled() || stopping()) break;
      const Found& file = found[index];
      IngestJob job;
      job.path = file.path;
      job.source = {"file:" + file.path, fs::path(file.path).filename().string(), "", type_hint,
                    province_hint};
      job.state = file.state;
      job.on_done = [&summary, path = file.path,
                     known_id = file.known_id](const IngestResult& result) {
        std::lock_guard lock(summary.mutex);
        ++summary.done;
        if (result.index_failed && summary.stopped.empty()) {
          // No later file would fare better: the run stops, keeping what it committed.
          summary.stopped = "because the index cannot be written (" + result.status.message() + ")";
        }
        if (!result.status.ok()) {
          summary.failures.emplace_back(path, result.status.ToString());
        } else if (result.duplicate && result.id != known_id) {
          // Bytes another source already brought. The same file taken again (its
          // sidecar changed) is re-indexed, not a duplicate.
          ++summary.duplicates;
        } else {
          ++summary.indexed;
        }
        summary.members += static_cast<int>(result.members);
        summary.Progress();
      };
      ingestor.Submit(std::move(job));
    }
    // A signal drops the files no thread has started; an index that cannot be written
    // makes the Ingestor drop them itself (stop_on_index_failure).
    while (!ingestor.DrainFor(std::chrono::milliseconds(200))) {
      if (signalled()) {
        ingestor.CancelQueued();
        break;
      }
    }
    ingestor.Drain();
    // Files gone from an indexed folder take their documents with them (when no other
    // source holds the same bytes); not after a stop (the next run does it).
    if (!stopping())
      ingestor.RunOnWriter([&](Repository& r) {
        for (const auto& [path, state] : touched) r.SetFileState(path, state);
        for (const auto& folder : folders) {
          for (const auto& path : r.FileStatesUnder(folder + "/")) {
            if (seen(path)) continue;
            std::error_code error;
            if (fs::exists(path, error)) continue;
            Status removed = r.RemoveSource("file:" + path);
            r.ClearFileState(path);
            if (removed.ok()) ++summary.removed;
          }
        }
      });
    ingestor.Drain();
  }
  if (summary.progress) std::cerr << "\n";
  // A run that changed a good part of the index left it fragmented by its many commits:
  // compacting it makes it smaller (about 2.5x on the benchmark corpus) and faster to
  // search.
  uint64_t changed = static_cast<uint64_t>(summary.indexed + summary.members + summary.removed);
  if (summary.stopped.empty() && changed > 0 && changed * 10 >= repo.document_count()) {
    auto sizes = repo.Compact();
    if (!sizes.ok() && sizes.status().code() == StatusCode::kLimitExceeded) {
      std::cout << sizes.status().message() << "\n";  // the run itself succeeded
    } else if (!sizes.ok()) {
      summary.failures.emplace_back(settings.data_dir() + "/index", sizes.status().ToString());
    } else {
      std::cout << "compacted the index: " << (sizes.value().first >> 10) << " KB -> "
                << (sizes.value().second >> 10) << " KB\n";
    }
  }

  std::string documents;
  try {
    documents = std::to_string(repo.document_count()) + " documents";
  } catch (const Xapian::Error& e) {
    documents = "cannot count the documents: " + e.get_description();
  }
  std::cout << "indexed: " << summary.indexed << ", unchanged: " << summary.unchanged
            << ", duplicates: " << summary.duplicates << ", removed: " << summary.removed
            << ", bundle members: " << summary.members << ", failed: " << summary.failures.size()
            << " (" << documents << " in " << settings.data_dir() << ")\n";
  for (const auto& [path, reason] : summary.failures)
    std::cout << "  failed " << path << ": " << reason << "\n";
  if (!summary.stopped.empty()) {
    summary.not_taken += summary.total - summary.done;  // never called back: not taken
    return Fail("stopped " + summary.stopped + ": " + std::to_string(summary.not_taken) +
                    " files not taken; what was indexed is kept, and running the same command "
                    "again goes on from there",
                kExitFailed);
  }
  return summary.failures.empty() ? kExitOk : kExitFailed;
}

int RunRemove(const CommandLine& cmd, const Settings& settings) {
  if (cmd.positionals.size() != 2) return Fail("usage: remove ID", kExitUsage);
  const std::string& id = cmd.positionals[1];
  if (!IsValidContentId(id))
    return Fail("'" + id + "' is not a document id (32 hex characters)", kExitUsage);
  auto taxonomy = LoadTaxonomy(settings);
  if (!taxonomy.ok()) return Fail(taxonomy.status().message(), kExitUsage);
  auto repository = Repository::Open(settings.data_dir(), taxonomy.value());
  if (!repository.ok()) return Fail(repository.status().message(), kExitFailed);
  Status removed = repository.value()->RemoveDocument(id);
  if (!removed.ok()) return Fail(removed.message(), kExitFailed);
  Status committed = repository.value()->Commit();
  if (!committed.ok()) return Fail(committed.message(), kExitFailed);
  std::cout << "removed " << id << "\n";
  return kExitOk;
}

int RunCheck(const CommandLine& cmd, const Settings& settings) {
  std::string dir = settings.data_dir();
  schema::Store store(dir + "/store");
  std::vector<std::string> problems;
  std::vector<std::string> orphans;
  std::set<std::string> ids;
  bool repair = cmd.Has("repair");
  // --repair holds the write lock from the start: a running indexer writes originals
  // just before it commits them, and those must not be taken for leftovers.
  std::unique_ptr<Xapian::WritableDatabase> lock;
  try {
    if (repair) {
      try {
        lock = std::make_unique<Xapian::WritableDatabase>(dir + "/index", Xapian::DB_OPEN);
      } catch (const Xapian::DatabaseLockError&) {
        return Fail("check --repair needs the index to itself: stop `index` or `watch` first",
                    kExitFailed);
      }
    }
    Xapian::Database db = lock ? *lock : Xapian::Database(dir + "/index");
    for (auto it = db.postlist_begin(""); it != db.postlist_end(""); ++it) {
      Xapian::Document doc = db.get_document(*it);
      auto record = schema::RecordFromJson(doc.get_data());
      if (!record.ok()) {
        problems.push_back("document #" + std::to_string(*it) +
                           " has unreadable data: " + record.status().message() + " (index again)");
        continue;
      }
      const auto& r = record.value();
      ids.insert(r.id);
      if (!store.HasOriginal(r.id)) {
        problems.push_back(r.id + " (" + r.title +
                           "): its original is missing from the store "
                           "(index its source again, or `correlare-indexer remove " +
                           r.id + "`)");
      }
      if (!store.HasText(r.id)) {
        problems.push_back(r.id + " (" + r.title +
                           "): its extracted text is missing from the store "
                           "(index its source again, or `correlare-indexer remove " +
                           r.id + "`)");
      }
      if (r.sources.empty())
        problems.push_back(r.id + ": has no source (`correlare-indexer remove " + r.id + "`)");
    }
  } catch (const Xapian::DatabaseOpeningError& e) {
    return Fail("no index in " + dir + "/index (" + e.get_msg() + ")", kExitFailed);
  } catch (const Xapian::Error& e) {
    return Fail("cannot read " + dir + "/index: " + e.get_description(), kExitFailed);
  }
  for (const auto& id : store.ListOriginals()) {
    if (!ids.count(id)) orphans.push_back(id);
  }
  std::vector<std::string> leftovers = store.ListLeftovers();
  if (repair && (!orphans.empty() || !leftovers.empty())) {
    for (const auto& id : orphans) store.Remove(id);
    std::error_code ignored;
    for (const auto& path : leftovers) fs::remove(path, ignored);
    std::cout << "removed " << orphans.size() << " stored files that no document refers to and "
              << leftovers.size() << " temporary files of an interrupted run\n";
    orphans.clear();
    leftovers.clear();
  }
  for (const auto& problem : problems) std::cout << "problem: " << problem << "\n";
  if (!orphans.empty()) {
    std::cout << "problem: " << orphans.size()
              << " stored originals belong to no document (left by an interrupted run; "
                 "`correlare-indexer check --repair` deletes them)\n";
  }
  if (!leftovers.empty()) {
    std::cout << "problem: " << leftovers.size()
              << " temporary files of an interrupted run are in the store "
                 "(`correlare-indexer check --repair` deletes them)\n";
  }
  std::cout << ids.size() << " documents, "
            << (problems.size() + (orphans.empty() ? 0 : 1) + (leftovers.empty() ? 0 : 1))
            << " problems\n";
  return problems.empty() && orphans.empty() && leftovers.empty() ? kExitOk : kExitFailed;
}

}  // namespace correlare::indexer
