#include "taxonomy/editor.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <functional>
#include <regex>
#include <sstream>
#include <thread>

#include "taxonomy/sample_taxonomy.h"
#include "test_support.h"

namespace correlare::taxonomy {
namespace {

using correlare::testing::SampleTaxonomy;
using correlare::testing::TempDir;
using ::testing::HasSubstr;

std::vector<std::string> PhraseTexts(const Term& term) {
  std::vector<std::string> texts;
  for (const auto& phrase : term.phrases) texts.push_back(phrase.text);
  return texts;
}

std::vector<std::string> ChildIds(const Term& term) {
  std::vector<std::string> ids;
  for (const auto& child : term.children) ids.push_back(child.id);
  return ids;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

// An edit that must fail: its code, words its message must contain, and proof that the
// taxonomy is exactly as it was.
struct BadEdit {
  const char* name;
  std::function<Status(Taxonomy&)> edit;
  StatusCode code;
  const char* message;
};

TEST(TaxonomyEditor, EveryBadEditFailsNamingTheProblemAndChangesNothing) {
  const std::vector<BadEdit> cases = {
      {"term under unknown parent", [](Taxonomy& t) { return AddTerm(t, "nope", "x", "X"); },
       StatusCode::kNotFound, "unknown term 'nope'"},
      {"term under a province", [](Taxonomy& t) { return AddTerm(t, "milano", "x", "X"); },
       StatusCode::kInvalidArgument, "'milano' is a province"},
      {"term under a type", [](Taxonomy& t) { return AddTerm(t, "normativa", "x", "X"); },
       StatusCode::kInvalidArgument, "is a document type"},
      {"malformed id", [](Taxonomy& t) { return AddTerm(t, "lavoro", "Nuovo_Tema", "X"); },
       StatusCode::kInvalidArgument, "'Nuovo_Tema' must be lowercase"},
      {"id with trailing hyphen", [](Taxonomy& t) { return AddTerm(t, "lavoro", "tema-", "X"); },
       StatusCode::kInvalidArgument, "must be lowercase"},
      {"id of an axis", [](Taxonomy& t) { return AddTerm(t, "lavoro", "servizi", "X"); },
       StatusCode::kInvalidArgument, "'servizi' is already used by an axis"},
      {"id of a province", [](Taxonomy& t) { return AddTerm(t, "lavoro", "lodi", "X"); },
       StatusCode::kInvalidArgument, "already used by a province"},
      {"id of a sub-theme", [](Taxonomy& t) { return AddTerm(t, "servizi", "stagionali", "X"); },
       StatusCode::kInvalidArgument, "already used by a sub-theme"},
      {"empty label", [](Taxonomy& t) { return AddTerm(t, "lavoro", "nuovo", "  "); },
       StatusCode::kInvalidArgument, "label of 'nuovo' is empty"},
      {"rename unknown", [](Taxonomy& t) { return Rename(t, "nope", "X"); }, StatusCode::kNotFound,
       "unknown term 'nope'"},
      {"rename to empty", [](Taxonomy& t) { return Rename(t, "lavoro", "\t"); },
       StatusCode::kInvalidArgument, "empty"},
      {"rename to same", [](Taxonomy& t) { return Rename(t, "lavoro", "Lavoro"); },
       StatusCode::kInvalidArgument, "already labelled"},
      {"phrase of unknown term", [](Taxonomy& t) { return AddPhrase(t, "nope", "x"); },
       StatusCode::kNotFound, "unknown term 'nope'"},
      {"duplicate phrase, other spelling",
       [](Taxonomy& t) { return AddPhrase(t, "decreto-flussi", "Decreti  FLUSSI"); },
       StatusCode::kInvalidArgument, "already has the phrase \"decreto flussi\""},
      {"duplicate phrase, elision",
       [](Taxonomy& t) { return AddPhrase(t, "lavoro", "Centri per l'Impiego"); },
       StatusCode::kInvalidArgument, "\"centro per l'impiego\""},
      {"phrase without words", [](Taxonomy& t) { return AddPhrase(t, "lavoro", " ... "); },
       StatusCode::kInvalidArgument, "has no words"},
      {"empty phrase", [](Taxonomy& t) { return AddPhrase(t, "lavoro", ""); },
       StatusCode::kInvalidArgument, "has no words"},
      {"zero weight", [](Taxonomy& t) { return AddPhrase(t, "lavoro", "impiego", 0); },
       StatusCode::kInvalidArgument, "weight"},
      {"negative weight", [](Taxonomy& t) { return AddPhrase(t, "lavoro", "impiego", -2); },
       StatusCode::kInvalidArgument, "weight"},
      {"huge weight", [](Taxonomy& t) { return AddPhrase(t, "lavoro", "impiego", 101); },
       StatusCode::kInvalidArgument, "weight"},
      {"NaN weight", [](Taxonomy& t) { return AddPhrase(t, "lavoro", "impiego", std::nan("")); },
       StatusCode::kInvalidArgument, "weight"},
      {"phrase that is excluded",
       [](Taxonomy& t) { return AddPhrase(t, "lavoro", "Lavoro di Gruppo"); },
       StatusCode::kInvalidArgument, "excludes the phrase \"lavoro di gruppo\""},
      {"remove absent phrase", [](Taxonomy& t) { return RemovePhrase(t, "lavoro", "mai vista"); },
       StatusCode::kInvalidArgument, "'lavoro' has no phrase \"mai vista\""},
      {"remove from unknown term", [](Taxonomy& t) { return RemovePhrase(t, "nope", "x"); },
       StatusCode::kNotFound, "unknown term"},
      {"remove wordless phrase", [](Taxonomy& t) { return RemovePhrase(t, "lavoro", "--"); },
       StatusCode::kInvalidArgument, "has no words"},
      {"exclude twice", [](Taxonomy& t) { return ExcludePhrase(t, "lavoro", "LAVORO DI GRUPPO"); },
       StatusCode::kInvalidArgument, "already excludes \"lavoro di gruppo\""},
      {"exclude own phrase", [](Taxonomy& t) { return ExcludePhrase(t, "lavoro", "lavoratori"); },
       StatusCode::kInvalidArgument, "\"lavoratore\" is a phrase of 'lavoro'"},
      {"exclude on a province",
       [](Taxonomy& t) { return ExcludePhrase(t, "milano", "via milano"); },
       StatusCode::kInvalidArgument, "'milano' is a province"},
      {"exclude on unknown term", [](Taxonomy& t) { return ExcludePhrase(t, "nope", "x"); },
       StatusCode::kNotFound, "unknown term"},
      {"exclude wordless", [](Taxonomy& t) { return ExcludePhrase(t, "lavoro", "!"); },
       StatusCode::kInvalidArgument, "has no words"},
      {"one synonym", [](Taxonomy& t) { return AddSynonyms(t, {"solo"}); },
       StatusCode::kInvalidArgument, "at least two"},
      {"no synonyms", [](Taxonomy& t) { return AddSynonyms(t, {}); }, StatusCode::kInvalidArgument,
       "at least two"},
      {"the same synonym twice",
       [](Taxonomy& t) {
         return AddSynonyms(t, {"Città", "citta"});
       },
       StatusCode::kInvalidArgument, "at least two"},
      {"wordless synonym",
       [](Taxonomy& t) {
         return AddSynonyms(t, {"casa", "  "});
       },
       StatusCode::kInvalidArgument, "has no words"},
      {"synonyms already known",
       [](Taxonomy& t) {
         return AddSynonyms(t, {"PDS", "Permesso di soggiorno"});
       },
       StatusCode::kInvalidArgument, "already synonyms"},
      {"merge an axis", [](Taxonomy& t) { return Merge(t, "lavoro", "servizi"); },
       StatusCode::kInvalidArgument, "'lavoro' is an axis"},
      {"merge a province", [](Taxonomy& t) { return Merge(t, "lodi", "milano"); },
       StatusCode::kInvalidArgument, "'lodi' is a province"},
      {"merge a type", [](Taxonomy& t) { return Merge(t, "altro", "dispensa"); },
       StatusCode::kInvalidArgument, "is a document type"},
      {"merge unknown", [](Taxonomy& t) { return Merge(t, "nope", "lavoro"); },
       StatusCode::kNotFound, "unknown term 'nope'"},
      {"merge into unknown", [](Taxonomy& t) { return Merge(t, "tirocini", "nope"); },
       StatusCode::kNotFound, "unknown term 'nope'"},
      {"merge into a province", [](Taxonomy& t) { return Merge(t, "tirocini", "milano"); },
       StatusCode::kInvalidArgument, "'milano' is a province"},
      {"merge into itself", [](Taxonomy& t) { return Merge(t, "tirocini", "tirocini"); },
       StatusCode::kInvalidArgument, "into itself"},
      {"merge into own sub-theme",
       [](Taxonomy& t) { return Merge(t, "decreto-flussi", "stagionali"); },
       StatusCode::kInvalidArgument, "its own sub-theme 'stagionali'"},
      {"move an axis", [](Taxonomy& t) { return Move(t, "lavoro", "servizi"); },
       StatusCode::kInvalidArgument, "only sub-themes can move; 'lavoro' is an axis"},
      {"move a province", [](Taxonomy& t) { return Move(t, "lodi", "lavoro"); },
       StatusCode::kInvalidArgument, "'lodi' is a province"},
      {"move unknown", [](Taxonomy& t) { return Move(t, "nope", "lavoro"); }, StatusCode::kNotFound,
       "unknown term 'nope'"},
      {"move under unknown", [](Taxonomy& t) { return Move(t, "tirocini", "nope"); },
       StatusCode::kNotFound, "unknown term 'nope'"},
      {"move under a type", [](Taxonomy& t) { return Move(t, "tirocini", "normativa"); },
       StatusCode::kInvalidArgument, "is a document type"},
      {"move under itself", [](Taxonomy& t) { return Move(t, "decreto-flussi", "decreto-flussi"); },
       StatusCode::kInvalidArgument, "under itself"},
      {"move under own sub-theme",
       [](Taxonomy& t) { return Move(t, "decreto-flussi", "stagionali"); },
       StatusCode::kInvalidArgument, "its own sub-theme 'stagionali'"},
      {"move where it is", [](Taxonomy& t) { return Move(t, "tirocini", "lavoro"); },
       StatusCode::kInvalidArgument, "already under 'lavoro'"},
  };
  for (const auto& c : cases) {
    Taxonomy taxonomy = SampleTaxonomy();
    std::string before = taxonomy.ToJson();
    Status status = c.edit(taxonomy);
    EXPECT_EQ(status.code(), c.code) << c.name << ": " << status.ToString();
    EXPECT_THAT(status.message(), HasSubstr(c.message)) << c.name;
    EXPECT_EQ(status.message().find('\n'), std::string::npos) << c.name;
    EXPECT_EQ(taxonomy.ToJson(), before) << c.name;
  }
}

TEST(TaxonomyEditor, AddTermUnderAnAxisAndUnderASubtheme) {
  Taxonomy t = SampleTaxonomy();
  ASSERT_TRUE(AddTerm(t, "lavoro", "lavoro-agricolo", " Lavoro  agricolo ", "Farm work").ok());
  ASSERT_TRUE(AddTerm(t, "stagionali", "vendemmia", "Vendemmia").ok());
  EXPECT_EQ(t.KindOf("lavoro-agricolo"), "subtheme");
  EXPECT_EQ(t.ParentOf("lavoro-agricolo"), "lavoro");
  EXPECT_EQ(t.Find("lavoro-agricolo")->label, "Lavoro agricolo");
  EXPECT_EQ(t.Find("lavoro-agricolo")->label_en, "Farm work");
  EXPECT_EQ(t.ParentOf("vendemmia"), "stagionali");
  EXPECT_EQ(t.AxisOf("vendemmia"), "lavoro");
  EXPECT_TRUE(t.Validate().ok());
}

TEST(TaxonomyEditor, RenameChangesOnlyTheLabelOfAnyTerm) {
  Taxonomy t = SampleTaxonomy();
  ASSERT_TRUE(Rename(t, "lavoro", "Lavoro e occupazione").ok());
  ASSERT_TRUE(Rename(t, "monza-brianza", "Monza Brianza").ok());
  ASSERT_TRUE(Rename(t, "stagionali", "Stagionali").ok());
  EXPECT_EQ(t.Find("lavoro")->label, "Lavoro e occupazione");
  EXPECT_EQ(t.Find("monza-brianza")->label, "Monza Brianza");
  EXPECT_EQ(t.Find("monza-brianza")->sigla, "MB");
  EXPECT_EQ(t.Find("stagionali")->label, "Stagionali");
}

TEST(TaxonomyEditor, AddAndRemovePhrases) {
  Taxonomy t = SampleTaxonomy();
  ASSERT_TRUE(AddPhrase(t, "decreto-flussi", "  click   day ", 2.5).ok());
  ASSERT_TRUE(AddPhrase(t, "milano", "città metropolitana di Milano", 4).ok());
  ASSERT_TRUE(AddPhrase(t, "normativa", "gazzetta ufficiale").ok());
  const Term& flussi = *t.Find("decreto-flussi");
  EXPECT_EQ(flussi.phrases.back().text, "click day");
  EXPECT_EQ(flussi.phrases.back().weight, 2.5);
  EXPECT_EQ(t.Find("normativa")->phrases.back().weight, 1.0);
  // Removal matches as the tagger does: case, accents and inflection do not matter.
  ASSERT_TRUE(RemovePhrase(t, "milano", "Citta Metropolitana di MILANO").ok());
  ASSERT_TRUE(RemovePhrase(t, "decreto-flussi", "Decreti flussi").ok());
  EXPECT_THAT(PhraseTexts(*t.Find("decreto-flussi")),
              ::testing::ElementsAre("quote di ingresso", "nulla osta al lavoro", "click day"));
  EXPECT_EQ(t.Find("milano")->phrases.size(), 1u);
}

TEST(TaxonomyEditor, ExcludePhraseOnAnAxisOrSubtheme) {
  Taxonomy t = SampleTaxonomy();
  ASSERT_TRUE(ExcludePhrase(t, "lavoro", "lavoro in piccoli gruppi").ok());
  ASSERT_TRUE(ExcludePhrase(t, "stagionali", "stagione teatrale").ok());
  EXPECT_THAT(t.Find("lavoro")->exclude,
              ::testing::ElementsAre("lavoro di gruppo", "lavoro in piccoli gruppi"));
  EXPECT_THAT(t.Find("stagionali")->exclude, ::testing::ElementsAre("stagione teatrale"));
}

TEST(TaxonomyEditor, AddSynonymsMakesOrMergesSets) {
  Taxonomy t = SampleTaxonomy();
  ASSERT_TRUE(AddSynonyms(t, {"casa", "alloggio", "abitazione"}).ok());
  ASSERT_EQ(t.synonyms.size(), 3u);
  EXPECT_THAT(t.synonyms[2], ::testing::ElementsAre("casa", "alloggio", "abitazione"));
  // Sharing an entry (whatever its case) merges into the existing set.
  ASSERT_TRUE(AddSynonyms(t, {"Immigrati", "migranti"}).ok());
  ASSERT_EQ(t.synonyms.size(), 3u);
  EXPECT_THAT(t.synonyms[0], ::testing::ElementsAre("stranieri", "immigrati", "migranti"));
  // An entry that bridges two sets joins them into one.
  ASSERT_TRUE(AddSynonyms(t, {"migranti", "pds", "cittadini di paesi terzi"}).ok());
  ASSERT_EQ(t.synonyms.size(), 2u);
  EXPECT_THAT(t.synonyms[0],
              ::testing::ElementsAre("stranieri", "immigrati", "migranti", "permesso di soggiorno",
                                     "pds", "cittadini di paesi terzi"));
  EXPECT_THAT(t.synonyms[1], ::testing::ElementsAre("casa", "alloggio", "abitazione"));
}

TEST(TaxonomyEditor, MergeMovesEverythingAndDropsDuplicates) {
  Taxonomy t = SampleTaxonomy();
  ASSERT_TRUE(AddPhrase(t, "lavoro", "Decreti Flussi", 2).ok());
  ASSERT_TRUE(ExcludePhrase(t, "decreto-flussi", "lavoro di gruppo").ok());
  ASSERT_TRUE(ExcludePhrase(t, "decreto-flussi", "flussi di cassa").ok());
  ASSERT_TRUE(Merge(t, "decreto-flussi", "lavoro").ok());
  EXPECT_EQ(t.Find("decreto-flussi"), nullptr);
  const Term& lavoro = *t.Find("lavoro");
  // "decreto flussi" was already there (as "Decreti Flussi"): kept once, lavoro's own.
  EXPECT_THAT(
      PhraseTexts(lavoro),
      ::testing::ElementsAre("lavoratore", "centro per l'impiego", "contratto di soggiorno",
                             "Decreti Flussi", "quote di ingresso", "nulla osta al lavoro"));
  ASSERT_EQ(lavoro.patterns.size(), 1u);
  EXPECT_EQ(lavoro.patterns[0].regex, "\\bclick ?day\\b");
  EXPECT_THAT(lavoro.exclude, ::testing::ElementsAre("lavoro di gruppo", "flussi di cassa"));
  EXPECT_THAT(ChildIds(lavoro), ::testing::ElementsAre("tirocini", "stagionali"));
  EXPECT_EQ(t.ParentOf("stagionali"), "lavoro");
  EXPECT_TRUE(t.Validate().ok());
}

TEST(TaxonomyEditor, MergeASubthemeIntoAnotherAcrossAxes) {
  Taxonomy t = SampleTaxonomy();
  ASSERT_TRUE(Merge(t, "stagionali", "sanita").ok());
  EXPECT_EQ(t.Find("stagionali"), nullptr);
  EXPECT_THAT(PhraseTexts(*t.Find("sanita")),
              ::testing::ElementsAre("tessera sanitaria", "lavoro stagionale"));
  EXPECT_TRUE(t.Find("decreto-flussi")->children.empty());
}

TEST(TaxonomyEditor, MoveTakesTheSubthemeWithItsChildren) {
  Taxonomy t = SampleTaxonomy();
  ASSERT_TRUE(Move(t, "decreto-flussi", "servizi").ok());
  EXPECT_EQ(t.ParentOf("decreto-flussi"), "servizi");
  EXPECT_EQ(t.AxisOf("stagionali"), "servizi");
  EXPECT_THAT(ChildIds(*t.Find("lavoro")), ::testing::ElementsAre("tirocini"));
  ASSERT_TRUE(Move(t, "tirocini", "stagionali").ok());
  EXPECT_EQ(t.ParentOf("tirocini"), "stagionali");
  EXPECT_EQ(t.AxisOf("tirocini"), "servizi");
  ASSERT_TRUE(Move(t, "stagionali", "lavoro").ok());
  EXPECT_EQ(t.AxisOf("tirocini"), "lavoro");
  EXPECT_TRUE(t.Validate().ok());
}

TEST(TaxonomyEditor, UtcTimestampIsIso8601) {
  EXPECT_TRUE(
      std::regex_match(UtcTimestamp(), std::regex(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z)")))
      << UtcTimestamp();
}

class TaxonomyFileEdit : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = (dir_.path() / "taxonomy.json").string();
    ASSERT_TRUE(SampleTaxonomy().Save(path_).ok());
  }
  TempDir dir_;
  std::string path_;
};

TEST_F(TaxonomyFileEdit, SavesTheEditWithAHistoryEntry) {
  Status status =
      EditTaxonomyFile(path_, "maria", "add-phrase lavoro \"borsa lavoro\"",
                       [](Taxonomy& t) { return AddPhrase(t, "lavoro", "borsa lavoro"); });
  ASSERT_TRUE(status.ok()) << status.ToString();
  auto loaded = Taxonomy::Load(path_);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ(loaded.value().Find("lavoro")->phrases.back().text, "borsa lavoro");
  ASSERT_EQ(loaded.value().history.size(), 1u);
  const HistoryEntry& entry = loaded.value().history[0];
  EXPECT_EQ(entry.who, "maria");
  EXPECT_EQ(entry.what, "add-phrase lavoro \"borsa lavoro\"");
  EXPECT_TRUE(std::regex_match(entry.when, std::regex(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z)")));
}

TEST_F(TaxonomyFileEdit, AFailedEditLeavesTheFileAsItWas) {
  std::string before = ReadFile(path_);
  Status status = EditTaxonomyFile(path_, "maria", "merge lavoro servizi",
                                   [](Taxonomy& t) { return Merge(t, "lavoro", "servizi"); });
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ReadFile(path_), before);
}

TEST_F(TaxonomyFileEdit, ABrokenFileIsReportedWithLineAndColumnAndKept) {
  std::ofstream(path_, std::ios::trunc) << "{\n  \"axes\": [\n    {\"id\": \"lavoro\",, }\n";
  std::string before = ReadFile(path_);
  Status status = EditTaxonomyFile(path_, "maria", "rename lavoro X",
                                   [](Taxonomy& t) { return Rename(t, "lavoro", "X"); });
  EXPECT_FALSE(status.ok());
  EXPECT_THAT(status.message(), HasSubstr(path_ + ":3:"));
  EXPECT_EQ(ReadFile(path_), before);
}

TEST_F(TaxonomyFileEdit, AMissingFileIsNotFound) {
  Status status =
      EditTaxonomyFile(path_ + ".missing", "maria", "x", [](Taxonomy&) { return Status::Ok(); });
  EXPECT_EQ(status.code(), StatusCode::kNotFound);
}

TEST_F(TaxonomyFileEdit, ConcurrentEditorsAllLand) {
  constexpr int kEditsEach = 15;
  auto editor = [&](const std::string& who) {
    for (int i = 0; i < kEditsEach; ++i) {
      std::string phrase = "frase " + who + " numero " + std::to_string(i);
      Status status = EditTaxonomyFile(path_, who, "add-phrase lavoro " + phrase,
                                       [&](Taxonomy& t) { return AddPhrase(t, "lavoro", phrase); });
      EXPECT_TRUE(status.ok()) << status.ToString();
    }
  };
  std::thread a(editor, "anna");
  std::thread b(editor, "bruno");
  a.join();
  b.join();
  auto loaded = Taxonomy::Load(path_);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ(loaded.value().history.size(), 2u * kEditsEach);
  auto texts = PhraseTexts(*loaded.value().Find("lavoro"));
  for (const std::string who : {"anna", "bruno"}) {
    for (int i = 0; i < kEditsEach; ++i) {
      EXPECT_THAT(texts, ::testing::Contains("frase " + who + " numero " + std::to_string(i)));
    }
  }
}

}  // namespace
}  // namespace correlare::taxonomy
