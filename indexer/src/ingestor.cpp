#include "indexer/ingestor.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <mutex>
#include <thread>
#include <variant>

namespace correlare::indexer {
namespace fs = std::filesystem;

namespace {

struct Extracted {
  IngestJob job;
  Result<extractors::ExtractedDocument> document = Status(StatusCode::kInternal, "not extracted");
  Result<std::optional<Sidecar>> sidecar = std::optional<Sidecar>();
  std::string members_dir;
};

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
  std::atomic<uint64_t> counter{0};
  std::vector<std::thread> extractors;
  std::thread writer;

  Impl(Repository& repo, IngestOptions opts) : repository(repo), options(std::move(opts)) {}

  std::string NewMembersDir() {
    std::string dir = repository.data_dir() + "/tmp/members-" + std::to_string(getpid()) + "-" +
                      std::to_string(counter++);
    std::error_code error;
    fs::remove_all(dir, error);
    fs::create_directories(dir, error);
    return error ? "" : dir;
  }

  void ExtractLoop() {
    for (;;) {
      IngestJob job;
      {
        std::unique_lock lock(mutex);
        jobs_ready.wait(lock, [&] { return stopping || !jobs.empty(); });
        if (jobs.empty()) return;
        job = std::move(jobs.front());
        jobs.pop_front();
      }
      Extracted item;
      item.members_dir = NewMembersDir();
      extractors::WorkerOptions worker = options.worker;
      worker.members_dir = item.members_dir;
      item.sidecar = ReadSidecarFor(job.path);
      if (item.sidecar.ok()) item.document = extractors::ExtractInWorker(job.path, worker);
      item.job = std::move(job);
      {
        std::lock_guard lock(mutex);
        results.push_back(std::move(item));
      }
      results_ready.notify_one();
    }
  }

  void WriteLoop() {
    std::vector<std::pair<IngestJob, IngestResult>> pending;
    std::vector<std::string> dirs;
    size_t in_batch = 0;
    auto finish = [&](Status commit) {
      for (auto& [job, result] : pending) {
        if (!commit.ok() && result.status.ok()) result.status = commit;
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
        results_ready.wait(lock, [&] {
          return !results.empty() || (stopping && completed + pending.size() == submitted);
        });
        if (results.empty()) {
          lock.unlock();
          if (!pending.empty()) finish(repository.Commit());
          return;
        }
        item = std::move(results.front());
        results.pop_front();
        more_waiting = !results.empty();
      }
      if (auto* work = std::get_if<WriterWork>(&item)) {
        (*work)(repository);
        finish(repository.Commit());
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
        auto added = repository.Add(e.job.path, e.document.value(), source, e.sidecar.value(),
                                    e.members_dir);
        if (!added.ok()) {
          result.status = added.status();
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
      pending.emplace_back(std::move(e.job), std::move(result));
      // Commit when the batch is full or nothing else is waiting: a lone file dropped
      // into the inbox is committed at once.
      if (in_batch >= options.batch_size || !more_waiting) {
        finish(in_batch > 0 ? repository.Commit() : Status::Ok());
      }
    }
  }
};

Ingestor::Ingestor(Repository& repository, IngestOptions options)
    : impl_(std::make_unique<Impl>(repository, std::move(options))) {
  int threads = std::max(1, impl_->options.extract_threads);
  for (int i = 0; i < threads; ++i) impl_->extractors.emplace_back([this] { impl_->ExtractLoop(); });
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
  }
  impl_->results_ready.notify_one();
}

void Ingestor::Drain() {
  std::unique_lock lock(impl_->mutex);
  impl_->drained.wait(lock, [&] {
    return impl_->completed == impl_->submitted && impl_->results.empty();
  });
}

}  // namespace correlare::indexer
