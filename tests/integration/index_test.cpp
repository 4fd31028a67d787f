// `correlare-indexer index / remove / check` as an operator runs them: the real program
// with the real extraction helper, copies of sample corpus files in a temporary folder,
// a temporary --data folder. The index is then read with Xapian directly and the store
// on disk, so these tests check what searchd will find, not what the indexer says.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>
#include <signal.h>
#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include "common/content_id.h"
#include "schema/document_record.h"
#include "schema/schema.h"
#include "test_support.h"

namespace correlare {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using testing::CorpusPath;
using testing::ProgramRun;
using testing::TempDir;

const std::string kIndexer = std::string(CORRELARE_BIN_DIR) + "/correlare-indexer";
const std::string kTaxonomy = std::string(CORRELARE_SOURCE_DIR) + "/taxonomy/taxonomy.json";

std::string ReadBytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

void WriteBytes(const fs::path& path, const std::string& bytes) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << bytes;
}

void CopyInto(const fs::path& from, const fs::path& to) {
  fs::create_directories(to.parent_path());
  fs::copy_file(from, to, fs::copy_options::overwrite_existing);
}

std::string IdOfFile(const fs::path& path) { return ContentId(ReadBytes(path)); }

// Moves a file's mtime well away from what the indexer recorded, as `touch` would.
void Touch(const fs::path& path, std::chrono::seconds by = 10s) {
  fs::last_write_time(path, fs::last_write_time(path) + by);
}

int Lines(const std::string& s) { return static_cast<int>(std::count(s.begin(), s.end(), '\n')); }

std::string Dump(const ProgramRun& run) {
  return "exit " + std::to_string(run.exit_code) + "\n--- stdout\n" + run.out + "--- stderr\n" +
         run.err;
}

std::string Term(const char* prefix, const std::string& value) { return prefix + value; }

class IndexTest : public ::testing::Test {
 protected:
  void SetUp() override {
    data_ = dir_.path() / "var";
    docs_ = dir_.path() / "docs";
    fs::create_directories(docs_);
  }

  // correlare-indexer ARGS --data DATA --taxonomy TAXONOMY
  ProgramRun Indexer(std::vector<std::string> args) const {
    args.insert(args.begin(), kIndexer);
    args.insert(args.end(), {"--data", data_.string(), "--taxonomy", kTaxonomy});
    return testing::RunProgram(args);
  }
  ProgramRun Index(const fs::path& path) const { return Indexer({"index", path.string()}); }
  ProgramRun Check() const { return Indexer({"check"}); }

  Xapian::Database Db() const { return Xapian::Database((data_ / "index").string()); }
  // The documents committed so far; 0 while the index is being made or swapped for its
  // compacted copy.
  Xapian::doccount Committed() const {
    try {
      return fs::exists(data_ / "index") ? Db().get_doccount() : 0;
    } catch (const Xapian::Error&) {
      return 0;
    }
  }
  Xapian::doccount TermFreq(const std::string& term) const { return Db().get_termfreq(term); }
  bool HasDoc(const std::string& id) const { return TermFreq(Term(schema::kPrefixId, id)) > 0; }
  // The terms of the document `id` with `prefix`, prefix included.
  std::set<std::string> TermsOf(const std::string& id, const std::string& prefix) const {
    Xapian::Database db = Db();
    std::set<std::string> terms;
    auto post = db.postlist_begin(Term(schema::kPrefixId, id));
    if (post == db.postlist_end(Term(schema::kPrefixId, id))) return terms;
    for (auto it = db.termlist_begin(*post); it != db.termlist_end(*post); ++it) {
      if ((*it).rfind(prefix, 0) == 0) terms.insert(*it);
    }
    return terms;
  }
  bool DocHasTerm(const std::string& id, const std::string& term) const {
    return TermsOf(id, term).count(term) != 0;
  }
  schema::DocumentRecord Record(const std::string& id) const {
    Xapian::Database db = Db();
    auto post = db.postlist_begin(Term(schema::kPrefixId, id));
    if (post == db.postlist_end(Term(schema::kPrefixId, id))) {
      ADD_FAILURE() << "no document " << id;
      return {};
    }
    auto record = schema::RecordFromJson(db.get_document(*post).get_data());
    EXPECT_TRUE(record.ok()) << record.status().ToString();
    return record.ok() ? record.value() : schema::DocumentRecord{};
  }

  // The store layout of store.h, spelled out: a change to it must show here.
  fs::path OriginalPath(const std::string& id) const {
    return data_ / "store/objects" / id.substr(0, 2) / id;
  }
  fs::path TextPath(const std::string& id) const {
    return data_ / "store/text" / id.substr(0, 2) / (id + ".txt");
  }

  static std::string SourceKey(const fs::path& file) {
    return "file:" + fs::absolute(file).lexically_normal().string();
  }

  TempDir dir_;
  fs::path data_;
  fs::path docs_;
};

// ---- A mixed folder --------------------------------------------------------------------

struct Sample {
  const char* corpus;  // under corpus-samples/
  const char* name;    // in the indexed folder
};

// One of each format the indexer takes, the bundle last.
const std::vector<Sample>& MixedSamples() {
  static const std::vector<Sample> samples = {
      {"dispense/minori-stranieri-non-accompagnati.pdf", "dispensa.pdf"},
      {"normativa/regolamento-idoneita-alloggiativa-comune-di-lodi.docx", "normativa/regolamento.docx"},
      {"normativa/delibera-provinciale-mediazione-linguistico-culturale-brescia.odt",
       "normativa/delibera.odt"},
      {"strumenti/glossario-immigrazione.html", "strumenti/glossario.html"},
      {"trascrizioni/lezione-mediazione-interculturale-sanita.srt", "trascrizioni/lezione.srt"},
      {"trascrizioni/tavola-rotonda-abitare-e-accoglienza.vtt", "trascrizioni/tavola-rotonda.vtt"},
      {"strumenti/avviso-sportello-stranieri-cp1252.txt", "strumenti/avviso.txt"},
      {"bundle/kit-accoglienza.zip", "kit-accoglienza.zip"},
  };
  return samples;
}

class MixedFolderTest : public IndexTest {
 protected:
  void SetUp() override {
    IndexTest::SetUp();
    for (const auto& sample : MixedSamples()) CopyInto(CorpusPath(sample.corpus), docs_ / sample.name);
  }
  fs::path File(size_t i) const { return docs_ / MixedSamples()[i].name; }
  fs::path Bundle() const { return File(MixedSamples().size() - 1); }
};

TEST_F(MixedFolderTest, IndexesEveryFormatAndTheBundleMembers) {
  ProgramRun run = Index(docs_);
  ASSERT_EQ(run.exit_code, 0) << Dump(run);
  EXPECT_NE(run.out.find("indexed: 8, unchanged: 0, duplicates: 0, removed: 0"), std::string::npos)
      << Dump(run);
  EXPECT_NE(run.out.find("failed: 0"), std::string::npos) << Dump(run);

  for (size_t i = 0; i < MixedSamples().size(); ++i) {
    std::string id = IdOfFile(File(i));
    SCOPED_TRACE(MixedSamples()[i].name);
    EXPECT_EQ(TermFreq(Term(schema::kPrefixId, id)), 1u);
    EXPECT_EQ(ReadBytes(OriginalPath(id)), ReadBytes(File(i))) << "the original, byte for byte";
    EXPECT_GT(fs::file_size(TextPath(id)), 0u) << "the extracted text";
    schema::DocumentRecord record = Record(id);
    EXPECT_EQ(record.id, id);
    EXPECT_TRUE(record.parent.empty());
    ASSERT_EQ(record.sources.size(), 1u);
    EXPECT_EQ(record.sources[0].key, SourceKey(File(i)));
    EXPECT_TRUE(DocHasTerm(id, std::string(schema::kPrefixSource) + ContentId(SourceKey(File(i)))));
  }
  // The cp1252 file's text is stored as UTF-8.
  std::string avviso = ReadBytes(TextPath(IdOfFile(File(6))));
  EXPECT_NE(avviso.find("\xC3"), std::string::npos) << "accented letters in UTF-8";

  // The bundle's members are documents of their own, under it, all the way down.
  std::string bundle_id = IdOfFile(Bundle());
  schema::DocumentRecord bundle = Record(bundle_id);
  ASSERT_GE(bundle.members.size(), 5u) << "kit-accoglienza.zip holds 5 files";
  size_t members = 0;
  std::function<void(const std::string&, const std::vector<std::string>&)> check_members =
      [&](const std::string& parent, const std::vector<std::string>& ids) {
        for (const auto& member_id : ids) {
          SCOPED_TRACE("member " + member_id + " of " + parent);
          ++members;
          ASSERT_TRUE(HasDoc(member_id));
          EXPECT_TRUE(DocHasTerm(member_id, Term(schema::kPrefixParent, parent)));
          schema::DocumentRecord member = Record(member_id);
          EXPECT_EQ(member.parent, parent);
          EXPECT_FALSE(member.member_path.empty());
          ASSERT_TRUE(fs::is_regular_file(OriginalPath(member_id)));
          EXPECT_EQ(ContentId(ReadBytes(OriginalPath(member_id))), member_id)
              << "a member's stored bytes are the ones its id names";
          EXPECT_TRUE(fs::is_regular_file(TextPath(member_id)));
          check_members(member_id, member.members);
        }
      };
  check_members(bundle_id, bundle.members);
  EXPECT_GE(members, 6u) << "the nested modulistica.zip has members too";
  EXPECT_NE(run.out.find("bundle members: " + std::to_string(members) + ","), std::string::npos)
      << Dump(run);
  EXPECT_EQ(Db().get_doccount(), 8u + members);

  ProgramRun check = Check();
  EXPECT_EQ(check.exit_code, 0) << Dump(check);
  EXPECT_NE(check.out.find(std::to_string(8 + members) + " documents, 0 problems"), std::string::npos)
      << Dump(check);
}

TEST_F(MixedFolderTest, UnchangedFilesAreSkippedEvenWhenTouched) {
  ASSERT_EQ(Index(docs_).exit_code, 0);
  Xapian::docid last = Db().get_lastdocid();
  Xapian::doccount count = Db().get_doccount();

  ProgramRun again = Index(docs_);
  EXPECT_EQ(again.exit_code, 0) << Dump(again);
  EXPECT_NE(again.out.find("indexed: 0, unchanged: 8, duplicates: 0, removed: 0"), std::string::npos)
      << Dump(again);
  EXPECT_EQ(Db().get_lastdocid(), last) << "nothing was rewritten";
  EXPECT_EQ(Db().get_doccount(), count);

  // A new mtime over the same bytes: the content hash says unchanged.
  for (size_t i = 0; i < MixedSamples().size(); ++i) Touch(File(i));
  ProgramRun touched = Index(docs_);
  EXPECT_EQ(touched.exit_code, 0) << Dump(touched);
  EXPECT_NE(touched.out.find("indexed: 0, unchanged: 8, duplicates: 0, removed: 0"), std::string::npos)
      << Dump(touched);
  EXPECT_EQ(Db().get_lastdocid(), last) << "touched files were not rewritten";
  EXPECT_EQ(Db().get_doccount(), count);
}

// ---- Small folders ---------------------------------------------------------------------

TEST_F(IndexTest, ChangedFileReplacesItsDocumentAndDeletedFileLeaves) {
  const fs::path txt = docs_ / "avviso.txt";
  const fs::path srt = docs_ / "sub/lezione.srt";
  const fs::path pdf = docs_ / "dispensa.pdf";
  CopyInto(CorpusPath("strumenti/avviso-sportello-stranieri-cp1252.txt"), txt);
  CopyInto(CorpusPath("trascrizioni/lezione-mediazione-interculturale-sanita.srt"), srt);
  CopyInto(CorpusPath("dispense/ricongiungimento-familiare.pdf"), pdf);
  ASSERT_EQ(Index(docs_).exit_code, 0);

  std::string old_id = IdOfFile(txt);
  ASSERT_TRUE(HasDoc(old_id));
  WriteBytes(txt, ReadBytes(txt) + "\r\nAggiornamento: lo sportello chiude alle 12 il venerd\xEC.\r\n");
  std::string new_id = IdOfFile(txt);
  ASSERT_NE(new_id, old_id);

  ProgramRun changed = Index(docs_);
  EXPECT_EQ(changed.exit_code, 0) << Dump(changed);
  EXPECT_NE(changed.out.find("indexed: 1, unchanged: 2, duplicates: 0, removed: 0"), std::string::npos)
      << Dump(changed);
  EXPECT_FALSE(HasDoc(old_id)) << "the old bytes' document went";
  EXPECT_TRUE(HasDoc(new_id));
  EXPECT_EQ(Db().get_doccount(), 3u);
  EXPECT_FALSE(fs::exists(OriginalPath(old_id))) << "the old original is deleted";
  EXPECT_FALSE(fs::exists(TextPath(old_id)));
  EXPECT_TRUE(fs::exists(OriginalPath(new_id)));
  EXPECT_NE(ReadBytes(TextPath(new_id)).find("venerdì"), std::string::npos) << "cp1252 decoded";
  EXPECT_EQ(TermFreq(std::string(schema::kPrefixSource) + ContentId(SourceKey(txt))), 1u);

  std::string srt_id = IdOfFile(srt);
  fs::remove(srt);
  ProgramRun removed = Index(docs_);
  EXPECT_EQ(removed.exit_code, 0) << Dump(removed);
  EXPECT_NE(removed.out.find("indexed: 0, unchanged: 2, duplicates: 0, removed: 1"), std::string::npos)
      << Dump(removed);
  EXPECT_FALSE(HasDoc(srt_id));
  EXPECT_EQ(TermFreq(std::string(schema::kPrefixSource) + ContentId(SourceKey(srt))), 0u);
  EXPECT_FALSE(fs::exists(OriginalPath(srt_id))) << "deleted after the commit that dropped it";
  EXPECT_FALSE(fs::exists(TextPath(srt_id)));
  EXPECT_EQ(Db().get_doccount(), 2u);

  ProgramRun check = Check();
  EXPECT_EQ(check.exit_code, 0) << Dump(check);
}

TEST_F(IndexTest, SameBytesUnderTwoNamesAreOneDocumentWithTwoSources) {
  const fs::path a = docs_ / "mediazione.pdf";
  const fs::path b = docs_ / "copie/mediazione (copia).pdf";
  CopyInto(CorpusPath("dispense/mediazione-linguistico-culturale.pdf"), a);
  CopyInto(CorpusPath("dispense/mediazione-linguistico-culturale.pdf"), b);
  std::string id = IdOfFile(a);

  ProgramRun run = Index(docs_);
  ASSERT_EQ(run.exit_code, 0) << Dump(run);
  EXPECT_NE(run.out.find("indexed: 1, unchanged: 0, duplicates: 1"), std::string::npos) << Dump(run);
  Xapian::Database db = Db();
  EXPECT_EQ(db.get_doccount(), 1u);
  EXPECT_EQ(db.get_termfreq(Term(schema::kPrefixId, id)), 1u);

  schema::DocumentRecord record = Record(id);
  std::set<std::string> keys;
  for (const auto& source : record.sources) keys.insert(source.key);
  EXPECT_EQ(keys, (std::set<std::string>{SourceKey(a), SourceKey(b)}));
  for (const auto& file : {a, b}) {
    EXPECT_TRUE(DocHasTerm(id, std::string(schema::kPrefixSource) + ContentId(SourceKey(file))));
  }

  // One copy gone: the document stays, held by the other.
  fs::remove(b);
  ProgramRun after = Index(docs_);
  EXPECT_EQ(after.exit_code, 0) << Dump(after);
  ASSERT_TRUE(HasDoc(id));
  ASSERT_EQ(Record(id).sources.size(), 1u);
  EXPECT_EQ(Record(id).sources[0].key, SourceKey(a));
  EXPECT_TRUE(fs::exists(OriginalPath(id)));
}

TEST_F(IndexTest, SidecarSetsMetadataAndAnEditedSidecarIsReadAgain) {
  const fs::path txt = docs_ / "nota.txt";
  const fs::path meta = docs_ / "nota.txt.meta.json";
  CopyInto(CorpusPath("strumenti/opuscolo-ssn-en.txt"), txt);
  WriteBytes(meta, R"({"title": "Nota per gli sportelli", "type": "normativa",
                       "province": "MI", "axes": ["lavoro", "alloggio"],
                       "date": "2019-04-02", "lang": "it"})");
  std::string id = IdOfFile(txt);

  ProgramRun run = Index(docs_);
  ASSERT_EQ(run.exit_code, 0) << Dump(run);
  EXPECT_NE(run.out.find("indexed: 1,"), std::string::npos) << "the sidecar is no document: " << Dump(run);
  EXPECT_EQ(Db().get_doccount(), 1u);
  schema::DocumentRecord record = Record(id);
  EXPECT_EQ(record.title, "Nota per gli sportelli");
  EXPECT_EQ(record.title_source, "metadata");
  EXPECT_EQ(record.type.value, "normativa");
  EXPECT_EQ(record.type.source, "metadata");
  EXPECT_EQ(record.province.value, "milano");
  EXPECT_EQ(record.provinces, std::vector<std::string>{"milano"});
  EXPECT_EQ(record.date, "2019-04-02");
  EXPECT_EQ(TermsOf(id, schema::kPrefixProvince), std::set<std::string>{"XPmilano"});
  EXPECT_EQ(TermsOf(id, schema::kPrefixType), std::set<std::string>{"XTnormativa"});
  EXPECT_EQ(TermsOf(id, schema::kPrefixAxis), (std::set<std::string>{"XAalloggio", "XAlavoro"}));
  EXPECT_TRUE(DocHasTerm(id, "Y2019"));

  // Only the sidecar changes: the next run takes the file again.
  WriteBytes(meta, R"({"title": "Opuscolo sanitario", "type": "strumento", "province": "lodi",
                       "axes": ["servizi"]})");
  Touch(meta);
  ProgramRun edited = Index(docs_);
  EXPECT_EQ(edited.exit_code, 0) << Dump(edited);
  EXPECT_NE(edited.out.find("indexed: 1, unchanged: 0, duplicates: 0"), std::string::npos)
      << "a re-read sidecar is a re-indexed file: " << Dump(edited);
  EXPECT_EQ(Db().get_doccount(), 1u);
  record = Record(id);
  EXPECT_EQ(record.title, "Opuscolo sanitario");
  EXPECT_EQ(record.type.value, "strumento");
  EXPECT_EQ(record.provinces, std::vector<std::string>{"lodi"});
  EXPECT_TRUE(record.date.empty()) << "the date is no longer given";
  EXPECT_EQ(TermsOf(id, schema::kPrefixProvince), std::set<std::string>{"XPlodi"});
  EXPECT_EQ(TermsOf(id, schema::kPrefixType), std::set<std::string>{"XTstrumento"});
  EXPECT_EQ(TermsOf(id, schema::kPrefixAxis), std::set<std::string>{"XAservizi"});
  EXPECT_EQ(TermsOf(id, "Y"), std::set<std::string>{});

  // A broken sidecar is a failure naming it, not a silently ignored correction.
  WriteBytes(meta, R"({"title": "x", "provincia": "lodi"})");
  Touch(meta, 20s);
  ProgramRun broken = Index(docs_);
  EXPECT_EQ(broken.exit_code, 1) << Dump(broken);
  EXPECT_NE(broken.out.find("failed: 1"), std::string::npos) << Dump(broken);
  EXPECT_NE(broken.out.find("provincia"), std::string::npos) << Dump(broken);
  EXPECT_EQ(Record(id).title, "Opuscolo sanitario") << "the last good version stays";
}

TEST_F(IndexTest, ProvinceAndTypeFlagsTagAPlainFile) {
  const fs::path txt = docs_ / "appunti.txt";
  CopyInto(CorpusPath("trascrizioni/incontro-formazione-sportello-anagrafe.txt"), txt);
  ProgramRun run = Indexer({"index", txt.string(), "--province", "LO", "--type", "normativa"});
  ASSERT_EQ(run.exit_code, 0) << Dump(run);
  std::string id = IdOfFile(txt);
  EXPECT_EQ(TermsOf(id, schema::kPrefixProvince), std::set<std::string>{"XPlodi"});
  EXPECT_EQ(TermsOf(id, schema::kPrefixType), std::set<std::string>{"XTnormativa"});
  schema::DocumentRecord record = Record(id);
  EXPECT_EQ(record.province.value, "lodi");
  EXPECT_EQ(record.type.value, "normativa");

  for (const std::vector<std::string>& bad :
       {std::vector<std::string>{"index", txt.string(), "--province", "XX"},
        std::vector<std::string>{"index", txt.string(), "--type", "romanzo"}}) {
    ProgramRun refused = Indexer(bad);
    EXPECT_EQ(refused.exit_code, 2) << bad[3] << ": " << Dump(refused);
    EXPECT_EQ(Lines(refused.err), 1) << Dump(refused);
  }
}

// A kill while the indexer made a new index used to leave an index folder Xapian cannot
// open, and every later run failed on it. The index is now made aside and renamed into
// place; a folder left so by an older version (no version file, nothing written) is made
// again, and what a killed maker left aside is cleared.
TEST_F(IndexTest, AnIndexFolderAKillLeftEmptyIsMadeAgain) {
  CopyInto(CorpusPath("strumenti/glossario-immigrazione.html"), docs_ / "glossario.html");
  fs::create_directories(data_ / "index");
  std::ofstream(data_ / "index" / "flintlock");
  std::ofstream(data_ / "index" / "postlist.glass");
  pid_t gone = fork();
  if (gone == 0) _exit(0);
  waitpid(gone, nullptr, 0);
  const fs::path aside = data_ / ("index.new." + std::to_string(gone));
  fs::create_directories(aside);
  std::ofstream(aside / "postlist.glass") << "half a table";

  ProgramRun run = Index(docs_);
  EXPECT_EQ(run.exit_code, 0) << Dump(run);
  EXPECT_TRUE(HasDoc(IdOfFile(docs_ / "glossario.html")));
  EXPECT_FALSE(fs::exists(aside)) << "the folder of a maker that is gone is cleared";
  EXPECT_EQ(Check().exit_code, 0);
}

TEST_F(IndexTest, AnIndexFolderWithDataIsNeverReplaced) {
  CopyInto(CorpusPath("strumenti/glossario-immigrazione.html"), docs_ / "glossario.html");
  fs::create_directories(data_ / "index");
  std::ofstream(data_ / "index" / "postlist.glass") << "not an empty file";
  ProgramRun run = Index(docs_);
  EXPECT_EQ(run.exit_code, 1) << Dump(run);
  EXPECT_NE(run.err.find(data_.string() + "/index"), std::string::npos) << Dump(run);
  EXPECT_EQ(Lines(run.err), 1) << Dump(run);
  EXPECT_EQ(fs::file_size(data_ / "index" / "postlist.glass"), 17u) << "left as it was";
}

TEST_F(IndexTest, RemoveDeletesADocumentById) {
  const fs::path keep = docs_ / "glossario.html";
  const fs::path drop = docs_ / "calendario.txt";
  CopyInto(CorpusPath("strumenti/glossario-immigrazione.html"), keep);
  CopyInto(CorpusPath("strumenti/calendario-corsi-italiano-bom.txt"), drop);
  ASSERT_EQ(Index(docs_).exit_code, 0);
  std::string id = IdOfFile(drop);
  ASSERT_TRUE(fs::exists(OriginalPath(id)));

  ProgramRun removed = Indexer({"remove", id});
  EXPECT_EQ(removed.exit_code, 0) << Dump(removed);
  EXPECT_FALSE(HasDoc(id));
  EXPECT_TRUE(HasDoc(IdOfFile(keep)));
  EXPECT_FALSE(fs::exists(OriginalPath(id)));
  EXPECT_FALSE(fs::exists(TextPath(id)));
  EXPECT_EQ(Check().exit_code, 0);

  ProgramRun again = Indexer({"remove", id});
  EXPECT_EQ(again.exit_code, 1) << "no such document: " << Dump(again);
  EXPECT_EQ(Lines(again.err), 1) << Dump(again);
  ProgramRun malformed = Indexer({"remove", "../../etc/passwd"});
  EXPECT_EQ(malformed.exit_code, 2) << Dump(malformed);
  EXPECT_EQ(Lines(malformed.err), 1) << Dump(malformed);
  ProgramRun upper = Indexer({"remove", "ABCDEF0123456789ABCDEF0123456789"});
  EXPECT_EQ(upper.exit_code, 2) << "ids are lowercase: " << Dump(upper);

  // The file is still in the folder: indexing it again brings it back.
  ProgramRun reindexed = Index(docs_);
  EXPECT_NE(reindexed.out.find("indexed: 1, unchanged: 1"), std::string::npos) << Dump(reindexed);
  EXPECT_TRUE(HasDoc(id));
}

TEST_F(IndexTest, CheckFindsMissingOriginalsAndOrphansAndRepairs) {
  const fs::path pdf = docs_ / "dispensa.pdf";
  const fs::path vtt = docs_ / "webinar.vtt";
  CopyInto(CorpusPath("dispense/accesso-ssn-tessera-sanitaria-stp.pdf"), pdf);
  CopyInto(CorpusPath("trascrizioni/webinar-minori-stranieri-non-accompagnati.vtt"), vtt);
  ASSERT_EQ(Index(docs_).exit_code, 0);
  ProgramRun clean = Check();
  EXPECT_EQ(clean.exit_code, 0) << Dump(clean);
  EXPECT_NE(clean.out.find("2 documents, 0 problems"), std::string::npos) << Dump(clean);

  // An original deleted behind the index's back.
  std::string id = IdOfFile(pdf);
  fs::remove(OriginalPath(id));
  ProgramRun missing = Check();
  EXPECT_EQ(missing.exit_code, 1) << Dump(missing);
  EXPECT_NE(missing.out.find(id), std::string::npos) << Dump(missing);
  EXPECT_NE(missing.out.find("missing"), std::string::npos) << Dump(missing);
  EXPECT_NE(missing.out.find("correlare-indexer remove " + id), std::string::npos)
      << "says how to repair: " << Dump(missing);
  EXPECT_NE(missing.out.find("1 problems"), std::string::npos) << Dump(missing);

  // The first repair it names: index the source again.
  ProgramRun reindexed = Index(docs_);
  EXPECT_EQ(reindexed.exit_code, 0) << Dump(reindexed);
  EXPECT_TRUE(fs::exists(OriginalPath(id))) << "indexing the source again restores the original: "
                                            << Dump(reindexed);
  ProgramRun restored = Check();
  EXPECT_EQ(restored.exit_code, 0) << Dump(restored);

  // Bytes in the store that no document refers to.
  std::string orphan = "ab" + std::string(30, '0');
  WriteBytes(data_ / "store/objects/ab" / orphan, ReadBytes(vtt) + "x");
  ProgramRun found = Check();
  EXPECT_EQ(found.exit_code, 1) << Dump(found);
  EXPECT_NE(found.out.find("belong to no document"), std::string::npos) << Dump(found);
  EXPECT_NE(found.out.find("check --repair"), std::string::npos) << Dump(found);
  EXPECT_TRUE(fs::exists(data_ / "store/objects/ab" / orphan)) << "check alone changes nothing";

  ProgramRun repair = Indexer({"check", "--repair"});
  EXPECT_FALSE(fs::exists(data_ / "store/objects/ab" / orphan)) << Dump(repair);
  EXPECT_EQ(repair.exit_code, 0) << Dump(repair);
  EXPECT_TRUE(fs::exists(OriginalPath(id))) << "referred originals stay";
  EXPECT_TRUE(fs::exists(OriginalPath(IdOfFile(vtt))));
  ProgramRun after = Check();
  EXPECT_EQ(after.exit_code, 0) << Dump(after);
  EXPECT_NE(after.out.find("2 documents, 0 problems"), std::string::npos) << Dump(after);
}

// ---- Crash safety ----------------------------------------------------------------------

TEST_F(IndexTest, KilledAtAnyMomentLeavesAConsistentIndexAndResumes) {
  constexpr int kFiles = 600;
  std::vector<fs::path> files;
  std::set<std::string> ids;
  for (int i = 0; i < kFiles; ++i) {
    fs::path file = docs_ / ("lotto-" + std::to_string(i / 100)) / ("verbale-" + std::to_string(i) + ".txt");
    WriteBytes(file, "Verbale numero " + std::to_string(i) +
                         " dello sportello stranieri.\nIl mediatore linguistico ha accompagnato "
                         "la famiglia all'iscrizione scolastica e al rinnovo del permesso di "
                         "soggiorno (pratica " + std::to_string(1000 + i * 7) + ").\n");
    files.push_back(file);
    ids.insert(IdOfFile(file));
  }
  ASSERT_EQ(ids.size(), static_cast<size_t>(kFiles)) << "distinct contents";

  std::mt19937 random(std::random_device{}());
  const fs::path log = dir_.path() / "killed.log";
  for (int trial = 0; trial < 3; ++trial) {
    // The first kill comes early, most likely before the first commit; the others a
    // random moment after a commit of their run, so that every kill lands mid-run
    // however fast the machine.
    Xapian::doccount before = Committed();
    // Small batches, so that a run commits several times.
    pid_t pid = testing::StartProgram({kIndexer, "index", docs_.string(), "--data", data_.string(),
                                       "--taxonomy", kTaxonomy, "--commit_batch", "100"},
                                      log, log);
    ASSERT_GT(pid, 0);
    int delay_ms = std::uniform_int_distribution<int>(trial == 0 ? 50 : 0, 400)(random);
    if (trial > 0) {
      auto give_up = std::chrono::steady_clock::now() + 60s;
      while (Committed() <= before && std::chrono::steady_clock::now() < give_up) {
        std::this_thread::sleep_for(5ms);
      }
    }
    SCOPED_TRACE("trial " + std::to_string(trial) + ", killed " + std::to_string(delay_ms) +
                 " ms after " + (trial == 0 ? "its start" : "a commit"));
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
    kill(pid, SIGKILL);
    int code = testing::WaitForProgram(pid);
    if (code != -SIGKILL) ADD_FAILURE() << "finished before the kill (" << code << "): use shorter delays";
    // Its extraction helpers are orphans now; give them a moment to finish or die.
    std::this_thread::sleep_for(100ms);

    if (!fs::exists(data_ / "index")) continue;  // killed before it made one
    Xapian::doccount count = 0;
    EXPECT_NO_THROW({
      Xapian::Database db = Db();
      count = db.get_doccount();
    });
    EXPECT_LE(count, static_cast<Xapian::doccount>(kFiles));
    std::cerr << "  trial " << trial << ": killed " << delay_ms << " ms after "
              << (trial == 0 ? "its start" : "a commit") << ", " << count << " documents committed\n";
    ProgramRun check = Check();
    EXPECT_EQ(check.out.find("missing"), std::string::npos) << Dump(check);
    EXPECT_EQ(check.out.find("unreadable"), std::string::npos) << Dump(check);
    if (check.exit_code != 0) {
      // Only leftovers are allowed: stored files no document refers to, and the
      // temporary files of a store write the kill interrupted.
      std::istringstream lines(check.out);
      int problems = 0;
      for (std::string line; std::getline(lines, line);) {
        if (line.rfind("problem:", 0) != 0) continue;
        ++problems;
        EXPECT_TRUE(line.find("belong to no document") != std::string::npos ||
                    line.find("temporary files of an interrupted run") != std::string::npos)
            << "only leftovers are allowed: " << line << "\n" << Dump(check);
      }
      EXPECT_GT(problems, 0) << Dump(check);
      ProgramRun repair = Indexer({"check", "--repair"});
      EXPECT_EQ(repair.exit_code, 0) << Dump(repair);
      ProgramRun after = Check();
      EXPECT_EQ(after.exit_code, 0) << Dump(after);
    }
  }

  ProgramRun finish = Index(docs_);
  ASSERT_EQ(finish.exit_code, 0) << Dump(finish);
  EXPECT_NE(finish.out.find("failed: 0 (" + std::to_string(kFiles) + " documents"), std::string::npos)
      << Dump(finish);
  Xapian::Database db = Db();
  EXPECT_EQ(db.get_doccount(), static_cast<Xapian::doccount>(kFiles));
  for (const auto& file : files) {
    std::string id = IdOfFile(file);
    EXPECT_EQ(db.get_termfreq(Term(schema::kPrefixId, id)), 1u) << file;
    EXPECT_EQ(db.get_termfreq(std::string(schema::kPrefixSource) + ContentId(SourceKey(file))), 1u)
        << file;
    EXPECT_TRUE(fs::exists(OriginalPath(id))) << file;
    EXPECT_TRUE(fs::exists(TextPath(id))) << file;
  }
  ProgramRun check = Check();
  EXPECT_EQ(check.exit_code, 0) << Dump(check);
  ProgramRun again = Index(docs_);
  EXPECT_NE(again.out.find("indexed: 0, unchanged: " + std::to_string(kFiles)), std::string::npos)
      << Dump(again);
}

// ---- Command line and failures ---------------------------------------------------------

TEST_F(IndexTest, FlagsMayStandBeforeOrAfterTheVerb) {
  CopyInto(CorpusPath("trascrizioni/lezione-modulo-3-lavoro-stranieri.srt"), docs_ / "lezione.srt");
  ProgramRun before = testing::RunProgram(
      {kIndexer, "--data", data_.string(), "--taxonomy", kTaxonomy, "index", docs_.string()});
  ASSERT_EQ(before.exit_code, 0) << Dump(before);
  EXPECT_NE(before.out.find("indexed: 1,"), std::string::npos) << Dump(before);
  ProgramRun after = testing::RunProgram(
      {kIndexer, "index", docs_.string(), "--data", data_.string(), "--taxonomy", kTaxonomy});
  ASSERT_EQ(after.exit_code, 0) << Dump(after);
  EXPECT_NE(after.out.find("indexed: 0, unchanged: 1,"), std::string::npos)
      << "the same --data: " << Dump(after);
  ProgramRun mixed = testing::RunProgram(
      {kIndexer, "--data", data_.string(), "check", "--taxonomy", kTaxonomy});
  EXPECT_EQ(mixed.exit_code, 0) << Dump(mixed);
  EXPECT_NE(mixed.out.find("1 documents, 0 problems"), std::string::npos) << Dump(mixed);
}

TEST_F(IndexTest, MissingPathIsBadUsageAndTouchesNothing) {
  ProgramRun run = Index(docs_ / "non-esiste");
  EXPECT_EQ(run.exit_code, 2) << Dump(run);
  EXPECT_EQ(Lines(run.err), 1) << Dump(run);
  EXPECT_EQ(run.err.rfind("correlare-indexer: ", 0), 0u) << Dump(run);
  EXPECT_NE(run.err.find("non-esiste"), std::string::npos) << Dump(run);
  EXPECT_FALSE(fs::exists(data_ / "index")) << "nothing done";

  ProgramRun none = Indexer({"index"});
  EXPECT_EQ(none.exit_code, 2) << Dump(none);
  EXPECT_EQ(Lines(none.err), 1) << Dump(none);
}

TEST_F(IndexTest, AFileThatFailsIsReportedAndTheOthersAreIndexed) {
  const fs::path locked = docs_ / "riservato.pdf";
  CopyInto(CorpusPath("hostile/encrypted.pdf"), locked);
  CopyInto(CorpusPath("dispense/permesso-di-soggiorno-procedure-questura.pdf"), docs_ / "permesso.pdf");
  CopyInto(CorpusPath("strumenti/opuscolo-ssn-it.html"), docs_ / "opuscolo.html");
  ProgramRun run = Index(docs_);
  EXPECT_EQ(run.exit_code, 1) << Dump(run);
  EXPECT_NE(run.out.find("indexed: 2,"), std::string::npos) << Dump(run);
  EXPECT_NE(run.out.find("failed: 1 "), std::string::npos) << Dump(run);
  size_t line = run.out.find("failed " + locked.string() + ": ");
  ASSERT_NE(line, std::string::npos) << "the file is named: " << Dump(run);
  std::string reason = run.out.substr(line, run.out.find('\n', line) - line);
  EXPECT_NE(reason.find("password"), std::string::npos) << reason;
  EXPECT_TRUE(HasDoc(IdOfFile(docs_ / "permesso.pdf")));
  EXPECT_TRUE(HasDoc(IdOfFile(docs_ / "opuscolo.html")));
  EXPECT_FALSE(HasDoc(IdOfFile(locked)));
  EXPECT_FALSE(fs::exists(OriginalPath(IdOfFile(locked))));

  // Not remembered as done: the next run tries it again (and says so again).
  ProgramRun again = Index(docs_);
  EXPECT_EQ(again.exit_code, 1) << Dump(again);
  EXPECT_NE(again.out.find("indexed: 0, unchanged: 2,"), std::string::npos) << Dump(again);
  EXPECT_NE(again.out.find("failed: 1 "), std::string::npos) << Dump(again);
}

// ---- Stopping before the end -----------------------------------------------------------

// `count` distinct small text files in `folder`, for runs long enough to interrupt.
std::vector<fs::path> WriteVerbali(const fs::path& folder, int count) {
  std::vector<fs::path> files;
  for (int i = 0; i < count; ++i) {
    fs::path file = folder / ("verbale-" + std::to_string(i) + ".txt");
    WriteBytes(file, "Verbale numero " + std::to_string(i) + " dello sportello di " +
                         folder.filename().string() +
                         ".\nLa mediatrice ha accompagnato la famiglia all'iscrizione scolastica "
                         "e al rinnovo del permesso di soggiorno (pratica " +
                         std::to_string(5000 + i * 13) + ").\n");
    files.push_back(file);
  }
  return files;
}

// The number before `label` in `text` ("indexed: 12," with label "indexed: "), or -1.
long NumberAfter(const std::string& text, const std::string& label) {
  size_t at = text.find(label);
  if (at == std::string::npos) return -1;
  return std::strtol(text.c_str() + at + label.size(), nullptr, 10);
}

// SIGTERM (as the benchmark's budget, a service manager or Ctrl-C send it) ends the run
// cleanly: the files in hand are committed, the others left for the next run, which
// skips what this one indexed and does the rest.
TEST_F(IndexTest, SigtermStopsTheRunCleanlyAndTheNextRunGoesOn) {
  constexpr int kFiles = 1500;
  WriteVerbali(docs_, kFiles);
  const fs::path out = dir_.path() / "stopped.out";
  const fs::path err = dir_.path() / "stopped.err";
  pid_t pid = testing::StartProgram({kIndexer, "index", docs_.string(), "--data", data_.string(),
                                     "--taxonomy", kTaxonomy, "--commit_batch", "100"},
                                    out, err);
  ASSERT_GT(pid, 0);
  // After its first commit, so that the stop comes mid-run however fast the machine.
  auto give_up = std::chrono::steady_clock::now() + 120s;
  while (Committed() == 0 && std::chrono::steady_clock::now() < give_up)
    std::this_thread::sleep_for(5ms);
  kill(pid, SIGTERM);
  int code = testing::WaitForProgram(pid);
  std::string said = ReadBytes(out) + ReadBytes(err);
  ASSERT_EQ(code, 1) << said;
  ASSERT_NE(said.find("stopped by SIGINT or SIGTERM: "), std::string::npos) << said;
  long not_taken = NumberAfter(said, "stopped by SIGINT or SIGTERM: ");
  long indexed = NumberAfter(said, "indexed: ");
  EXPECT_GT(not_taken, 0) << "the run was over before the signal: " << said;
  EXPECT_GT(indexed, 0) << said;
  EXPECT_NE(said.find("failed: 0 "), std::string::npos) << said;
  EXPECT_EQ(indexed + not_taken, kFiles) << said;
  // What it says it indexed is committed, and nothing else is left behind.
  EXPECT_EQ(Db().get_doccount(), static_cast<Xapian::doccount>(indexed)) << said;
  ProgramRun check = Check();
  EXPECT_EQ(check.exit_code, 0) << Dump(check);

  ProgramRun rest = Index(docs_);
  ASSERT_EQ(rest.exit_code, 0) << Dump(rest);
  EXPECT_NE(rest.out.find("indexed: " + std::to_string(not_taken) +
                          ", unchanged: " + std::to_string(indexed) + ","),
            std::string::npos)
      << Dump(rest);
  EXPECT_EQ(Db().get_doccount(), static_cast<Xapian::doccount>(kFiles));
}

// Xapian's default block size: each block starts with its revision (4 bytes), then its
// level in the B-tree (0 for a leaf).
constexpr size_t kGlassBlock = 8192;

// Damages every leaf block of `table` so that Xapian refuses it ("Expected block N to be
// level 0, not 1"), leaving the blocks above them whole: the index still opens, and a
// write that reaches a leaf fails. Returns how many leaves were damaged and whether the
// table has blocks above its leaves.
std::pair<int, bool> DamageLeaves(const fs::path& table) {
  std::string bytes = ReadBytes(table);
  int leaves = 0;
  bool above = false;
  for (size_t at = 0; at + kGlassBlock <= bytes.size(); at += kGlassBlock) {
    char& level = bytes[at + 4];
    if (level == 0) {
      level = 1;
      ++leaves;
    } else if (level > 0 && level < 10) {
      above = true;
    }
  }
  WriteBytes(table, bytes);
  return {leaves, above};
}

// An index that Xapian cannot write (here its term lists damaged on disk): the run stops
// at the first failure instead of extracting every file for nothing, and says why; what
// was committed before stays, and nothing of the failed batch is committed half-written.
TEST_F(IndexTest, AnIndexThatCannotBeWrittenStopsTheRunAndKeepsItsLastCommit) {
  constexpr int kFiles = 400;
  const fs::path first = docs_ / "lodi";
  const fs::path second = docs_ / "pavia";
  WriteVerbali(first, kFiles);
  WriteVerbali(second, kFiles);
  ProgramRun made = Index(first);
  ASSERT_EQ(made.exit_code, 0) << Dump(made);
  const fs::path termlist = data_ / "index" / "termlist.glass";
  const std::string whole = ReadBytes(termlist);
  auto [leaves, above] = DamageLeaves(termlist);
  ASSERT_GT(leaves, 1);
  ASSERT_TRUE(above) << "the term list table must have more than one level for this test";
  ASSERT_EQ(Db().get_doccount(), static_cast<Xapian::doccount>(kFiles));

  ProgramRun broken = Index(second);
  std::string said = broken.out + broken.err;
  EXPECT_EQ(broken.exit_code, 1) << Dump(broken);
  ASSERT_NE(said.find("stopped because the index cannot be written ("), std::string::npos)
      << Dump(broken);
  EXPECT_NE(said.find("DatabaseCorruptError"), std::string::npos) << Dump(broken);
  size_t line = said.find("stopped because the index cannot be written (");
  size_t colon = said.find("): ", line);
  ASSERT_NE(colon, std::string::npos) << said;
  long left = std::strtol(said.c_str() + colon + 3, nullptr, 10);
  long failed = NumberAfter(said, "failed: ");
  EXPECT_GT(left, kFiles / 2) << "most files are not even extracted: " << said;
  EXPECT_EQ(NumberAfter(said, "indexed: "), 0) << said;
  EXPECT_EQ(failed + left, kFiles) << said;
  EXPECT_EQ(Db().get_doccount(), static_cast<Xapian::doccount>(kFiles)) << "the last commit";

  // The same disk repaired: the run does every file, none of them half there before.
  WriteBytes(termlist, whole);
  ProgramRun repaired = Index(second);
  EXPECT_EQ(repaired.exit_code, 0) << Dump(repaired);
  EXPECT_NE(repaired.out.find("indexed: " + std::to_string(kFiles) + ", unchanged: 0,"),
            std::string::npos)
      << Dump(repaired);
  EXPECT_EQ(Db().get_doccount(), static_cast<Xapian::doccount>(2 * kFiles));
  ProgramRun check = Check();
  EXPECT_EQ(check.exit_code, 0) << Dump(check);
}

}  // namespace
}  // namespace correlare
