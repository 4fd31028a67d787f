// The text terms are built apart from the index (on the extraction threads), and the
// spelling data is counted there and added by the writer. What reaches the index must be
// what Xapian's TermGenerator gives when it writes the spelling data itself
// (FLAG_SPELLING over the title and the text's first 32 KB), with the same positions.
#include "indexer/src/document_builder.h"

#include <gtest/gtest.h>
#include <unistd.h>
#include <xapian.h>

#include <filesystem>
#include <map>
#include <string>

#include "schema/schema.h"
#include "taxonomy/text_keys.h"

namespace correlare::indexer {
namespace {

namespace fs = std::filesystem;
namespace s = schema;

std::map<std::string, Xapian::doccount> Spellings(const Xapian::Database& db) {
  std::map<std::string, Xapian::doccount> out;
  for (auto it = db.spellings_begin(); it != db.spellings_end(); ++it) out[*it] = it.get_termfreq();
  return out;
}

// term -> "wdf:positions" of a document.
std::map<std::string, std::string> Terms(const Xapian::Document& doc) {
  std::map<std::string, std::string> out;
  for (auto it = doc.termlist_begin(); it != doc.termlist_end(); ++it) {
    std::string positions;
    for (auto p = it.positionlist_begin(); p != it.positionlist_end(); ++p) positions += std::to_string(*p) + ",";
    out[*it] = std::to_string(it.get_wdf()) + ":" + positions;
  }
  return out;
}

class DocumentBuilderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("document_builder_test_" + std::to_string(getpid()));
    fs::remove_all(root_);
    fs::create_directories(root_);
    // A text past the 32 KB the spelling data is taken from, words repeated, accents,
    // an elision, a word longer than Xapian's longest term.
    record_.id = "0123456789abcdef0123456789abcdef";
    record_.title = "Guida al permesso di soggiorno: città e questura";
    record_.authors = {"Ufficio Stranieri", "Prefettura di Lodi"};
    record_.lang = "it";
    while (text_.size() < 40000) {
      text_ += "Il permesso di soggiorno si rinnova in Questura; l'impiego, la città, perché. ";
    }
    text_ += "Parole finali oltre il limite: rarissima " + std::string(80, 'x') + " fine.";
  }
  void TearDown() override { fs::remove_all(root_); }

  fs::path root_;
  s::DocumentRecord record_;
  std::string text_;
};

TEST_F(DocumentBuilderTest, SpellingDataIsWhatTermGeneratorWouldWrite) {
  // Xapian writing the spelling data itself, as the indexer did before.
  Xapian::WritableDatabase expected((root_ / "expected").string(), Xapian::DB_CREATE);
  {
    Xapian::TermGenerator generator;
    generator.set_stemmer(Xapian::Stem("italian"));
    generator.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
    generator.set_database(expected);
    generator.set_flags(Xapian::TermGenerator::FLAG_SPELLING);
    Xapian::Document doc;
    generator.set_document(doc);
    std::string title = taxonomy::FoldText(record_.title);
    generator.index_text(title, 1, s::kPrefixTitle);
    generator.index_text(title, s::kTitleWdf);
    generator.increase_termpos();
    std::string authors = record_.authors[0] + "\n" + record_.authors[1] + "\n";
    generator.index_text(taxonomy::FoldText(authors), 1, s::kPrefixAuthor);
    generator.increase_termpos();
    std::string folded = taxonomy::FoldText(text_);
    size_t cut = folded.find_first_of(" \n\t", 32 << 10);
    generator.index_text(Xapian::Utf8Iterator(folded.data(), cut));
    generator.set_flags(Xapian::TermGenerator::flags(0));
    generator.index_text(Xapian::Utf8Iterator(folded.data() + cut, folded.size() - cut));
    expected.add_document(doc);
    expected.commit();
  }
  Xapian::WritableDatabase built((root_ / "built").string(), Xapian::DB_CREATE);
  TextTerms prebuilt = BuildTextTerms(record_.title, record_.authors, record_.lang, text_);
  SpellingCounts spelling;
  built.add_document(BuildXapianDocument(record_, text_, spelling, &prebuilt));
  FlushSpelling(spelling, built);
  EXPECT_TRUE(spelling.empty());
  built.commit();

  auto spellings = Spellings(built);
  EXPECT_EQ(spellings, Spellings(expected));
  EXPECT_GT(spellings["permesso"], 100u);
  EXPECT_EQ(spellings.count("rarissima"), 0u) << "past the first 32 KB";
  EXPECT_EQ(spellings.count("stranieri"), 0u) << "authors give no spelling data";

  // The free-text terms too: the same terms, wdf and positions.
  auto want = Terms(expected.get_document(1));
  auto got = Terms(built.get_document(1));
  for (const auto& [term, detail] : want) EXPECT_EQ(got[term], detail) << term;
  EXPECT_TRUE(got.count("rarissima") == 1);
}

// The writer adds up a whole batch's spelling data and gives it to Xapian once: the
// index ends up with what giving each document's words as it goes would have made.
TEST_F(DocumentBuilderTest, SpellingOfABatchIsTheSumOfItsDocuments) {
  schema::DocumentRecord other = record_;
  other.id = "fedcba9876543210fedcba9876543210";
  other.title = "Corsi di italiano per stranieri";
  std::string other_text = "Il corso di italiano per adulti stranieri: permesso, questura, città.";

  Xapian::WritableDatabase one_by_one((root_ / "one").string(), Xapian::DB_CREATE);
  for (const auto* r : {&record_, &other}) {
    SpellingCounts spelling;
    one_by_one.add_document(BuildXapianDocument(*r, r == &record_ ? text_ : other_text, spelling));
    FlushSpelling(spelling, one_by_one);
  }
  one_by_one.commit();

  Xapian::WritableDatabase batched((root_ / "batch").string(), Xapian::DB_CREATE);
  SpellingCounts spelling;
  batched.add_document(BuildXapianDocument(record_, text_, spelling));
  batched.add_document(BuildXapianDocument(other, other_text, spelling));
  EXPECT_EQ(Spellings(batched).size(), 0u) << "nothing given before the flush";
  FlushSpelling(spelling, batched);
  batched.commit();

  auto got = Spellings(batched);
  EXPECT_EQ(got, Spellings(one_by_one));
  EXPECT_GT(got["italiano"], 0u);
  EXPECT_GT(got["permesso"], 100u);
}

TEST_F(DocumentBuilderTest, TermsBuiltForAnotherTitleAreNotUsed) {
  Xapian::WritableDatabase db((root_ / "db").string(), Xapian::DB_CREATE);
  // Built from the file's title, but the sidecar gave the record another one.
  TextTerms stale = BuildTextTerms("Titolo del file", record_.authors, record_.lang, text_);
  EXPECT_FALSE(stale.Fits(record_, text_));
  SpellingCounts spelling;
  Xapian::Document doc = BuildXapianDocument(record_, text_, spelling, &stale);
  FlushSpelling(spelling, db);
  db.commit();
  auto terms = Terms(doc);
  EXPECT_EQ(terms.count("Sfile"), 0u);
  EXPECT_EQ(terms.count("Squestura"), 1u);
  EXPECT_EQ(Spellings(db).count("titolo"), 0u);
}

}  // namespace
}  // namespace correlare::indexer
