// correlare-taxonomy, run as the platform operator would: the real program on a copy of
// the taxonomy in a temporary folder (the repository's taxonomy.json when it is valid,
// else the small sample one), with the real extraction worker for `test FILE`.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "taxonomy/sample_taxonomy.h"
#include "taxonomy/taxonomy.h"
#include "test_support.h"

namespace correlare {
namespace {

using taxonomy::Taxonomy;
using testing::CorpusPath;
using ::testing::HasSubstr;
using testing::TempDir;

struct CliRun {
  int exit_code = -1;
  std::string out;
  std::string err;
};

std::string Quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

int Lines(const std::string& s) {
  int lines = 0;
  for (char c : s) lines += c == '\n';
  return lines;
}

std::string Program() { return std::string(CORRELARE_BIN_DIR) + "/correlare-taxonomy"; }

// A flussi circular, as an operator might paste it.
constexpr char kFlussiText[] =
    "Il decreto flussi 2024 fissa le quote di ingresso per lavoro subordinato dei lavoratori "
    "stranieri. Il datore di lavoro chiede il nulla osta al lavoro allo Sportello unico per "
    "l'immigrazione nel giorno del click day; poi il lavoratore firma il contratto di "
    "soggiorno. Le domande per il decreto flussi si presentano online, come previsto "
    "dall'art. 22 del D.Lgs. 286/1998.\n";

class TaxonomyCli : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = dir_.path() / "taxonomy.json";
    auto repository = Taxonomy::Load(std::string(CORRELARE_SOURCE_DIR) + "/taxonomy/taxonomy.json");
    if (repository.ok()) {
      std::filesystem::copy_file(std::string(CORRELARE_SOURCE_DIR) + "/taxonomy/taxonomy.json",
                                 path_);
    } else {
      ASSERT_TRUE(testing::SampleTaxonomy().Save(path_.string()).ok());
    }
  }

  // Runs the program on the copy, from the temporary folder (so no correlare.ini of the
  // caller's applies), as user "tester". `args` are shell words; `input` goes to stdin.
  CliRun Cli(const std::string& args, const std::string& input = "") {
    auto err_file = dir_.path() / "stderr";
    auto in_file = dir_.path() / "stdin";
    std::ofstream(in_file, std::ios::trunc) << input;
    std::string command = "cd " + Quote(dir_.path().string()) +
                          " && env -u SUDO_USER USER=tester " + Quote(Program()) + " --taxonomy " +
                          Quote(path_.string()) + " " + args + " <" + Quote(in_file.string()) +
                          " 2>" + Quote(err_file.string());
    CliRun run;
    FILE* pipe = popen(command.c_str(), "r");
    if (pipe == nullptr) return run;
    char buffer[65536];
    size_t n;
    while ((n = fread(buffer, 1, sizeof(buffer), pipe)) > 0) run.out.append(buffer, n);
    int status = pclose(pipe);
    run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    run.err = ReadFile(err_file);
    return run;
  }

  taxonomy::Taxonomy Loaded() {
    auto loaded = Taxonomy::Load(path_.string());
    EXPECT_TRUE(loaded.ok()) << loaded.status().ToString();
    return loaded.ok() ? loaded.value() : taxonomy::Taxonomy();
  }

  bool HasPhrase(const std::string& term, const std::string& text) {
    taxonomy::Taxonomy t = Loaded();
    const taxonomy::Term* found = t.Find(term);
    if (found == nullptr) return false;
    for (const auto& phrase : found->phrases) {
      if (phrase.text == text) return true;
    }
    return false;
  }

  // A bad command: exit 2, one line on stderr naming the problem, the file untouched.
  void ExpectRefused(const std::string& args, const std::string& message) {
    std::string before = ReadFile(path_);
    CliRun run = Cli(args);
    EXPECT_EQ(run.exit_code, 2) << args << ": " << run.err;
    EXPECT_EQ(Lines(run.err), 1) << args << ": " << run.err;
    EXPECT_EQ(run.err.rfind("correlare-taxonomy: ", 0), 0u) << args << ": " << run.err;
    EXPECT_THAT(run.err, HasSubstr(message)) << args;
    EXPECT_EQ(ReadFile(path_), before) << args;
  }

  TempDir dir_;
  std::filesystem::path path_;
};

TEST_F(TaxonomyCli, HelpListsEveryVerb) {
  CliRun run = Cli("--help");
  EXPECT_EQ(run.exit_code, 0);
  for (const char* verb :
       {"list", "show TERM", "add-term", "rename", "add-phrase", "remove-phrase", "exclude-phrase",
        "add-synonyms", "merge", "move", "history", "test", "retag", "--taxonomy", "--weight"}) {
    EXPECT_THAT(run.out, HasSubstr(verb));
  }
}

TEST_F(TaxonomyCli, BadUsageIsOneLineOnStderrAndChangesNothing) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", "missing verb"},
      {"frobnicate", "unknown verb 'frobnicate'"},
      {"--no-such-flag list", "unknown option '--no-such-flag'"},
      {"list extra", "usage: correlare-taxonomy list"},
      {"show", "usage: correlare-taxonomy show TERM"},
      {"show lavoro servizi", "usage"},
      {"add-term lavoro solo-id", "usage: correlare-taxonomy add-term"},
      {"rename lavoro", "usage"},
      {"add-phrase lavoro", "usage"},
      {"add-phrase lavoro 'x' --weight abc", "--weight must be a number, not 'abc'"},
      {"add-phrase lavoro 'x' --weight nan", "--weight must be a number"},
      {"remove-phrase lavoro", "usage"},
      {"exclude-phrase", "usage"},
      {"add-synonyms solo", "usage"},
      {"merge tirocini", "usage"},
      {"move tirocini", "usage"},
      {"history now", "usage"},
      {"test", "usage"},
      {"list --weight 3", "'--weight' does not apply to 'list'"},
      {"rename lavoro X --label-en Y", "'--label-en' does not apply to 'rename'"},
      {"show lavoro --json", "'--json' does not apply to 'show'"},
      {"--config /no/such.ini list", "settings file '/no/such.ini' does not exist"},
  };
  for (const auto& [args, message] : cases) ExpectRefused(args, message);
}

TEST_F(TaxonomyCli, ListShowsAxesWithTheirTreeProvincesAndTypes) {
  CliRun run = Cli("list");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  taxonomy::Taxonomy t = Loaded();
  for (const auto* terms : {&t.axes, &t.provinces, &t.types}) {
    for (const auto& term : *terms) {
      EXPECT_THAT(run.out, HasSubstr(term.id)) << term.id;
      EXPECT_THAT(run.out, HasSubstr(term.label)) << term.id;
    }
  }
  EXPECT_THAT(run.out, HasSubstr("  lavoro "));
  EXPECT_THAT(run.out, HasSubstr("    decreto-flussi "));  // a sub-theme, indented under it
  EXPECT_THAT(run.out, HasSubstr("milano [MI]"));
  EXPECT_THAT(run.out, HasSubstr(std::to_string(t.Find("lavoro")->phrases.size()) + " phrases"));
}

TEST_F(TaxonomyCli, ShowPrintsATermInFull) {
  CliRun run = Cli("show lavoro");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  taxonomy::Taxonomy t = Loaded();
  const taxonomy::Term& lavoro = *t.Find("lavoro");
  EXPECT_THAT(run.out, HasSubstr("lavoro — " + lavoro.label));
  EXPECT_THAT(run.out, HasSubstr("kind       axis"));
  EXPECT_THAT(run.out, HasSubstr(lavoro.phrases.front().text));
  EXPECT_THAT(run.out, HasSubstr("decreto-flussi"));
  EXPECT_THAT(run.out, HasSubstr("exclude ("));

  run = Cli("show decreto-flussi");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr("kind       sub-theme"));
  EXPECT_THAT(run.out, HasSubstr("parent     lavoro"));
  EXPECT_THAT(run.out, HasSubstr("decreto flussi"));

  run = Cli("show MI");  // a province by its sigla
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr("milano — Milano"));
  EXPECT_THAT(run.out, HasSubstr("sigla      MI"));

  ExpectRefused("show nessuno", "unknown term 'nessuno'");
}

TEST_F(TaxonomyCli, AddTermRenameMoveAndMerge) {
  CliRun run = Cli("add-term lavoro prova-cli 'Prova CLI' --label-en 'CLI test'");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(Loaded().ParentOf("prova-cli"), "lavoro");
  EXPECT_EQ(Loaded().Find("prova-cli")->label_en, "CLI test");
  // Flags may come before the verb.
  run = Cli("--label-en Child add-term prova-cli prova-cli-figlio 'Figlio'");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(Loaded().ParentOf("prova-cli-figlio"), "prova-cli");

  run = Cli("rename prova-cli 'Prova della riga di comando'");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(Loaded().Find("prova-cli")->label, "Prova della riga di comando");

  run = Cli("add-phrase prova-cli 'frase del tema di prova' --weight 2");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  run = Cli("move prova-cli servizi");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(Loaded().AxisOf("prova-cli-figlio"), "servizi");

  run = Cli("merge prova-cli servizi");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  taxonomy::Taxonomy t = Loaded();
  EXPECT_EQ(t.Find("prova-cli"), nullptr);
  EXPECT_EQ(t.ParentOf("prova-cli-figlio"), "servizi");
  EXPECT_TRUE(HasPhrase("servizi", "frase del tema di prova"));

  ExpectRefused("add-term milano x X", "'milano' is a province");
  ExpectRefused("add-term lavoro servizi X", "'servizi' is already used");
  ExpectRefused("add-term lavoro Non_Valido X", "must be lowercase");
  ExpectRefused("add-term nessuno x X", "unknown term 'nessuno'");
  ExpectRefused("rename lavoro ''", "empty");
  ExpectRefused("rename nessuno X", "unknown term 'nessuno'");
  ExpectRefused("move lavoro servizi", "only sub-themes can move");
  ExpectRefused("move prova-cli-figlio prova-cli-figlio", "under itself");
  ExpectRefused("move prova-cli-figlio milano", "'milano' is a province");
  ExpectRefused("merge lavoro servizi", "'lavoro' is an axis");
  ExpectRefused("merge lodi milano", "'lodi' is a province");
  ExpectRefused("merge prova-cli-figlio nessuno", "unknown term 'nessuno'");
}

TEST_F(TaxonomyCli, AddRemoveAndExcludePhrases) {
  CliRun run = Cli("add-phrase lavoro 'frase di prova cli' --weight 2.5");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr("frase di prova cli"));
  taxonomy::Taxonomy t = Loaded();
  EXPECT_EQ(t.Find("lavoro")->phrases.back().text, "frase di prova cli");
  EXPECT_EQ(t.Find("lavoro")->phrases.back().weight, 2.5);

  run = Cli("add-phrase MI 'sportello di via prova'");  // a province by its sigla
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_TRUE(HasPhrase("milano", "sportello di via prova"));

  ExpectRefused("add-phrase lavoro 'Frasi di PROVA cli'",
                "already has the phrase \"frase di prova cli\"");
  ExpectRefused("add-phrase lavoro '...'", "has no words");
  ExpectRefused("add-phrase lavoro 'altra frase' --weight 0", "weight");
  ExpectRefused("add-phrase lavoro 'altra frase' --weight 1000", "weight");
  ExpectRefused("add-phrase nessuno 'altra frase'", "unknown term 'nessuno'");

  run = Cli("remove-phrase lavoro 'Frase di prova CLI'");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_FALSE(HasPhrase("lavoro", "frase di prova cli"));
  ExpectRefused("remove-phrase lavoro 'frase di prova cli'", "has no phrase");

  run = Cli("exclude-phrase lavoro 'lavoro a cottimo di prova'");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(Loaded().Find("lavoro")->exclude, ::testing::Contains("lavoro a cottimo di prova"));
  ExpectRefused("exclude-phrase lavoro 'lavoro a cottimo di prova'", "already excludes");
  ExpectRefused("exclude-phrase milano 'via milano'", "'milano' is a province");
}

TEST_F(TaxonomyCli, AddSynonyms) {
  CliRun run = Cli("add-synonyms 'prova alfa' 'prova beta'");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  run = Cli("add-synonyms 'Prova Beta' 'prova gamma'");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  taxonomy::Taxonomy t = Loaded();
  EXPECT_THAT(t.synonyms, ::testing::Contains(
                              std::vector<std::string>{"prova alfa", "prova beta", "prova gamma"}));
  ExpectRefused("add-synonyms 'prova alfa' 'prova gamma'", "already synonyms");
  ExpectRefused("add-synonyms 'uno' 'UNO'", "at least two");
}

TEST_F(TaxonomyCli, HistoryListsTheEditsWithWhoAndWhat) {
  size_t before = Loaded().history.size();
  ASSERT_EQ(Cli("add-phrase lavoro 'voce della storia'").exit_code, 0);
  ASSERT_EQ(Cli("add-term lavoro storia-prova 'Storia'").exit_code, 0);
  ASSERT_EQ(Cli("add-phrase lavoro 'voce della storia'").exit_code, 2);  // not recorded
  CliRun run = Cli("history");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr("tester  add-phrase lavoro \"voce della storia\""));
  EXPECT_THAT(run.out, HasSubstr("tester  add-term lavoro storia-prova Storia"));
  EXPECT_EQ(Loaded().history.size(), before + 2);
  EXPECT_EQ(Lines(run.out), static_cast<int>(before + 2));
}

TEST_F(TaxonomyCli, ConcurrentEditsAllLand) {
  constexpr int kEach = 12;
  auto script = dir_.path() / "concurrent.sh";
  std::string program = Quote(Program()) + " --taxonomy " + Quote(path_.string());
  std::ofstream(script)
      << "for i in $(seq 1 " << kEach << "); do " << program
      << " add-phrase lavoro \"frase parallela alfa $i\" >/dev/null || echo FAIL; done &\n"
      << "for i in $(seq 1 " << kEach << "); do " << program
      << " add-phrase servizi \"frase parallela beta $i\" >/dev/null || echo FAIL; done &\n"
      << "wait\n";
  size_t history = Loaded().history.size();
  FILE* pipe = popen(("sh " + Quote(script.string()) + " 2>&1").c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string out;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof(buffer), pipe)) > 0) out.append(buffer, n);
  pclose(pipe);
  EXPECT_EQ(out, "");
  taxonomy::Taxonomy t = Loaded();
  for (int i = 1; i <= kEach; ++i) {
    EXPECT_TRUE(HasPhrase("lavoro", "frase parallela alfa " + std::to_string(i))) << i;
    EXPECT_TRUE(HasPhrase("servizi", "frase parallela beta " + std::to_string(i))) << i;
  }
  EXPECT_EQ(t.history.size(), history + 2 * kEach);
  for (const auto& entry : std::filesystem::directory_iterator(dir_.path())) {
    EXPECT_EQ(entry.path().filename().string().find("taxonomy.json.tmp"), std::string::npos)
        << "a temporary file was left behind: " << entry.path();
  }
}

TEST_F(TaxonomyCli, TestOnStdinShowsLavoroWithTheMatchedPhrases) {
  CliRun run = Cli("test -", kFlussiText);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr("  lavoro  "));
  EXPECT_THAT(run.out, HasSubstr("\"decreto flussi\""));
  EXPECT_THAT(run.out, HasSubstr("language: it"));
  EXPECT_THAT(run.out, HasSubstr("D.Lgs. 286/1998"));

  run = Cli("test - --json", kFlussiText);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  rapidjson::Document json;
  json.Parse(run.out.c_str());
  ASSERT_FALSE(json.HasParseError()) << run.out.substr(0, 300);
  EXPECT_STREQ(json["lang"].GetString(), "it");
  const rapidjson::Value* lavoro = nullptr;
  for (const auto& axis : json["axes"].GetArray()) {
    if (std::string(axis["axis"].GetString()) == "lavoro") lavoro = &axis;
  }
  ASSERT_NE(lavoro, nullptr) << run.out.substr(0, 500);
  EXPECT_GT((*lavoro)["score"].GetDouble(), 0);
  std::vector<std::string> matched;
  for (const auto& e : (*lavoro)["evidence"].GetArray()) {
    matched.push_back(e["matched"].GetString());
    EXPECT_GT(e["count"].GetInt(), 0);
    EXPECT_TRUE(e["zone"].IsString());
  }
  EXPECT_THAT(matched, ::testing::Contains("decreto flussi"));
  ASSERT_TRUE(json["type"].IsObject());
  EXPECT_TRUE(json["type"]["source"].IsString());
  ASSERT_TRUE(json["norms"].IsArray());
  bool cites_tui = false;
  for (const auto& norm : json["norms"].GetArray()) {
    cites_tui |= std::string(norm["norm_id"].GetString()) == "dlgs-286-1998";
  }
  EXPECT_TRUE(cites_tui);

  // A new phrase counts at once.
  ASSERT_EQ(Cli("add-phrase lavoro 'firma il contratto'").exit_code, 0);
  run = Cli("test -", kFlussiText);
  EXPECT_THAT(run.out, HasSubstr("\"firma il contratto\" (lavoro)"));
}

TEST_F(TaxonomyCli, TestExtractsAFileWithTheWorker) {
  std::string file = CorpusPath("dispense/centri-per-impiego-contratto-di-soggiorno.pdf").string();
  CliRun run = Cli("test " + Quote(file) + " --json");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  rapidjson::Document json;
  json.Parse(run.out.c_str());
  ASSERT_FALSE(json.HasParseError()) << run.out.substr(0, 300);
  EXPECT_STREQ(json["mime"].GetString(), "application/pdf");
  EXPECT_GT(json["title"].GetStringLength(), 0u);
  ASSERT_TRUE(json["axes"].IsArray());
  bool lavoro = false;
  for (const auto& axis : json["axes"].GetArray())
    lavoro |= std::string(axis["axis"].GetString()) == "lavoro";
  EXPECT_TRUE(lavoro) << run.out.substr(0, 500);

  run = Cli("test " + Quote((dir_.path() / "assente.pdf").string()));
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_EQ(Lines(run.err), 1) << run.err;
  EXPECT_THAT(run.err, HasSubstr("assente.pdf"));
}

TEST_F(TaxonomyCli, ABrokenFileIsNamedWithLineAndColumn) {
  std::ofstream(path_, std::ios::trunc) << "{\n  \"axes\": [\n    {\"id\": \"lavoro\",, }\n";
  for (const std::string args : {"list", "show lavoro", "history", "test -"}) {
    CliRun run = Cli(args, "testo");
    EXPECT_EQ(run.exit_code, 2) << args;
    EXPECT_EQ(Lines(run.err), 1) << run.err;
    EXPECT_THAT(run.err, HasSubstr(path_.string() + ":3:")) << run.err;
  }
  ExpectRefused("add-phrase lavoro 'frase qualunque'", path_.string() + ":3:");
}

TEST_F(TaxonomyCli, RetagReappliesTheTaxonomyWithoutReextracting) {
  // A small index of real samples, made by the real indexer.
  std::string data = (dir_.path() / "var").string();
  std::string indexer = std::string(CORRELARE_BIN_DIR) + "/correlare-indexer";
  std::string index = "cd " + Quote(dir_.path().string()) + " && " + Quote(indexer) +
                      " --taxonomy " + Quote(path_.string()) + " --data " + Quote(data) + " index " +
                      Quote(testing::CorpusPath("dispense/mediazione-linguistico-culturale.pdf").string()) + " " +
                      Quote(testing::CorpusPath("strumenti/opuscolo-ssn-it.html").string()) + " >/dev/null 2>&1";
  ASSERT_EQ(std::system(index.c_str()), 0);

  CliRun unchanged = Cli("--data " + Quote(data) + " retag --dry-run");
  ASSERT_EQ(unchanged.exit_code, 0) << unchanged.err;
  EXPECT_THAT(unchanged.out, HasSubstr("0 of 2 documents changed"));

  // A phrase that both documents contain tags them with the cross-cutting axis.
  ASSERT_EQ(Cli("add-phrase minori 'servizio' --weight 50").exit_code, 0);
  CliRun dry = Cli("--data " + Quote(data) + " retag --dry-run");
  ASSERT_EQ(dry.exit_code, 0) << dry.err;
  EXPECT_THAT(dry.out, HasSubstr("gained axis:minori"));
  EXPECT_THAT(dry.out, HasSubstr("(dry run: nothing written)"));
  // A dry run wrote nothing: the same changes are still to be made.
  CliRun applied = Cli("--data " + Quote(data) + " retag");
  ASSERT_EQ(applied.exit_code, 0) << applied.err;
  EXPECT_THAT(applied.out, HasSubstr("gained axis:minori"));
  CliRun again = Cli("--data " + Quote(data) + " retag --dry-run");
  EXPECT_THAT(again.out, HasSubstr("0 of 2 documents changed"));
}

}  // namespace
}  // namespace correlare
