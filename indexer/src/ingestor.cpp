#include "indexer/ingestor.h"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <mutex>
#include <thread>
#include <variant>

#include "document_builder.h"

namespace correlare::indexer {
namespace fs = std::filesystem;

namespace {

struct Extracted {
  IngestJob job;
  Result<extractors::ExtractedDocument> document = Status(StatusCode::kInternal, "not extracted");
  Result<std::optional<Sidecar>> sidecar = std::optional<Sidecar>();
  std::string members_dir;
  std::unique_ptr<Prepared> prepared;  // Repository::Prepare, on the extraction thread
};

// Extracted documents waiting for the writer, at most (then extraction threads wait).
constexpr size_t kMaxResultsWaiting = 32;

using WriterWork = std::function<void(Repository&)>;
using WriterItem = std::variant<Extracted, WriterWork>;

}  // namespace

struct Ingestor::Impl {
  Repository& repository;
  IngestOptions options;
  std::mutex mutex;
  std::condition_variable jobs_ready;
  std::condition_variable results_ready;
  std::condition_variable drained;
  std::deque<IngestJob> jobs;
  std::deque<WriterItem> results;
  uint64_t submitted = 0;
  uint64_t completed = 0;
  bool stopping = false;
  int large_active = 0;  // large files being extracted (IngestOptions::large_file_bytes)
  std::atomic<uint64_t> counter{0};
  std::vector<std::thread> extractors;
  std::thread writer;

  Impl(Repository& repo, IngestOptions opts) : repository(repo), options(std::move(opts)) {}

  size_t DropQueued() {
    size_t dropped = 0;
    {
      std::lock_guard lock(mutex);
      dropped = jobs.size();
      jobs.clear();
      completed += dropped;  // for Drain(): they never will be
    }
    drained.notify_all();
    return dropped;
  }

  std::string NewMembersDir() {
    std::string dir = repository.data_dir() + "/tmp/members-" + std::to_string(getpid()) + "-" +
                      std::to_string(counter++);
    std::error_code error;
    fs::remove_all(dir, error);
    fs::create_directories(dir, error);
    return error ? "" : dir;
  }

  bool IsLarge(const IngestJob& job) const {
    return options.large_file_bytes > 0 && job.size >= options.large_file_bytes;
  }

  // The first job this thread may take, in order of submission: any small one, and a
  // large one only while another thread is left for small ones. Under `mutex`.
  std::deque<IngestJob>::iterator NextJob() {
    int threads = std::max(1, options.extract_threads);
    bool large_allowed = threads == 1 || large_active < threads - 1;
    for (auto it = jobs.begin(); it != jobs.end(); ++it) {
      if (large_allowed || !IsLarge(*it)) return it;
    }
    return jobs.end();
  }

  void ExtractLoop() {
    // One worker process per thread, kept for many files.
    extractors::ExtractionWorker worker(options.worker);
    for (;;) {
      IngestJob job;
      bool large = false;
      {
        std::unique_lock lock(mutex);
        auto next = jobs.end();
        // A writer slower than the extraction (many small files) is not left with an
        // ever longer queue of documents and their terms in memory.
        jobs_ready.wait(lock, [&] {
          next = NextJob();
          return (stopping && jobs.empty()) ||
                 (next != jobs.end() && results.size() < kMaxResultsWaiting);
        });
        if (next == jobs.end()) return;
        job = std::move(*next);
        jobs.erase(next);
        large = IsLarge(job);
        if (large) ++large_active;
      }
      Extracted item;
      item.members_dir = NewMembersDir();
      item.sidecar = ReadSidecarFor(job.path);
      if (item.sidecar.ok()) item.document = worker.Extract(job.path, item.members_dir);
      if (item.document.ok()) {
        try {
          item.prepared =
              repository.Prepare(item.document.value(), job.source, item.sidecar.value());
        } catch (...) {  // std::exception, Xapian::Error
          // The writer does the work again, and reports what goes wrong.
        }
      }
      item.job = std::move(job);
      {
        std::lock_guard lock(mutex);
        results.push_back(std::move(item));
        if (large) --large_active;
      }
      results_ready.notify_one();
      // A large file done may let a waiting thread take the next large one.
      if (large) jobs_ready.notify_all();
    }
  }

  void WriteLoop() {
    using Clock = std::chrono::steady_clock;
    // With nothing arriving for this long, what is pending is committed.
    constexpr auto kIdleCommit = std::chrono::milliseconds(200);
    std::vector<std::pair<IngestJob, IngestResult>> pending;
    std::vector<std::string> dirs;
    size_t in_batch = 0;
    Clock::time_point first_pending = Clock::now();
    auto finish = [&](Status commit) {
      if (!commit.ok() && options.stop_on_index_failure) DropQueued();
      for (auto& [job, result] : pending) {
        if (!commit.ok() && result.status.ok()) {
          result.status = commit;
          result.index_failed = true;
        }
        if (job.on_done) job.on_done(result);
      }
      std::error_code error;
      for (const auto& dir : dirs) fs::remove_all(dir, error);
      {
        std::lock_guard lock(mutex);
        completed += pending.size();
      }
      pending.clear();
      dirs.clear();
      in_batch = 0;
      drained.notify_all();
    };
    for (;;) {
      WriterItem item;
      bool more_waiting = false;
      {
        std::unique_lock lock(mutex);
        auto ready = [&] {
          return !results.empty() || (stopping && completed + pending.size() == submitted);
        };
        if (pending.empty()) {
          results_ready.wait(lock, ready);
        } else if (!results_ready.wait_for(lock, kIdleCommit, ready)) {
          lock.unlock();
          finish(in_batch > 0 ? repository.Commit() : Status::Ok());
          continue;
        }
        if (results.empty()) {
          lock.unlock();
          if (!pending.empty()) finish(in_batch > 0 ? repository.Commit() : Status::Ok());
          return;
        }
        item = std::move(results.front());
        results.pop_front();
        more_waiting = !results.empty();
      }
      jobs_ready.notify_all();  // room in `results` for an extraction thread waiting
      if (auto* work = std::get_if<WriterWork>(&item)) {
        try {
          (*work)(repository);
        } catch (const std::exception&) {
          // The work is lost, not the process: what it changed is not committed.
        }
        finish(repository.Commit());
        {
          std::lock_guard lock(mutex);
          ++completed;  // RunOnWriter counted it as submitted
        }
        drained.notify_all();
        continue;
      }
      Extracted& e = std::get<Extracted>(item);
      IngestResult result;
      if (!e.sidecar.ok()) {
        result.status = e.sidecar.status();
      } else if (!e.document.ok()) {
        result.status = e.document.status();
      } else {
        SourceInfo source = e.job.source;
        Result<AddOutcome> added = Status(StatusCode::kInternal, "not added");
        try {
          added = repository.Add(e.job.path, e.document.value(), source, e.sidecar.value(),
                                 e.members_dir, e.prepared.get());
        } catch (const std::exception& error) {
          added = Status(StatusCode::kInternal, std::string("index write failed: ") + error.what());
        }
        if (!added.ok()) {
          result.status = added.status();
          // Xapian failed partway through: the batch is not committed as it was left
          // (Repository::Commit drops it), and the commit that says so must come.
          if (repository.write_failed()) {
            result.index_failed = true;
            ++in_batch;
            if (options.stop_on_index_failure) DropQueued();
          }
        } else {
          result.id = added.value().id;
          result.duplicate = !added.value().new_document;
          result.members = added.value().member_ids.size();
          if (e.job.state) {
            FileState state = *e.job.state;
            state.id = result.id;
            repository.SetFileState(e.job.path, state);
          }
          ++in_batch;
        }
      }
      if (!e.members_dir.empty()) dirs.push_back(e.members_dir);
      if (pending.empty()) first_pending = Clock::now();
      pending.emplace_back(std::move(e.job), std::move(result));
      bool due = options.commit_interval_ms == 0
                     ? !more_waiting
                     : Clock::now() - first_pending >=
                           std::chrono::milliseconds(options.commit_interval_ms);
      if (in_batch >= options.batch_size || due) {
        finish(in_batch > 0 ? repository.Commit() : Status::Ok());
      }
    }
  }
};

namespace {

// Scratch folders of workers whose process is gone (killed indexers) are removed.
void RemoveStaleScratch(const std::string& data_dir) {
  std::error_code error;
  fs::path tmp = fs::path(data_dir) / "tmp";
  if (!fs::is_directory(tmp, error)) return;
  for (const auto& entry : fs::directory_iterator(tmp, error)) {
    std::string name = entry.path().filename().string();
    if (name.rfind("members-", 0) != 0) continue;
    pid_t pid = static_cast<pid_t>(std::atol(name.c_str() + 8));
    if (pid > 0 && pid != getpid() && kill(pid, 0) != 0 && errno == ESRCH) {
      fs::remove_all(entry.path(), error);
    }
  }
}

}  // namespace

Ingestor::Ingestor(Repository& repository, IngestOptions options)
    : impl_(std::make_unique<Impl>(repository, std::move(options))) {
  RemoveStaleScratch(repository.data_dir());
  int threads = std::max(1, impl_->options.extract_threads);
  for (int i = 0; i < threads; ++i)
    impl_->extractors.emplace_back([this] { impl_->ExtractLoop(); });
  impl_->writer = std::thread([this] { impl_->WriteLoop(); });
}

Ingestor::~Ingestor() {
  Drain();
  {
    std::lock_guard lock(impl_->mutex);
    impl_->stopping = true;
  }
  impl_->jobs_ready.notify_all();
  impl_->results_ready.notify_all();
  for (auto& thread : impl_->extractors) thread.join();
  impl_->writer.join();
}

void Ingestor::Submit(IngestJob job) {
  {
    std::lock_guard lock(impl_->mutex);
    impl_->jobs.push_back(std::move(job));
    ++impl_->submitted;
  }
  impl_->jobs_ready.notify_one();
}

void Ingestor::RunOnWriter(std::function<void(Repository&)> work) {
  {
    std::lock_guard lock(impl_->mutex);
    impl_->results.push_back(std::move(work));
    ++impl_->submitted;  // so that Drain() waits for it and its commit
  }
  impl_->results_ready.notify_one();
}

bool Ingestor::DrainFor(std::chrono::milliseconds timeout) {
  std::unique_lock lock(impl_->mutex);
  return impl_->drained.wait_for(lock, timeout, [&] {
    return impl_->completed == impl_->submitted && impl_->results.empty();
  });
}

size_t Ingestor::CancelQueued() { return impl_->DropQueued(); }

size_t Ingestor::queued() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->jobs.size();
}

void Ingestor::Drain() {
  std::unique_lock lock(impl_->mutex);
  impl_->drained.wait(
      lock, [&] { return impl_->completed == impl_->submitted && impl_->results.empty(); });
}

}  // namespace correlare::indexer
