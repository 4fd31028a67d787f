// The inbox as partner provinces use it: the real correlare-indexer (`watch`, `retry`,
// `check`) with the real extraction helper, a temporary data folder, files of the sample
// corpus; the index is then read with Xapian directly.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>
#include <xapian.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include "common/content_id.h"
#include "schema/document_record.h"
#include "schema/schema.h"
#include "test_support.h"

extern char** environ;

namespace correlare {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using testing::CorpusPath;
using testing::TempDir;

const std::string kProgram = std::string(CORRELARE_BIN_DIR) + "/correlare-indexer";

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

void WriteFile(const fs::path& path, const std::string& bytes) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << bytes;
}

void CopyInto(const fs::path& from, const fs::path& to) {
  fs::create_directories(to.parent_path());
  fs::copy_file(from, to, fs::copy_options::overwrite_existing);
}

// Starts correlare-indexer with `args`, its stdout appended to `out` and its stderr to
// `err`. Returns the pid.
pid_t Start(const std::vector<std::string>& args, const fs::path& out, const fs::path& err) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  std::vector<std::string> all = {kProgram};
  all.insert(all.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& arg : all) argv.push_back(arg.data());
  argv.push_back(nullptr);
  pid_t pid = -1;
  int spawned = posix_spawn(&pid, kProgram.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  return spawned == 0 ? pid : -1;
}

// The exit code, or -signal when a signal ended it.
int WaitFor(pid_t pid) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
}

struct ProgramRun {
  int exit_code = -1;
  std::string out;
  std::string err;
};

ProgramRun RunIndexer(const std::vector<std::string>& args) {
  TempDir dir;
  ProgramRun run;
  pid_t pid = Start(args, dir.path() / "out", dir.path() / "err");
  if (pid < 0) return run;
  run.exit_code = WaitFor(pid);
  run.out = ReadFile(dir.path() / "out");
  run.err = ReadFile(dir.path() / "err");
  return run;
}

// `correlare-indexer watch` running in the background until stopped or killed.
class BackgroundWatch {
 public:
  BackgroundWatch(const std::vector<std::string>& args, const fs::path& log)
      : log_(log), pid_(Start(args, log, fs::path(log.string() + ".err"))) {}
  ~BackgroundWatch() {
    if (pid_ > 0) Kill(SIGKILL);
  }
  bool running() const { return pid_ > 0; }
  int Kill(int signal) {
    kill(pid_, signal);
    int code = WaitFor(pid_);
    pid_ = -1;
    return code;
  }
  // Waits until the log holds `text`; false after `timeout`.
  bool WaitForLog(const std::string& text, std::chrono::milliseconds timeout) const {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      if (ReadFile(log_).find(text) != std::string::npos) return true;
      std::this_thread::sleep_for(20ms);
    }
    return false;
  }
  std::string log() const { return ReadFile(log_); }

 private:
  fs::path log_;
  pid_t pid_;
};

// The id in a log line "taken PATH as ID" or "duplicate PATH of ID"; "" when none.
std::string IdInLog(const std::string& log, const std::string& shown) {
  for (const std::string& head : {"taken " + shown + " as ", "duplicate " + shown + " of "}) {
    size_t at = log.find(head);
    if (at != std::string::npos) {
      at += head.size();
      return log.substr(at, log.find('\n', at) - at);
    }
  }
  return "";
}

int CountOf(const std::string& text, const std::string& what) {
  int count = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++count;
  return count;
}

// Regular files under `folder`, relative, leaving out .rejected/ folders.
std::set<std::string> FilesIn(const fs::path& folder) {
  std::set<std::string> files;
  std::error_code error;
  for (auto it = fs::recursive_directory_iterator(folder, error);
       !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
    if (it->path().filename() == ".rejected") {
      it.disable_recursion_pending();
      continue;
    }
    if (!it->is_directory()) files.insert(it->path().lexically_relative(folder).string());
  }
  return files;
}

class InboxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    data_ = dir_.path() / "data";
    taxonomy_ = dir_.path() / "taxonomy.json";
    fs::copy_file(fs::path(CORRELARE_SOURCE_DIR) / "taxonomy/taxonomy.json", taxonomy_);
    fs::create_directories(inbox() / "lodi");
  }

  fs::path inbox() const { return data_ / "inbox"; }
  std::vector<std::string> Args(std::vector<std::string> args) const {
    args.insert(args.end(), {"--data", data_.string(), "--taxonomy", taxonomy_.string()});
    return args;
  }
  ProgramRun WatchOnce() const {
    return RunIndexer(Args({"watch", "--once", "--settle-ms", "100"}));
  }
  void ExpectCheckPasses() const {
    ProgramRun check = RunIndexer(Args({"check"}));
    EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
  }

  Xapian::Database Index() const { return Xapian::Database((data_ / "index").string()); }
  // Source key -> ids of the documents holding it, from every document's record (so
  // this does not depend on how source terms are spelled).
  std::map<std::string, std::vector<std::string>> SourcesIn(const Xapian::Database& db) const {
    std::map<std::string, std::vector<std::string>> sources;
    for (auto it = db.postlist_begin(""); it != db.postlist_end(""); ++it) {
      schema::DocumentRecord record = Record(db, *it);
      for (const auto& source : record.sources) sources[source.key].push_back(record.id);
    }
    return sources;
  }
  static std::string IdTerm(const std::string& id) { return schema::kPrefixId + id; }
  // The document holding `term`, or 0.
  Xapian::docid DocWith(const Xapian::Database& db, const std::string& term) const {
    auto it = db.postlist_begin(term);
    return it == db.postlist_end(term) ? 0 : *it;
  }
  bool DocHas(const Xapian::Database& db, Xapian::docid doc, const std::string& term) const {
    auto it = db.termlist_begin(doc);
    it.skip_to(term);
    return it != db.termlist_end(doc) && *it == term;
  }
  schema::DocumentRecord Record(const Xapian::Database& db, Xapian::docid doc) const {
    auto record = schema::RecordFromJson(db.get_document(doc).get_data());
    EXPECT_TRUE(record.ok()) << record.status().ToString();
    return record.ok() ? record.value() : schema::DocumentRecord{};
  }

  TempDir dir_;
  fs::path data_;
  fs::path taxonomy_;
};

TEST_F(InboxTest, TakesFilesFromProvinceFoldersAndTheirSubfolders) {
  CopyInto(CorpusPath("dispense/ricongiungimento-familiare.pdf"),
           inbox() / "lodi/ricongiungimento-familiare.pdf");
  CopyInto(CorpusPath("normativa/regolamento-idoneita-alloggiativa-comune-di-lodi.docx"),
           inbox() / "lodi/comune/2023/regolamento.docx");
  CopyInto(CorpusPath("trascrizioni/lezione-modulo-3-lavoro-stranieri.srt"),
           inbox() / "MI/lezione.srt");  // a sigla names the province too

  ProgramRun run = WatchOnce();
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_TRUE(FilesIn(inbox()).empty()) << run.out;
  EXPECT_FALSE(fs::exists(inbox() / "lodi/comune")) << "emptied subfolders go";
  EXPECT_TRUE(fs::is_directory(inbox() / "lodi")) << "the province folder stays";
  EXPECT_TRUE(fs::is_directory(inbox() / "MI"));
  for (const char* province : {"bergamo", "lombardia", "monza-brianza", "varese"}) {
    EXPECT_TRUE(fs::is_directory(inbox() / province)) << "made for partners: " << province;
  }

  Xapian::Database db = Index();
  EXPECT_EQ(db.get_doccount(), 3u);
  auto sources = SourcesIn(db);
  struct Expected {
    std::string shown, key, province;
  };
  for (const Expected& e : {Expected{"lodi/ricongiungimento-familiare.pdf",
                                     "inbox:lodi/ricongiungimento-familiare.pdf", "lodi"},
                            Expected{"lodi/comune/2023/regolamento.docx",
                                     "inbox:lodi/comune/2023/regolamento.docx", "lodi"},
                            Expected{"MI/lezione.srt", "inbox:milano/lezione.srt", "milano"}}) {
    std::string id = IdInLog(run.out, e.shown);
    ASSERT_FALSE(id.empty()) << "no 'taken " << e.shown << "' in:\n" << run.out;
    Xapian::docid doc = DocWith(db, IdTerm(id));
    ASSERT_NE(doc, 0u) << e.shown;
    EXPECT_TRUE(DocHas(db, doc, std::string(schema::kPrefixProvince) + e.province)) << e.shown;
    EXPECT_EQ(sources[e.key], std::vector<std::string>{id}) << e.shown;
  }
  EXPECT_EQ(CountOf(run.out, "\n"), 3) << "one line per file:\n" << run.out;
  ExpectCheckPasses();
}

TEST_F(InboxTest, SameFileFromTwoProvincesIsOneDocumentFiledUnderBoth) {
  const fs::path pdf = CorpusPath("dispense/mediazione-linguistico-culturale.pdf");
  CopyInto(pdf, inbox() / "lodi/mediazione.pdf");
  CopyInto(pdf, inbox() / "MI/materiali/mediazione (copia).pdf");

  ProgramRun run = WatchOnce();
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_TRUE(FilesIn(inbox()).empty()) << run.out;
  std::string id = ContentId(ReadFile(pdf));
  EXPECT_EQ(CountOf(run.out, " as " + id), 1) << run.out;
  EXPECT_EQ(CountOf(run.out, " of " + id), 1) << run.out;

  Xapian::Database db = Index();
  EXPECT_EQ(db.get_doccount(), 1u);
  Xapian::docid doc = DocWith(db, IdTerm(id));
  ASSERT_NE(doc, 0u);
  EXPECT_TRUE(DocHas(db, doc, "XPlodi"));
  EXPECT_TRUE(DocHas(db, doc, "XPmilano"));
  auto sources = SourcesIn(db);
  EXPECT_EQ(sources["inbox:lodi/mediazione.pdf"], std::vector<std::string>{id});
  EXPECT_EQ(sources["inbox:milano/materiali/mediazione (copia).pdf"], std::vector<std::string>{id});
  ExpectCheckPasses();

  // Dropped again after it was taken: found, not added twice.
  CopyInto(pdf, inbox() / "lodi/mediazione.pdf");
  run = WatchOnce();
  EXPECT_NE(run.out.find("duplicate lodi/mediazione.pdf of " + id), std::string::npos) << run.out;
  EXPECT_FALSE(fs::exists(inbox() / "lodi/mediazione.pdf"));
  EXPECT_EQ(Index().get_doccount(), 1u);
}

TEST_F(InboxTest, FilesThatCannotBeTakenGoToRejectedWithAReason) {
  CopyInto(CorpusPath("hostile/encrypted.pdf"), inbox() / "lodi/atti/riservato.pdf");
  CopyInto(CorpusPath("dispense/ricongiungimento-familiare.pdf"), inbox() / "atlantide/x.pdf");
  CopyInto(CorpusPath("dispense/ricongiungimento-familiare.pdf"), inbox() / "lodi/y.pdf");
  WriteFile(inbox() / "lodi/y.pdf.meta.json", "{\"type\": \"romanzo\"}");
  fs::create_symlink("/etc/passwd", inbox() / "lodi/password");

  ProgramRun run = WatchOnce();
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_TRUE(FilesIn(inbox()).empty()) << run.out;

  struct Expected {
    fs::path rejected;
    std::string log_line;
    std::string reason_has;
  };
  for (const Expected& e : {
           Expected{inbox() / "lodi/.rejected/atti/riservato.pdf",
                    "rejected lodi/atti/riservato.pdf: encrypted", "password"},
           Expected{inbox() / ".rejected/atlantide/x.pdf",
                    "rejected atlantide/x.pdf: ", "unknown province folder 'atlantide'"},
           Expected{inbox() / "lodi/.rejected/y.pdf", "rejected lodi/y.pdf: ", "romanzo"},
           Expected{inbox() / "lodi/.rejected/password",
                    "rejected lodi/password: ", "symbolic link: not followed"},
       }) {
    EXPECT_TRUE(fs::exists(fs::symlink_status(e.rejected))) << e.rejected;
    std::string reason = ReadFile(e.rejected.string() + ".reason.txt");
    EXPECT_NE(reason.find(e.reason_has), std::string::npos) << e.rejected << ": " << reason;
    EXPECT_EQ(CountOf(reason, "\n"), 2) << "the reason, then the time: " << reason;
    EXPECT_NE(run.out.find(e.log_line), std::string::npos) << run.out;
  }
  EXPECT_TRUE(fs::exists(inbox() / "lodi/.rejected/y.pdf.meta.json")) << "the sidecar goes too";
  EXPECT_TRUE(fs::is_symlink(inbox() / "lodi/.rejected/password"));
  EXPECT_EQ(Index().get_doccount(), 0u);

  // Once the cause is fixed, retry puts them back and the next sweep takes them.
  WriteFile(inbox() / "lodi/.rejected/y.pdf.meta.json", "{\"type\": \"dispensa\"}");
  ProgramRun retry = RunIndexer(Args({"retry", "LO"}));
  EXPECT_EQ(retry.exit_code, 0) << retry.err;
  EXPECT_NE(retry.out.find("3 files moved back"), std::string::npos) << retry.out;
  EXPECT_TRUE(fs::exists(inbox() / "lodi/atti/riservato.pdf"));
  EXPECT_TRUE(fs::exists(inbox() / "lodi/y.pdf.meta.json"));
  EXPECT_FALSE(fs::exists(inbox() / "lodi/y.pdf.reason.txt"));
  EXPECT_TRUE(fs::exists(inbox() / ".rejected/atlantide/x.pdf")) << "not Lodi's";
  fs::remove(inbox() / "lodi/password");
  run = WatchOnce();
  EXPECT_NE(run.out.find("taken lodi/y.pdf as "), std::string::npos) << run.out;
  EXPECT_FALSE(fs::exists(inbox() / "lodi/y.pdf.meta.json"));
  ExpectCheckPasses();
}

TEST_F(InboxTest, JunkAndPartialFilesAreLeftAlone) {
  const std::vector<std::string> junk = {".~lock.verbale.odt#",
                                         "x.part",
                                         "~$verbale.docx",
                                         "scarico.tmp",
                                         "d.pdf.crdownload",
                                         ".DS_Store",
                                         "._d.pdf",
                                         "Thumbs.db",
                                         "desktop.ini",
                                         "@eaDir/d.pdf/SYNOFILE_THUMB_M.jpg",
                                         "sub/.nascosto/d.pdf",
                                         "solo.pdf.meta.json"};
  for (const auto& name : junk) WriteFile(inbox() / "lodi" / name, "bytes of " + name);

  ProgramRun run = WatchOnce();
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, "");
  std::set<std::string> left = FilesIn(inbox() / "lodi");
  EXPECT_EQ(left, std::set<std::string>(junk.begin(), junk.end()));
  EXPECT_FALSE(fs::exists(inbox() / "lodi/.rejected"));
  EXPECT_EQ(Index().get_doccount(), 0u);
}

TEST_F(InboxTest, SidecarOverridesMetadataAndGoesWithItsFile) {
  const fs::path pdf = CorpusPath("dispense/centri-per-impiego-contratto-di-soggiorno.pdf");
  CopyInto(pdf, inbox() / "lodi/cpi.pdf");
  WriteFile(inbox() / "lodi/cpi.pdf.meta.json",
            "{\"title\": \"Centri per l'impiego (Lodi)\", \"type\": \"strumento\"}");
  ProgramRun run = WatchOnce();
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_TRUE(FilesIn(inbox()).empty()) << run.out;
  Xapian::Database db = Index();
  Xapian::docid doc = DocWith(db, IdTerm(ContentId(ReadFile(pdf))));
  ASSERT_NE(doc, 0u) << run.out;
  EXPECT_EQ(Record(db, doc).title, "Centri per l'impiego (Lodi)");
  EXPECT_TRUE(DocHas(db, doc, "XTstrumento"));
}

TEST_F(InboxTest, BadUsageIsOneLineOnStderr) {
  for (const auto& args : std::vector<std::vector<std::string>>{{"watch", "--settle-ms", "soon"},
                                                                {"watch", "--poll", "0"},
                                                                {"watch", "extra"},
                                                                {"retry", "atlantide"},
                                                                {"retry", "lodi", "milano"}}) {
    ProgramRun run = RunIndexer(Args(args));
    EXPECT_EQ(run.exit_code, 2) << args[0] << " " << args[1];
    EXPECT_EQ(CountOf(run.err, "\n"), 1) << run.err;
    EXPECT_EQ(run.err.rfind("correlare-indexer: ", 0), 0u) << run.err;
  }
}

// Drops a file and waits for the watcher to take it: then it is surely watching.
void WaitUntilWatching(const BackgroundWatch& watch, const fs::path& inbox) {
  WriteFile(inbox / "lodi/canarino.txt", "Il watcher è pronto.");
  ASSERT_TRUE(watch.WaitForLog("taken lodi/canarino.txt", 30s)) << watch.log();
}

TEST_F(InboxTest, AFileBeingWrittenIsTakenOnlyOnceComplete) {
  BackgroundWatch watch(Args({"watch", "--settle-ms", "200"}), dir_.path() / "watch.log");
  ASSERT_TRUE(watch.running());
  WaitUntilWatching(watch, inbox());

  // A slow upload: half, a pause far longer than settle-ms, the rest, then close.
  std::string first = "Prima metà della circolare sul permesso di soggiorno. ";
  std::string rest = "Seconda metà, arrivata dopo una pausa della rete.\n";
  int fd = open((inbox() / "lodi/lento.txt").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(write(fd, first.data(), first.size()), static_cast<ssize_t>(first.size()));
  std::this_thread::sleep_for(1500ms);
  EXPECT_EQ(watch.log().find("lento.txt"), std::string::npos) << "taken half-written";
  ASSERT_EQ(write(fd, rest.data(), rest.size()), static_cast<ssize_t>(rest.size()));
  close(fd);

  // Moved in whole from elsewhere, as rsync and most uploaders finish.
  WriteFile(dir_.path() / "fuori.txt", "Modulo di richiesta per il ricongiungimento familiare.");
  fs::rename(dir_.path() / "fuori.txt", inbox() / "lodi/spostato.txt");

  // A whole folder moved in: its files are found, and its new subfolders watched.
  WriteFile(dir_.path() / "cartella/a.txt", "Orari dello sportello stranieri di Lodi.");
  WriteFile(dir_.path() / "cartella/interna/b.txt", "Elenco dei corsi di italiano L2.");
  fs::rename(dir_.path() / "cartella", inbox() / "lodi/cartella");
  std::this_thread::sleep_for(300ms);
  WriteFile(inbox() / "lodi/cartella/interna/c.txt", "Aggiunto dopo lo spostamento.");

  ASSERT_TRUE(watch.WaitForLog("lodi/lento.txt", 30s)) << watch.log();
  for (const char* name : {"spostato.txt", "cartella/a.txt", "cartella/interna/b.txt",
                           "cartella/interna/c.txt"}) {
    ASSERT_TRUE(watch.WaitForLog("taken lodi/" + std::string(name), 30s)) << watch.log();
  }
  std::string log = watch.log();
  EXPECT_EQ(IdInLog(log, "lodi/lento.txt"), ContentId(first + rest)) << log;
  EXPECT_EQ(CountOf(log, "lento.txt"), 1) << log;
  EXPECT_EQ(watch.Kill(SIGTERM), 0) << "SIGTERM stops it cleanly";
  EXPECT_TRUE(FilesIn(inbox()).empty());
  ExpectCheckPasses();
}

TEST_F(InboxTest, AFileRenamedIntoPlaceNeedsNoSettlingTime) {
  // A minute of settling: a file written in place waits that long; one renamed into the
  // inbox (NAME.part, then NAME) was complete before it arrived and is taken at once.
  fs::path log = dir_.path() / "watch.log";
  BackgroundWatch watch(Args({"watch", "--settle-ms", "60000"}), log);
  ASSERT_TRUE(watch.running());
  // Its inotify watches are set once it says so (a canary file would wait a minute).
  auto deadline = std::chrono::steady_clock::now() + 30s;
  while (ReadFile(log.string() + ".err").find("watching") == std::string::npos &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(20ms);
  }
  ASSERT_NE(ReadFile(log.string() + ".err").find("watching"), std::string::npos);
  WriteFile(inbox() / "lodi/sul-posto.txt", "Avviso scritto direttamente nella cartella.");
  WriteFile(inbox() / "lodi/.caricamento.part", "Avviso caricato e poi rinominato.");
  fs::rename(inbox() / "lodi/.caricamento.part", inbox() / "lodi/caricato.txt");
  ASSERT_TRUE(watch.WaitForLog("taken lodi/caricato.txt", 30s)) << watch.log();
  std::this_thread::sleep_for(1s);
  EXPECT_EQ(watch.log().find("sul-posto.txt"), std::string::npos)
      << "a file written in place waits for its settling time: " << watch.log();
  EXPECT_TRUE(fs::exists(inbox() / "lodi/sul-posto.txt"));
}

TEST_F(InboxTest, PollingFindsFilesWithoutInotify) {
  BackgroundWatch watch(Args({"watch", "--poll", "1", "--settle-ms", "100"}),
                        dir_.path() / "watch.log");
  ASSERT_TRUE(watch.running());
  WaitUntilWatching(watch, inbox());
  CopyInto(CorpusPath("dispense/ricongiungimento-familiare.pdf"), inbox() / "MI/nuovo/r.pdf");
  EXPECT_TRUE(watch.WaitForLog("taken MI/nuovo/r.pdf as ", 30s)) << watch.log();
  EXPECT_EQ(watch.Kill(SIGINT), 0);
}

// The promise of SPEC "Inbox": nothing a province drops is lost, whenever the watcher is
// killed. 200 files arrive while the watcher is killed (SIGKILL) and restarted several
// times; at the end each is indexed exactly once or rejected with a reason.
TEST_F(InboxTest, NothingIsLostOrDoubledWhenTheWatcherIsKilled) {
  const unsigned seed = static_cast<unsigned>(std::random_device{}());
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937 random(seed);

  // 190 distinct texts (some in subfolders, some in Milan's folder), and 5 corpus files
  // dropped twice under different names.
  std::map<std::string, std::string> dropped;  // inbox-relative path -> bytes
  for (int n = 0; n < 190; ++n) {
    std::string folder = n % 10 == 9 ? "MI" : "lodi";
    std::string sub = n % 3 == 0 ? "lotto-" + std::to_string(n / 30) + "/" : "";
    dropped[folder + "/" + sub + "documento-" + std::to_string(n) + ".txt"] =
        "Documento " + std::to_string(n) + " della provincia di " +
        (folder == "MI" ? "Milano" : "Lodi") +
        ": informazioni per lo sportello stranieri sul permesso di soggiorno, "
        "l'iscrizione al servizio sanitario e i corsi di lingua italiana.\n";
  }
  const char* corpus[] = {"dispense/ricongiungimento-familiare.pdf",
                          "dispense/minori-stranieri-non-accompagnati.pdf",
                          "normativa/regolamento-idoneita-alloggiativa-comune-di-lodi.docx",
                          "raccomandazioni/raccomandazioni-cdp-mediazione-scolastica-varese.odt",
                          "trascrizioni/lezione-modulo-3-lavoro-stranieri.srt"};
  for (int i = 0; i < 5; ++i) {
    std::string bytes = ReadFile(CorpusPath(corpus[i]));
    std::string name = fs::path(corpus[i]).filename().string();
    dropped["lodi/corpus/" + name] = bytes;
    dropped["lodi/copia-" + name] = bytes;
  }
  ASSERT_EQ(dropped.size(), 200u);

  const fs::path log = dir_.path() / "watch.log";
  auto watch = std::make_unique<BackgroundWatch>(Args({"watch", "--settle-ms", "100"}), log);
  std::atomic<bool> all_dropped{false};
  std::thread dropper([&] {
    std::mt19937 pace(seed + 1);
    int n = 0;
    for (const auto& [relative, bytes] : dropped) {
      fs::path target = inbox() / relative;
      if (n++ % 2 == 0) {
        WriteFile(target, bytes);  // written in place
      } else {                     // written under a hidden name, then renamed
        fs::path hidden = target.parent_path() / ("." + target.filename().string() + ".upload");
        WriteFile(hidden, bytes);
        fs::rename(hidden, target);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(pace() % 25));
    }
    all_dropped = true;
  });

  const int kills = 3 + static_cast<int>(random() % 3);
  for (int k = 0; k < kills; ++k) {
    std::this_thread::sleep_for(std::chrono::milliseconds(300 + random() % 1200));
    watch->Kill(SIGKILL);
    watch = std::make_unique<BackgroundWatch>(Args({"watch", "--settle-ms", "100"}), log);
  }
  dropper.join();
  std::this_thread::sleep_for(std::chrono::milliseconds(random() % 1000));
  watch->Kill(SIGKILL);

  ProgramRun last = WatchOnce();
  ASSERT_EQ(last.exit_code, 0) << last.err;
  EXPECT_TRUE(FilesIn(inbox()).empty()) << "left in the inbox";

  Xapian::Database db = Index();
  auto sources = SourcesIn(db);
  std::set<std::string> ids;
  int rejected = 0;
  for (const auto& [relative, bytes] : dropped) {
    std::string folder = relative.substr(0, relative.find('/'));
    std::string rest = relative.substr(folder.size() + 1);
    std::string key = "inbox:" + std::string(folder == "MI" ? "milano" : "lodi") + "/" + rest;
    const std::vector<std::string>& holders = sources[key];
    fs::path in_rejected = inbox() / folder / ".rejected" / rest;
    if (holders.empty()) {
      EXPECT_TRUE(fs::exists(in_rejected)) << relative << " is lost";
      EXPECT_TRUE(fs::exists(in_rejected.string() + ".reason.txt")) << relative;
      ++rejected;
      ADD_FAILURE() << relative
                    << " was rejected: " << ReadFile(in_rejected.string() + ".reason.txt");
      continue;
    }
    std::string id = ContentId(bytes);
    EXPECT_EQ(holders, std::vector<std::string>{id}) << relative;
    EXPECT_NE(DocWith(db, IdTerm(id)), 0u) << relative;
    ids.insert(id);
  }
  EXPECT_EQ(rejected, 0);
  EXPECT_EQ(ids.size(), 195u);
  // No document twice, and nothing else in the index (the .odt has no members).
  for (auto it = db.allterms_begin(schema::kPrefixId); it != db.allterms_end(schema::kPrefixId);
       ++it) {
    EXPECT_EQ(it.get_termfreq(), 1u) << *it;
  }
  EXPECT_EQ(db.get_doccount(), 195u);
  ExpectCheckPasses();
}

}  // namespace
}  // namespace correlare
