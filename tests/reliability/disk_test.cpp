// The data folder when the disk turns against us: full, read-only, or with a stored
// original deleted behind the index's back. Real filesystems: a small tmpfs mounted for
// the test (skipped, saying why, where mount(2) is not permitted).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <unistd.h>
#include <xapian.h>

#include <algorithm>
#include <functional>
#include <set>

#include "common/content_id.h"
#include "reliability_support.h"

namespace correlare::reliability {
namespace {

using testing::CorpusPath;
using testing::ProgramRun;
using testing::TempDir;

const char* const kInboxFiles[] = {
    "dispense/ricongiungimento-familiare.pdf",
    "dispense/minori-stranieri-non-accompagnati.pdf",
    "normativa/regolamento-idoneita-alloggiativa-comune-di-lodi.docx",
};

// Writes `path` until the filesystem is full. Returns the bytes written.
uint64_t FillDisk(const fs::path& path) {
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return 0;
  std::string chunk(16 * 1024, 'x');
  uint64_t written = 0;
  while (true) {
    ssize_t n = write(fd, chunk.data(), chunk.size());
    if (n <= 0) break;
    written += static_cast<uint64_t>(n);
  }
  // Then a byte at a time, so that not even a small file fits.
  while (write(fd, "x", 1) == 1) ++written;
  close(fd);
  return written;
}

std::set<std::string> FilesUnder(const fs::path& folder) {
  std::set<std::string> files;
  std::error_code error;
  for (auto it = fs::recursive_directory_iterator(folder, error);
       !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
    if (it->is_regular_file()) files.insert(it->path().lexically_relative(folder).string());
  }
  return files;
}

bool WaitFor(const std::function<bool()>& condition, std::chrono::seconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(100ms);
  }
  return condition();
}

// `correlare-indexer watch` on `data`, its stdout and stderr in `dir`/watch.out and
// watch.err; pid is -1 when it could not start.
struct Watcher {
  pid_t pid = -1;
  fs::path out, err;
};

Watcher StartWatcher(const fs::path& dir, const fs::path& data) {
  Watcher watch;
  watch.out = dir / "watch.out";
  watch.err = dir / "watch.err";
  watch.pid = testing::StartProgram({kIndexer, "watch", "--settle-ms", "100", "--data",
                                     data.string(), "--taxonomy", kTaxonomy},
                                    watch.out, watch.err);
  return watch;
}

// The watcher, with the disk full and kInboxFiles dropped in the inbox folder `lodi`,
// says it paused and leaves every file there (none in .rejected/); once `filler` is
// removed it takes them all within `drain_timeout`, says it resumed and exits 0 on
// SIGTERM; the index then holds them and the one document it had, and passes `check`.
void ExpectPausedThenResumed(const Watcher& watch, const fs::path& data, const fs::path& lodi,
                             const fs::path& filler, std::chrono::seconds drain_timeout) {
  const fs::path& out = watch.out;
  const fs::path& err = watch.err;
  bool paused = WaitFor([&] { return ReadFile(err).find("paused:") != std::string::npos; }, 60s);
  EXPECT_TRUE(paused) << "stdout:\n" << ReadFile(out) << "\nstderr:\n" << ReadFile(err);
  std::this_thread::sleep_for(1s);
  EXPECT_EQ(FilesUnder(lodi).size(), std::size(kInboxFiles))
      << "every file stays in the inbox while the disk is full\n" << ReadFile(out);
  EXPECT_FALSE(fs::exists(lodi / ".rejected")) << ReadFile(out);

  fs::remove(filler);
  bool drained = WaitFor([&] { return FilesUnder(lodi).empty(); }, drain_timeout);
  EXPECT_TRUE(drained) << "stdout:\n" << ReadFile(out) << "\nstderr:\n" << ReadFile(err);
  EXPECT_NE(ReadFile(err).find("resumed"), std::string::npos) << ReadFile(err);
  kill(watch.pid, SIGTERM);
  EXPECT_EQ(testing::WaitForProgram(watch.pid), 0) << ReadFile(err);

  Xapian::Database db((data / "index").string());
  EXPECT_EQ(db.get_doccount(), 1u + std::size(kInboxFiles));
  ProgramRun check = Indexer(data, {"check"});
  EXPECT_EQ(check.exit_code, 0) << Dump(check);
}

// Disk full while the watcher runs (here the store's disk): it stops taking files and
// says so, leaves them in the inbox (not in .rejected/: running out of space is not the
// file's fault), and takes them once space returns.
TEST(DiskFull, WatcherPausesWhenTheStoreFillsAndResumes) {
  TempDir dir;
  const fs::path data = dir.path() / "data";
  TmpfsMount disk(data / "store", "4m");
  if (!disk.ok()) GTEST_SKIP() << disk.why();
  const fs::path first = dir.path() / "primo.txt";
  WriteFile(first, "Sportello stranieri: orari di apertura e documenti per il permesso.\n");
  ProgramRun indexed = Indexer(data, {"index", first.string()});
  ASSERT_EQ(indexed.exit_code, 0) << Dump(indexed);

  Watcher watch = StartWatcher(dir.path(), data);
  ASSERT_GT(watch.pid, 0);
  ASSERT_TRUE(
      WaitFor([&] { return ReadFile(watch.err).find("watching") != std::string::npos; }, 60s))
      << ReadFile(watch.err);
  const fs::path filler = data / "store" / "filler";
  uint64_t filled = FillDisk(filler);
  ASSERT_GT(filled, 0u);
  const fs::path lodi = data / "inbox" / "lodi";
  for (const char* file : kInboxFiles) {
    fs::copy_file(CorpusPath(file), lodi / fs::path(file).filename());
  }
  ExpectPausedThenResumed(watch, data, lodi, filler, 150s);
  std::cerr << "  store full: " << filled << " bytes of filler; " << std::size(kInboxFiles)
            << " files kept in the inbox, then taken\n";
}

// Disk full before the watcher starts (index, store and inbox on one full disk): it
// cannot open the index, says so and waits, and takes the files once space returns.
TEST(DiskFull, WatcherStartedOnAFullDiskWaitsAndResumes) {
  TempDir dir;
  const fs::path data = dir.path() / "data";
  TmpfsMount disk(data, "8m");
  if (!disk.ok()) GTEST_SKIP() << disk.why();

  // An index with one document, so that opening it needs no space.
  const fs::path first = dir.path() / "primo.txt";
  WriteFile(first, "Sportello stranieri: orari di apertura e documenti per il permesso.\n");
  ProgramRun indexed = Indexer(data, {"index", first.string()});
  ASSERT_EQ(indexed.exit_code, 0) << Dump(indexed);

  const fs::path lodi = data / "inbox" / "lodi";
  fs::create_directories(lodi);
  for (const char* file : kInboxFiles) {
    fs::copy_file(CorpusPath(file), lodi / fs::path(file).filename());
  }
  const fs::path filler = data / "filler";
  uint64_t filled = FillDisk(filler);
  ASSERT_GT(filled, 0u);

  Watcher watch = StartWatcher(dir.path(), data);
  ASSERT_GT(watch.pid, 0);
  ExpectPausedThenResumed(watch, data, lodi, filler, 120s);
  std::cerr << "  disk full: " << filled << " bytes of filler; "
            << std::size(kInboxFiles) << " files kept, then taken\n";
}

// `index` on a full disk fails with a clear message, and the index still opens with
// what it had.
TEST(DiskFull, IndexFailsClearlyAndTheIndexStillOpens) {
  TempDir dir;
  const fs::path data = dir.path() / "data";
  TmpfsMount disk(data, "8m");
  if (!disk.ok()) GTEST_SKIP() << disk.why();
  const fs::path first = dir.path() / "primo.txt";
  WriteFile(first, "Corsi di lingua italiana per adulti stranieri presso il CPIA.\n");
  ASSERT_EQ(Indexer(data, {"index", first.string()}).exit_code, 0);
  const fs::path filler = data / "filler";
  ASSERT_GT(FillDisk(filler), 0u);

  ProgramRun full = Indexer(data, {"index", CorpusPath("dispense").string()});
  EXPECT_NE(full.exit_code, 0) << Dump(full);
  EXPECT_NE((full.out + full.err).find("No space left on device"), std::string::npos)
      << Dump(full);
  EXPECT_NO_THROW({
    Xapian::Database db((data / "index").string());
    EXPECT_GE(db.get_doccount(), 1u);
  });
  fs::remove(filler);
  ProgramRun again = Indexer(data, {"index", CorpusPath("dispense").string()});
  EXPECT_EQ(again.exit_code, 0) << Dump(again);
  ProgramRun check = Indexer(data, {"check", "--repair"});
  EXPECT_EQ(check.exit_code, 0) << Dump(check);
  ProgramRun recheck = Indexer(data, {"check"});
  EXPECT_EQ(recheck.exit_code, 0) << Dump(recheck);
}

// Compaction writes a copy of the index beside it. With less room than that, a run that
// indexed its files still succeeds: the index is left as it is, and the run says why.
TEST(DiskFull, IndexLeavesTheIndexUncompactedWithoutRoomForTheCopy) {
  TempDir dir;
  const fs::path data = dir.path() / "data";
  TmpfsMount disk(data, "8m");
  if (!disk.ok()) GTEST_SKIP() << disk.why();
  const fs::path first = dir.path() / "primo.txt";
  const fs::path second = dir.path() / "secondo.txt";
  WriteFile(first, "Corsi di lingua italiana per adulti stranieri presso il CPIA.\n");
  WriteFile(second, "Avviso: rinnovo del permesso di soggiorno in questura a Lodi.\n");
  ProgramRun made = Indexer(data, {"index", first.string()});
  ASSERT_EQ(made.exit_code, 0) << Dump(made);
  ASSERT_NE(made.out.find("compacted the index"), std::string::npos) << Dump(made);
  // The disk full but for 192 KB: room to index one small file (about 100 KB of new
  // blocks and stored files), not for a copy of the index beside it (about 150 KB).
  const fs::path filler = data / "filler";
  uint64_t filled = FillDisk(filler);
  ASSERT_GT(filled, 192u << 10);
  fs::resize_file(filler, filled - (192u << 10));

  ProgramRun run = Indexer(data, {"index", second.string()});
  EXPECT_EQ(run.exit_code, 0) << Dump(run);
  EXPECT_NE(run.out.find("not compacted: compacting needs up to"), std::string::npos) << Dump(run);
  EXPECT_EQ(run.out.find("compacted the index"), std::string::npos) << Dump(run);
  EXPECT_NO_THROW({
    Xapian::Database db((data / "index").string());
    EXPECT_EQ(db.get_doccount(), 2u);
  });
  EXPECT_FALSE(fs::exists(data / "index.compact"));
  fs::remove(filler);
  ProgramRun check = Indexer(data, {"check"});
  EXPECT_EQ(check.exit_code, 0) << Dump(check);
}

// A read-only data folder: the indexer and the watcher refuse with one clear line and
// touch nothing (the inbox file stays where it is); the daemon still serves the index.
TEST(ReadOnlyData, WritersRefuseClearlyReadersServe) {
  TempDir dir;
  const fs::path data = dir.path() / "data";
  TmpfsMount disk(data, "16m");
  if (!disk.ok()) GTEST_SKIP() << disk.why();
  ASSERT_EQ(Indexer(data, {"index", CorpusPath("dispense").string()}).exit_code, 0);
  const fs::path dropped = data / "inbox" / "lodi" / "circolare.pdf";
  fs::create_directories(dropped.parent_path());
  fs::copy_file(CorpusPath("normativa/circolare-asl-assistenza-sanitaria-stp-eni.pdf"), dropped);
  if (!disk.SetReadOnly(true)) GTEST_SKIP() << "cannot remount the tmpfs read-only";

  const fs::path extra = dir.path() / "nuovo.txt";
  WriteFile(extra, "Iscrizione anagrafica dei cittadini stranieri.\n");
  ProgramRun index = Indexer(data, {"index", extra.string()});
  EXPECT_NE(index.exit_code, 0) << Dump(index);
  EXPECT_NE(index.err.find("Read-only file system"), std::string::npos) << Dump(index);
  EXPECT_LE(std::count(index.err.begin(), index.err.end(), '\n'), 2) << Dump(index);

  ProgramRun watch = Indexer(data, {"watch", "--once"});
  EXPECT_NE(watch.exit_code, 0) << Dump(watch);
  EXPECT_NE(watch.err.find("Read-only file system"), std::string::npos) << Dump(watch);
  EXPECT_TRUE(fs::exists(dropped));
  EXPECT_FALSE(fs::exists(dropped.parent_path() / ".rejected"));

  Daemon daemon(data, dir.path());
  ASSERT_NE(daemon.port(), 0) << daemon.err();
  Reply health = Get(daemon.port(), "/healthz");
  EXPECT_EQ(health.status, 200) << health.body;
  Reply search = Get(daemon.port(), "/api/search?q=permesso");
  EXPECT_EQ(search.status, 200) << search.body;
  // It cannot save its usage counts there, and says so when it stops (exit 1).
  daemon.Stop();

  ASSERT_TRUE(disk.SetReadOnly(false));
  ProgramRun later = Indexer(data, {"watch", "--once", "--settle-ms", "100"});
  EXPECT_EQ(later.exit_code, 0) << Dump(later);
  EXPECT_FALSE(fs::exists(dropped)) << "taken once the disk is writable again";
}

// A stored original deleted behind the index's back: `check` names it, the API answers
// 404 (JSON) for its file and still serves its metadata, search keeps working.
TEST(StoreFileDeleted, CheckReportsItAndTheApiAnswers404) {
  TempDir dir;
  const fs::path data = dir.path() / "data";
  const fs::path sample = CorpusPath("dispense/permesso-di-soggiorno-procedure-questura.pdf");
  ASSERT_EQ(Indexer(data, {"index", CorpusPath("dispense").string()}).exit_code, 0);
  const std::string id = ContentId(ReadFile(sample));

  // The store's file of that id (whatever its layout): the one with the same bytes.
  fs::path original;
  for (const auto& entry : fs::recursive_directory_iterator(data / "store")) {
    if (entry.is_regular_file() && entry.path().string().find(id) != std::string::npos &&
        ReadFile(entry.path()) == ReadFile(sample)) {
      original = entry.path();
    }
  }
  ASSERT_FALSE(original.empty()) << "no stored original for " << id;
  fs::remove(original);

  ProgramRun check = Indexer(data, {"check"});
  EXPECT_NE(check.exit_code, 0) << Dump(check);
  EXPECT_NE((check.out + check.err).find(id), std::string::npos) << Dump(check);

  Daemon daemon(data, dir.path());
  ASSERT_NE(daemon.port(), 0) << daemon.err();
  Reply file = Get(daemon.port(), "/api/documents/" + id + "/file");
  EXPECT_EQ(file.status, 404) << file.body;
  EXPECT_EQ(file.Header("Content-Type"), "application/json; charset=utf-8");
  rapidjson::Document error;
  error.Parse(file.body.c_str());
  ASSERT_FALSE(error.HasParseError()) << file.body;
  EXPECT_TRUE(error.HasMember("error")) << file.body;
  Reply head = Get(daemon.port(), "/api/documents/" + id);
  EXPECT_EQ(head.status, 200) << head.body;
  Reply search = Get(daemon.port(), "/api/search?q=questura");
  EXPECT_EQ(search.status, 200) << search.body;
  EXPECT_EQ(daemon.Stop(), 0) << daemon.err();
}

}  // namespace
}  // namespace correlare::reliability
