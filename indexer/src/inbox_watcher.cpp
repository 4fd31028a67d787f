#include "indexer/inbox_watcher.h"

#include <fcntl.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "inbox_files.h"
#include "indexer/sidecar.h"
#include "inotify_tree.h"
#include "taxonomy/vocabulary.h"

namespace correlare::indexer {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// With inotify, a sweep this often catches what events missed.
constexpr int kSafetySweepSeconds = 10;
// The longest Run() goes without looking at `stop`.
constexpr auto kTick = std::chrono::milliseconds(200);
// A file whose removal or rejection failed waits this long.
constexpr auto kRetryDelay = std::chrono::seconds(60);
// After a failure of the index or store (disk full, read-only), nothing is taken for
// this long, doubled after every failed attempt up to kRetryDelay.
constexpr auto kFirstPause = std::chrono::seconds(2);
// Files being taken at once by Run(), which drains them before it returns: a stop
// request waits for these only, not for the whole backlog.
constexpr size_t kMaxInFlight = 32;

// Where a path of the inbox belongs.
struct Location {
  std::string folder;    // the inbox's child it is under, as named; "" for a loose file
  std::string province;  // the province that folder names; "" when none
  std::string relative;  // the path under `folder` ('/'-separated)

  std::string shown() const { return folder.empty() ? relative : folder + "/" + relative; }
};

// A file seen in the inbox and not yet taken.
struct Candidate {
  inbox::FileStamp stamp;
  Clock::time_point since;      // when `stamp` was first seen
  bool writing = false;         // inotify saw it written and not yet closed
  bool moved_in = false;        // renamed into the inbox whole, unchanged since
  Clock::time_point next_look;  // not looked at again before this
};

// The folder without a trailing '/', so that paths under it compare as they should.
fs::path Normal(const std::string& folder) {
  fs::path path = fs::path(folder).lexically_normal();
  return path.has_filename() ? path : path.parent_path();
}

}  // namespace

struct InboxWatcher::Impl {
  Impl(Ingestor& ingestor_in, WatchOptions options_in, std::ostream& log_in)
      : ingestor(ingestor_in),
        options(std::move(options_in)),
        log(log_in),
        inbox(Normal(options.inbox_dir)) {}

  Ingestor& ingestor;
  const WatchOptions options;
  std::ostream& log;
  const fs::path inbox;
  std::unique_ptr<InotifyTree> inotify;  // null with --poll, or when inotify failed
  size_t max_in_flight = SIZE_MAX;
  std::map<std::string, Candidate> candidates;  // by path; watcher thread only
  std::set<std::string> unwatched;              // folders inotify refused, warned about once

  // Shared with the ingestor's writer thread, which finishes takes.
  std::mutex mutex;
  std::set<std::string> in_flight;                       // GUARDED_BY(mutex)
  std::map<std::string, Clock::time_point> retry_after;  // GUARDED_BY(mutex)
  // Paused by a failure of the index or store: no file is taken before resume_at, and
  // then one at a time until one succeeds.
  bool paused = false;                               // GUARDED_BY(mutex)
  Clock::time_point resume_at;                       // GUARDED_BY(mutex)
  Clock::duration pause_for = kFirstPause;           // GUARDED_BY(mutex)

  Status Sweep(Clock::time_point now);
  void Walk(const fs::path& folder, Clock::time_point now);
  void Look(const fs::path& path, Clock::time_point now, bool writing);
  void CheckCandidates(Clock::time_point now);
  enum class Readiness { kWaiting, kReady, kGone };
  Readiness Check(std::map<std::string, Candidate>::iterator it, Clock::time_point now);
  void HandleEvents(const std::vector<InotifyTree::Event>& events, Clock::time_point now);
  void Take(const std::string& path, const inbox::FileStamp& stamp);
  void Finish(const std::string& path, const Location& where, const inbox::FileStamp& stamp,
              const std::optional<inbox::FileStamp>& sidecar_stamp,
              const IngestResult& result);
  void RescueOrphanSidecar(const std::string& sidecar_path);

  Location Locate(const fs::path& path) const;
  fs::path RejectedRoot(const Location& where) const;
  // REQUIRES: mutex held.
  void Reject(const std::string& path, const Location& where, const std::string& reason);
  void RejectNow(const std::string& path, const std::string& reason) {
    std::lock_guard lock(mutex);
    Reject(path, Locate(path), reason);
  }
  // REQUIRES: mutex held.
  void Log(const std::string& line) { log << line << std::endl; }
  // The index or store failed while `where` was taken (SPEC: running out of space is
  // not the file's fault): it stays in the inbox, and so does everything else until a
  // later attempt succeeds. Said once on the log and on stderr, as is the resumption.
  // REQUIRES: mutex held.
  void Pause(const Location& where, const Status& status);
  // REQUIRES: mutex held.
  void Resume();
};

Location InboxWatcher::Impl::Locate(const fs::path& path) const {
  Location where;
  fs::path relative = path.lexically_relative(inbox);
  auto part = relative.begin();
  if (part == relative.end()) return where;
  if (std::next(part) == relative.end()) {
    where.relative = part->string();  // a loose file
    return where;
  }
  where.folder = part->string();
  where.province = taxonomy::ResolveProvince(where.folder).value_or("");
  for (++part; part != relative.end(); ++part) {
    if (!where.relative.empty()) where.relative += '/';
    where.relative += part->string();
  }
  return where;
}

fs::path InboxWatcher::Impl::RejectedRoot(const Location& where) const {
  if (!where.province.empty()) return inbox / where.folder / inbox::kRejectedFolder;
  if (!where.folder.empty()) return inbox / inbox::kRejectedFolder / where.folder;
  return inbox / inbox::kRejectedFolder;
}

void InboxWatcher::Impl::Reject(const std::string& path, const Location& where,
                                const std::string& reason) {
  const fs::path target = (RejectedRoot(where) / where.relative).parent_path();
  const std::string name = fs::path(path).filename().string();
  const std::string sidecar = path + std::string(kSidecarSuffix);
  std::error_code error;
  fs::create_directories(target, error);
  std::string final_name =
      inbox::FreeName(target, name, {inbox::kReasonSuffix, std::string(kSidecarSuffix)});
  // The reason first: killed between the two, the file is still in the inbox and is
  // rejected again; the other way round it would lie in .rejected/ without a reason.
  Status status = inbox::WriteReason(target / (final_name + inbox::kReasonSuffix), reason);
  if (status.ok()) status = inbox::MoveNoReplace(path, target / final_name);
  if (!status.ok()) {
    Log("cannot reject " + where.shown() + " (" + reason + "): " + status.message());
    retry_after[path] = Clock::now() + kRetryDelay;
    return;
  }
  if (inbox::StampOf(sidecar)) {
    inbox::MoveNoReplace(sidecar, target / (final_name + std::string(kSidecarSuffix)));
  }
  Log("rejected " + where.shown() + ": " + reason);
  if (!where.folder.empty())
    inbox::RemoveEmptyFolders(fs::path(path).parent_path(), inbox / where.folder);
}

void InboxWatcher::Impl::Pause(const Location& where, const Status& status) {
  const auto now = Clock::now();
  Log("deferred " + where.shown() + ": " + status.ToString() + " (will try again)");
  if (!paused) {
    paused = true;
    pause_for = kFirstPause;
  } else if (now >= resume_at) {  // the attempt after a pause failed too
    pause_for = std::min<Clock::duration>(pause_for * 2, kRetryDelay);
  } else {
    return;  // one of several files in flight when the trouble began
  }
  resume_at = now + pause_for;
  const std::string line =
      "paused: the index or store cannot be written (" + status.message() +
      "); files stay in the inbox; trying again in " +
      std::to_string(std::chrono::duration_cast<std::chrono::seconds>(pause_for).count()) + " s";
  Log(line);
  std::cerr << "correlare-indexer: " << line << std::endl;
}

void InboxWatcher::Impl::Resume() {
  if (!paused) return;
  paused = false;
  const std::string line = "resumed: the index and store can be written again";
  Log(line);
  std::cerr << "correlare-indexer: " << line << std::endl;
}

Status InboxWatcher::Impl::Sweep(Clock::time_point now) {
  std::error_code error;
  if (!fs::is_directory(fs::symlink_status(inbox, error))) {
    return Status(StatusCode::kNotFound, "no inbox folder at " + inbox.string());
  }
  if (inotify) inotify->Watch(inbox.string());
  Walk(inbox, now);
  return Status::Ok();
}

void InboxWatcher::Impl::Walk(const fs::path& folder, Clock::time_point now) {
  if (inotify && folder != inbox) {
    Status watched = inotify->Watch(folder.string());
    if (!watched.ok() && unwatched.insert(folder.string()).second) {
      std::lock_guard lock(mutex);
      Log("warning: " + watched.message() + "; relying on sweeps there");
    }
  }
  std::error_code error;
  for (fs::directory_iterator it(folder, error), end; !error && it != end; it.increment(error)) {
    if (IsIgnoredInboxName(it->path().filename().string())) continue;
    std::error_code ignored;
    if (fs::is_directory(it->symlink_status(ignored))) {
      Walk(it->path(), now);
    } else {
      Look(it->path(), now, false);
    }
  }
}

// Notes what is at `path` now: a file starts (or restarts) its settling time when it
// is new or has changed; anything that is not a regular file is rejected at once.
void InboxWatcher::Impl::Look(const fs::path& path, Clock::time_point now, bool writing) {
  const std::string key = path.string();
  auto stamp = inbox::StampOf(key);
  if (!stamp) {
    candidates.erase(key);
    return;
  }
  if (stamp->symlink()) return RejectNow(key, "symbolic link: not followed");
  if (!stamp->regular()) return RejectNow(key, "not a regular file");
  auto [it, added] = candidates.try_emplace(key);
  if (added || !(it->second.stamp == *stamp)) {
    it->second.stamp = *stamp;
    it->second.since = now;
    it->second.moved_in = false;
  }
  if (writing) it->second.writing = true;
}

// Whether the candidate at `it` has stayed unchanged for settle_ms (its settling time
// starts again when it has changed) with nobody writing it. Looks at the file at most
// every kTick. A file renamed into the inbox (how uploaders finish one: NAME.part, then
// NAME) was written whole before: it needs no settling, only nobody writing it.
InboxWatcher::Impl::Readiness InboxWatcher::Impl::Check(
    std::map<std::string, Candidate>::iterator it, Clock::time_point now) {
  Candidate& candidate = it->second;
  auto settle = std::chrono::milliseconds(candidate.moved_in ? 0 : options.settle_ms);
  if (now < candidate.since + settle || now < candidate.next_look) return Readiness::kWaiting;
  candidate.next_look = now + kTick;
  auto stamp = inbox::StampOf(it->first);
  if (!stamp) return Readiness::kGone;
  if (!(*stamp == candidate.stamp)) {
    candidate.stamp = *stamp;
    candidate.since = now;
    candidate.moved_in = false;
    return Readiness::kWaiting;
  }
  inbox::WriterState writers = inbox::WritersOf(it->first);
  if (writers == inbox::WriterState::kWriting) return Readiness::kWaiting;
  // Without a lease to ask, trust inotify: no close yet means still being written.
  if (candidate.writing && writers == inbox::WriterState::kUnknown) return Readiness::kWaiting;
  candidate.writing = false;
  return Readiness::kReady;
}

void InboxWatcher::Impl::CheckCandidates(Clock::time_point now) {
  for (auto it = candidates.begin(); it != candidates.end();) {
    const std::string path = it->first;
    if (IsSidecarPath(path)) {
      // Taken with its document; alone, it waits for it (or follows it to .rejected/).
      Readiness readiness = Check(it, now);
      if (readiness == Readiness::kGone) {
        it = candidates.erase(it);
        continue;
      }
      if (readiness == Readiness::kReady &&
          !inbox::StampOf(path.substr(0, path.size() - kSidecarSuffix.size()))) {
        RescueOrphanSidecar(path);
      }
      ++it;
      continue;
    }
    {
      std::lock_guard lock(mutex);
      if (in_flight.size() >= max_in_flight) return;
      // Paused: nothing before resume_at, then a single file to see whether it works.
      if (paused && (now < resume_at || !in_flight.empty())) return;
      auto retry = retry_after.find(path);
      if (in_flight.count(path) || (retry != retry_after.end() && retry->second > now)) {
        ++it;
        continue;
      }
    }
    Readiness readiness = Check(it, now);
    if (readiness == Readiness::kGone) {
      std::lock_guard lock(mutex);
      retry_after.erase(path);
      it = candidates.erase(it);
      continue;
    }
    if (readiness == Readiness::kWaiting) {
      ++it;
      continue;
    }
    const std::string sidecar = path + std::string(kSidecarSuffix);
    if (inbox::StampOf(sidecar)) {
      auto side = candidates.find(sidecar);
      if (side == candidates.end()) {
        Look(sidecar, now, false);
        ++it;
        continue;
      }
      if (Check(side, now) != Readiness::kReady) {
        ++it;
        continue;
      }
    }
    Take(path, it->second.stamp);
    ++it;
  }
}

// A sidecar whose document was rejected (the watcher was killed between moving the
// two) joins it in .rejected/; any other lone sidecar is left alone.
void InboxWatcher::Impl::RescueOrphanSidecar(const std::string& sidecar_path) {
  std::string document = sidecar_path.substr(0, sidecar_path.size() - kSidecarSuffix.size());
  Location where = Locate(document);
  fs::path rejected = RejectedRoot(where) / where.relative;
  if (!inbox::StampOf(rejected.string()) ||
      inbox::StampOf(rejected.string() + std::string(kSidecarSuffix))) {
    return;
  }
  inbox::MoveNoReplace(sidecar_path, rejected.string() + std::string(kSidecarSuffix));
}

void InboxWatcher::Impl::Take(const std::string& path, const inbox::FileStamp& stamp) {
  Location where = Locate(path);
  if (where.folder.empty()) return RejectNow(path, "not in a province folder");
  if (where.province.empty())
    return RejectNow(path, "unknown province folder '" + where.folder + "'");
  if (stamp.size > options.max_file_bytes) {
    return RejectNow(path, "too large: " + std::to_string(stamp.size >> 20) +
                               " MB, over the limit of " +
                               std::to_string(options.max_file_bytes >> 20) + " MB");
  }
  int fd = open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return RejectNow(path, std::string("unreadable: ") + std::strerror(errno));
  close(fd);
  auto sidecar = ReadSidecarFor(path);
  if (!sidecar.ok()) {
    // The message starts with the sidecar's full path; its name is enough.
    std::string message = sidecar.status().message();
    std::string prefix = path + std::string(kSidecarSuffix) + ": ";
    if (message.rfind(prefix, 0) == 0) message = message.substr(prefix.size());
    return RejectNow(path, "malformed sidecar " + fs::path(path).filename().string() +
                               std::string(kSidecarSuffix) + ": " + message);
  }
  {
    std::lock_guard lock(mutex);
    if (!in_flight.insert(path).second) return;
    retry_after.erase(path);
  }
  IngestJob job;
  job.path = path;
  job.size = stamp.size;
  job.source.key = "inbox:" + where.province + "/" + where.relative;
  job.source.name = fs::path(path).filename().string();
  job.source.province = where.province;
  // The sidecar as it was when the file was taken: one that arrives or changes while
  // the file is in flight is not deleted unread (see Finish).
  std::optional<inbox::FileStamp> sidecar_stamp = inbox::StampOf(path + std::string(kSidecarSuffix));
  job.on_done = [this, path, where, stamp, sidecar_stamp](const IngestResult& result) {
    Finish(path, where, stamp, sidecar_stamp, result);
  };
  ingestor.Submit(std::move(job));
}

// On the ingestor's writer thread, after the commit: the file may go.
void InboxWatcher::Impl::Finish(const std::string& path, const Location& where,
                                const inbox::FileStamp& stamp,
                                const std::optional<inbox::FileStamp>& sidecar_stamp,
                                const IngestResult& result) {
  std::lock_guard lock(mutex);
  in_flight.erase(path);
  if (result.status.ok()) Resume();
  auto now_stamp = inbox::StampOf(path);
  const Status& status = result.status;
  std::string taken = result.duplicate ? "duplicate " + where.shown() + " of " + result.id
                                       : "taken " + where.shown() + " as " + result.id;
  if (!now_stamp) {  // removed by someone else meanwhile: nothing left to do
    if (status.ok()) Log(taken);
    return;
  }
  if (!(*now_stamp == stamp)) {
    // Replaced while it was being taken: what is there now is taken on its own.
    Log("changed " + where.shown() + " while it was being taken: taking it again");
    return;
  }
  auto sidecar_now = inbox::StampOf(path + std::string(kSidecarSuffix));
  bool sidecar_same = sidecar_now.has_value() == sidecar_stamp.has_value() &&
                      (!sidecar_now || *sidecar_now == *sidecar_stamp);
  if (status.ok() && !sidecar_same) {
    // Its sidecar arrived or changed meanwhile: take the pair again, so that it is read.
    Log("sidecar of " + where.shown() + " changed while it was being taken: taking it again");
    return;
  }
  if (status.ok()) {
    // The sidecar first: killed in between, the document is taken again (a duplicate)
    // and removed; the other way round the sidecar would be left alone forever.
    unlink((path + std::string(kSidecarSuffix)).c_str());
    if (unlink(path.c_str()) != 0 && errno != ENOENT) {
      Log("cannot remove " + where.shown() + " after taking it: " + std::strerror(errno));
      retry_after[path] = Clock::now() + kRetryDelay;
      return;
    }
    inbox::RemoveEmptyFolders(fs::path(path).parent_path(), inbox / where.folder);
    Log(taken);
    return;
  }
  if (status.code() == StatusCode::kIoError) {
    // Reading or writing the index or store failed: not this file's fault.
    Pause(where, status);
    return;
  }
  Reject(path, where, status.ToString());
}

void InboxWatcher::Impl::HandleEvents(const std::vector<InotifyTree::Event>& events,
                                      Clock::time_point now) {
  for (const auto& event : events) {
    const fs::path path(event.path);
    if (IsIgnoredInboxName(path.filename().string())) continue;
    if (event.mask & IN_ISDIR) {
      if (event.mask & IN_MOVED_FROM) inotify->Forget(event.path);
      if (event.mask & (IN_CREATE | IN_MOVED_TO)) Walk(path, now);
      continue;
    }
    if (event.mask & IN_MOVED_FROM) continue;
    bool writing = (event.mask & IN_MODIFY) != 0;
    Look(path, now, writing);
    if (event.mask & (IN_CLOSE_WRITE | IN_MOVED_TO)) {
      auto it = candidates.find(event.path);
      if (it != candidates.end()) {
        it->second.writing = false;
        if (event.mask & IN_MOVED_TO) it->second.moved_in = true;
      }
    }
  }
}

InboxWatcher::InboxWatcher(Ingestor& ingestor, WatchOptions options, std::ostream& log)
    : impl_(std::make_unique<Impl>(ingestor, std::move(options), log)) {}

// Callbacks of jobs still in the ingestor refer to impl_.
InboxWatcher::~InboxWatcher() { impl_->ingestor.Drain(); }

Status InboxWatcher::SweepOnce() {
  auto start = Clock::now();
  Status swept = impl_->Sweep(start);
  if (!swept.ok()) return swept;
  // Every file gets the same look twice, settle_ms apart; changed ones wait for the next run.
  std::this_thread::sleep_until(start + std::chrono::milliseconds(impl_->options.settle_ms));
  impl_->CheckCandidates(Clock::now());
  impl_->ingestor.Drain();
  return Status::Ok();
}

Status InboxWatcher::Run(const std::atomic<bool>& stop) {
  Impl& impl = *impl_;
  impl.max_in_flight = kMaxInFlight;
  if (impl.options.poll_seconds <= 0) {
    auto opened = InotifyTree::Open();
    if (opened.ok()) {
      impl.inotify = std::move(opened).value();
    } else {
      std::lock_guard lock(impl.mutex);
      impl.Log("warning: " + opened.status().message() + "; sweeping every " +
               std::to_string(kSafetySweepSeconds) + " s instead");
    }
  }
  const auto sweep_every = std::chrono::seconds(
      impl.options.poll_seconds > 0 ? impl.options.poll_seconds : kSafetySweepSeconds);
  auto next_sweep = Clock::now();
  Status status;
  bool announced = false;
  while (!stop.load()) {
    if (Clock::now() >= next_sweep) {
      status = impl.Sweep(Clock::now());
      if (!status.ok()) break;
      next_sweep = Clock::now() + sweep_every;
      if (!announced && impl.options.on_watching) impl.options.on_watching();
      announced = true;
    }
    if (impl.inotify) {
      bool overflowed = false;
      auto events = impl.inotify->Wait(static_cast<int>(kTick.count()), &overflowed);
      impl.HandleEvents(events, Clock::now());
      if (overflowed) {
        // Some events are lost, "closed" ones among them: rely on stability alone.
        for (auto& [path, candidate] : impl.candidates) candidate.writing = false;
        next_sweep = Clock::now();
      }
    } else {
      std::this_thread::sleep_for(kTick);
    }
    impl.CheckCandidates(Clock::now());
  }
  impl.ingestor.Drain();
  impl.inotify.reset();
  impl.max_in_flight = SIZE_MAX;
  return status;
}

}  // namespace correlare::indexer
