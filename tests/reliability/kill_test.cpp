// SIGKILL at random moments, many times over: the indexer while it indexes a folder,
// the watcher while provinces drop files. After every kill the index opens and holds
// no half-indexed document (one without its stored original or text); at the end every
// file is indexed exactly once and nothing is left in the inbox or rejected.
//
// Iterations: CORRELARE_KILL_ITERATIONS (default 4; scripts/soak runs many more). The
// seed is printed; CORRELARE_KILL_SEED replays one run.
#include <gtest/gtest.h>
#include <xapian.h>

#include <map>
#include <random>
#include <set>

#include "common/content_id.h"
#include "reliability_support.h"
#include "schema/schema.h"

namespace correlare::reliability {
namespace {

using testing::CorpusPath;
using testing::ProgramRun;
using testing::TempDir;

const char* const kCorpusFiles[] = {
    "dispense/ricongiungimento-familiare.pdf",
    "dispense/minori-stranieri-non-accompagnati.pdf",
    "normativa/regolamento-idoneita-alloggiativa-comune-di-lodi.docx",
    "raccomandazioni/raccomandazioni-cdp-mediazione-scolastica-varese.odt",
    "trascrizioni/lezione-modulo-3-lavoro-stranieri.srt",
    "bundle/kit-accoglienza.zip",
};

unsigned Seed() {
  int fixed = EnvInt("CORRELARE_KILL_SEED", 0);
  return fixed != 0 ? static_cast<unsigned>(fixed) : std::random_device{}();
}

std::string Text(int lot, int n) {
  return "Documento " + std::to_string(n) + " del lotto " + std::to_string(lot) +
         ": informazioni per lo sportello stranieri sul permesso di soggiorno, "
         "l'iscrizione al servizio sanitario regionale e i corsi di lingua italiana.\n";
}

// What must hold after any kill: the index opens, every document in it has its
// stored files (leftovers of an interrupted run are allowed, and repaired), no id twice.
void ExpectConsistent(const fs::path& data, const std::string& context) {
  if (!fs::exists(data / "index")) return;  // killed before it made one
  EXPECT_NO_THROW({
    Xapian::Database db((data / "index").string());
    for (auto it = db.allterms_begin(schema::kPrefixId); it != db.allterms_end(schema::kPrefixId);
         ++it) {
      EXPECT_EQ(it.get_termfreq(), 1u) << context << ": document " << *it << " twice";
    }
  }) << context;
  ProgramRun check = Indexer(data, {"check"});
  EXPECT_EQ(check.out.find("missing"), std::string::npos) << context << "\n" << Dump(check);
  EXPECT_EQ(check.out.find("unreadable"), std::string::npos) << context << "\n" << Dump(check);
  if (check.exit_code != 0) {
    // A kill may leave stored files no committed document uses yet, or a temporary file
    // half-written: leftovers, which `check --repair` (and the next writer) delete.
    EXPECT_TRUE(check.out.find("belong to no document") != std::string::npos ||
                check.out.find("temporary files of an interrupted run") != std::string::npos)
        << context << ": only leftovers are allowed\n" << Dump(check);
    ProgramRun repair = Indexer(data, {"check", "--repair"});
    EXPECT_EQ(repair.exit_code, 0) << context << "\n" << Dump(repair);
  }
}

// Ids of every document in the index, with how many documents hold each.
std::map<std::string, int> IdsIn(const fs::path& data) {
  std::map<std::string, int> ids;
  Xapian::Database db((data / "index").string());
  for (auto it = db.allterms_begin(schema::kPrefixId); it != db.allterms_end(schema::kPrefixId);
       ++it) {
    ids[(*it).substr(std::string(schema::kPrefixId).size())] += static_cast<int>(it.get_termfreq());
  }
  return ids;
}

TEST(Sigkill, IndexerKilledAtRandomMomentsLosesAndDoublesNothing) {
  const unsigned seed = Seed();
  std::mt19937 random(seed);
  const int iterations = EnvInt("CORRELARE_KILL_ITERATIONS", 4);
  std::cerr << "  seed " << seed << ", " << iterations << " iterations\n";
  TempDir dir;
  const fs::path source = dir.path() / "documenti";
  const fs::path data = dir.path() / "data";
  std::set<std::string> expected;  // ids of every top-level file
  for (const char* file : kCorpusFiles) {
    fs::path to = source / "corpus" / fs::path(file).filename();
    fs::create_directories(to.parent_path());
    fs::copy_file(CorpusPath(file), to);
    expected.insert(ContentId(ReadFile(to)));
  }

  // How long a whole run takes here (sanitizers, a loaded machine): kills fall inside it.
  auto start = std::chrono::steady_clock::now();
  {
    TempDir scratch;
    ProgramRun whole = Indexer(scratch.path() / "data", {"index", source.string()});
    ASSERT_EQ(whole.exit_code, 0) << Dump(whole);
  }
  const auto full_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                           std::chrono::steady_clock::now() - start).count();

  int hit = 0;
  for (int i = 0; i < iterations; ++i) {
    // New files every time, so that each run has work to be killed in.
    for (int n = 0; n < 8; ++n) {
      fs::path file = source / ("lotto-" + std::to_string(i)) / ("doc-" + std::to_string(n) + ".txt");
      WriteFile(file, Text(i, n));
      expected.insert(ContentId(Text(i, n)));
    }
    const int delay_ms = static_cast<int>(random() % static_cast<unsigned>(full_ms + 1));
    const fs::path log = dir.path() / "index.log";
    pid_t pid = testing::StartProgram({kIndexer, "index", source.string(), "--data", data.string(),
                                       "--taxonomy", kTaxonomy},
                                      log, log);
    ASSERT_GT(pid, 0);
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
    kill(pid, SIGKILL);
    if (testing::WaitForProgram(pid) == -SIGKILL) ++hit;
    std::this_thread::sleep_for(100ms);  // its orphaned extraction helpers end
    ExpectConsistent(data, "iteration " + std::to_string(i) + ", killed after " +
                               std::to_string(delay_ms) + " ms");
  }

  ProgramRun finish = Indexer(data, {"index", source.string()});
  ASSERT_EQ(finish.exit_code, 0) << Dump(finish);
  std::map<std::string, int> ids = IdsIn(data);
  for (const std::string& id : expected) {
    EXPECT_EQ(ids.count(id) ? ids[id] : 0, 1) << "document " << id;
  }
  ProgramRun check = Indexer(data, {"check"});
  EXPECT_EQ(check.exit_code, 0) << Dump(check);
  std::cerr << "  indexer: " << iterations << " iterations, " << hit
            << " killed while running (a whole run takes " << full_ms << " ms), "
            << expected.size() << " files, " << ids.size() << " documents (with bundle members)\n";
}

TEST(Sigkill, WatcherKilledAtRandomMomentsLosesAndDoublesNothing) {
  const unsigned seed = Seed();
  std::mt19937 random(seed);
  const int iterations = EnvInt("CORRELARE_KILL_ITERATIONS", 4);
  std::cerr << "  seed " << seed << ", " << iterations << " iterations\n";
  TempDir dir;
  const fs::path data = dir.path() / "data";
  const fs::path inbox = data / "inbox";
  std::map<std::string, std::string> dropped;  // inbox-relative path -> content id

  int hit = 0;
  for (int i = 0; i < iterations; ++i) {
    // Files arrive; the watcher starts, and is killed at a random moment.
    for (int n = 0; n < 6; ++n) {
      std::string relative = std::string(n % 2 ? "lodi" : "MI") + "/lotto-" + std::to_string(i) +
                             "/doc-" + std::to_string(n) + ".txt";
      WriteFile(inbox / relative, Text(i, n));
      dropped[relative] = ContentId(Text(i, n));
    }
    const char* corpus = kCorpusFiles[random() % std::size(kCorpusFiles)];
    std::string relative = "lodi/corpus-" + std::to_string(i) + "-" + fs::path(corpus).filename().string();
    WriteFile(inbox / relative, ReadFile(CorpusPath(corpus)));
    dropped[relative] = ContentId(ReadFile(CorpusPath(corpus)));

    const fs::path log = dir.path() / "watch.log";
    pid_t pid = testing::StartProgram({kIndexer, "watch", "--settle-ms", "100", "--data",
                                       data.string(), "--taxonomy", kTaxonomy},
                                      log, log);
    ASSERT_GT(pid, 0);
    const int delay_ms = 50 + static_cast<int>(random() % 2500);
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
    kill(pid, SIGKILL);
    if (testing::WaitForProgram(pid) == -SIGKILL) ++hit;
    std::this_thread::sleep_for(100ms);
    ExpectConsistent(data, "iteration " + std::to_string(i) + ", killed after " +
                               std::to_string(delay_ms) + " ms");
    // Nothing that was dropped may be missing from both the inbox and the index.
    std::map<std::string, int> ids = fs::exists(data / "index") ? IdsIn(data) : std::map<std::string, int>{};
    for (const auto& [path, id] : dropped) {
      EXPECT_TRUE(fs::exists(inbox / path) || ids.count(id))
          << path << " is neither in the inbox nor in the index (iteration " << i << ")";
    }
  }

  ProgramRun last = Indexer(data, {"watch", "--once", "--settle-ms", "100"});
  ASSERT_EQ(last.exit_code, 0) << Dump(last);
  std::map<std::string, int> ids = IdsIn(data);
  std::set<std::string> distinct;
  for (const auto& [path, id] : dropped) {
    EXPECT_FALSE(fs::exists(inbox / path)) << path << " left in the inbox";
    EXPECT_EQ(ids.count(id) ? ids[id] : 0, 1) << path;
    distinct.insert(id);
  }
  for (const auto& entry : fs::recursive_directory_iterator(inbox)) {
    EXPECT_EQ(entry.path().string().find(".rejected"), std::string::npos)
        << entry.path() << ": nothing was to be rejected";
  }
  ProgramRun check = Indexer(data, {"check"});
  EXPECT_EQ(check.exit_code, 0) << Dump(check);
  std::cerr << "  watcher: " << iterations << " iterations, " << hit << " killed while running, "
            << dropped.size() << " files dropped (" << distinct.size() << " distinct), "
            << ids.size() << " documents\n";
}

}  // namespace
}  // namespace correlare::reliability
